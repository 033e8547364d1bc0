#!/usr/bin/env python3
"""Loads Fairlead's HTML pages in headless Chromium and checks them as a browser sees them.

For each page: no console error, no uncaught exception, no request that leaves the page
(every request but the page's own file:// URL fails the check: the browser runs with its
proxy pointed at a closed port, and the page's Content-Security-Policy would log any
blocked load as an error too), no element with an external src or href, and every chart
(`svg.chart`) laid out with a non-zero size. Writes PNG screenshots of chosen parts.

Talks to Chromium over the DevTools protocol with the Python standard library only (a
minimal WebSocket client): no pip package.

    browser_check.py --out DIR page.html[:shot=SELECTOR,...] ...
Prints one line per page and exits 1 when any check fails.
"""
import argparse
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request


class WebSocket:
    """Just enough of RFC 6455 for the DevTools protocol: text frames, client masking."""

    def __init__(self, url):
        assert url.startswith("ws://")
        host_port, _, path = url[5:].partition("/")
        host, _, port = host_port.partition(":")
        self.sock = socket.create_connection((host, int(port)), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("DevTools closed the connection during the handshake")
            response += chunk
        if b" 101 " not in response.split(b"\r\n", 1)[0]:
            raise RuntimeError("DevTools refused the WebSocket: " + response.split(b"\r\n", 1)[0].decode())
        self.buffer = response.split(b"\r\n\r\n", 1)[1]

    def send(self, text):
        payload = text.encode()
        header = bytearray([0x81])
        length = len(payload)
        if length < 126:
            header.append(0x80 | length)
        elif length < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", length)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", length)
        mask = os.urandom(4)
        header += mask
        self.sock.sendall(bytes(header) + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _read(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def receive(self):
        message = b""
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(length)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise RuntimeError("DevTools closed the WebSocket")
            if opcode in (0x9, 0xA):
                continue
            message += payload
            if first & 0x80:
                return message.decode()


class Browser:
    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="fairlead-chromium-")
        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", "--mute-audio", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
             "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
             f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 60
        while not os.path.exists(port_file) or os.path.getsize(port_file) == 0:
            if time.time() > deadline or self.process.poll() is not None:
                raise RuntimeError("Chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        port = int(open(port_file).read().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=30) as answer:
            url = json.load(answer)["webSocketDebuggerUrl"]
        self.ws = WebSocket(url)
        self.next_id = 0
        self.events = []

    def call(self, method, session=None, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        while True:
            answer = json.loads(self.ws.receive())
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(self, method, session, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for index, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self.events.pop(index)
            self.events.append(json.loads(self.ws.receive()))
        raise RuntimeError(f"timed out waiting for {method}")

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


PAGE_FACTS = r"""
(() => {
  const charts = [...document.querySelectorAll('svg.chart')].map(svg => {
    const box = svg.getBoundingClientRect();
    return {width: box.width, height: box.height, title: (svg.querySelector('title') || {}).textContent || ''};
  });
  const external = [...document.querySelectorAll('[src],[href],[xlink\\:href]')]
    .map(e => e.getAttribute('src') || e.getAttribute('href') || e.getAttribute('xlink:href') || '')
    .filter(v => !(v.startsWith('#') || v.startsWith('data:')));
  const untitled = [...document.querySelectorAll('svg.chart')].filter(s => !s.querySelector(':scope > title') || !s.querySelector(':scope > desc')).length;
  const focusable = document.querySelectorAll('svg.chart [tabindex="0"]').length;
  return JSON.stringify({charts, external, untitled, focusable, scripts: document.scripts.length,
                         title: document.title, height: document.documentElement.scrollHeight});
})()
"""


def check(browser, path, shots, out_dir, dark_shot):
    url = "file://" + os.path.abspath(path)
    target = browser.call("Target.createTarget", url="about:blank")["targetId"]
    session = browser.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.call(f"{domain}.enable", session)
    browser.call("Emulation.setDeviceMetricsOverride", session, width=1100, height=900, deviceScaleFactor=1, mobile=False)
    browser.events.clear()
    browser.call("Page.navigate", session, url=url)
    browser.wait_for("Page.loadEventFired", session)
    time.sleep(0.3)
    facts = json.loads(browser.call("Runtime.evaluate", session, expression=PAGE_FACTS, returnByValue=True)["result"]["value"])
    # Drain what arrived meanwhile.
    browser.call("Runtime.evaluate", session, expression="1")
    problems = []
    for event in browser.events:
        if event.get("sessionId") != session:
            continue
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            problems.append("uncaught exception: " + params.get("exceptionDetails", {}).get("text", ""))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            problems.append("console error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            problems.append("browser error: " + params["entry"].get("text", ""))
        elif method == "Network.requestWillBeSent":
            requested = params.get("request", {}).get("url", "")
            if requested != url and not requested.startswith("data:"):
                problems.append("request leaves the page: " + requested)
    if not facts["charts"]:
        problems.append("no chart on the page")
    empty = [c["title"] for c in facts["charts"] if c["width"] <= 0 or c["height"] <= 0]
    if empty:
        problems.append(f"{len(empty)} charts laid out with no size, e.g. {empty[0]!r}")
    if facts["untitled"]:
        problems.append(f"{facts['untitled']} charts without <title> and <desc>")
    if facts["external"]:
        problems.append("external references: " + ", ".join(facts["external"][:5]))
    written = []
    for name, selector in shots:
        box = browser.call("Runtime.evaluate", session, returnByValue=True, expression=(
            "(() => { const e = document.querySelector(%s); if (!e) return null; const r = e.getBoundingClientRect();"
            " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; })()" % json.dumps(selector)
        ))["result"].get("value")
        if not box:
            problems.append(f"screenshot {name}: no element {selector}")
            continue
        clip = {"x": 0, "y": max(0, box["y"] - 8), "width": 1100, "height": min(box["height"] + 16, 2400), "scale": 1}
        data = browser.call("Page.captureScreenshot", session, format="png", clip=clip, captureBeyondViewport=True)["data"]
        target_path = os.path.join(out_dir, name + ".png")
        with open(target_path, "wb") as file:
            file.write(base64.b64decode(data))
        written.append(target_path)
    if dark_shot:
        browser.call("Emulation.setEmulatedMedia", session, features=[{"name": "prefers-color-scheme", "value": "dark"}])
        data = browser.call("Page.captureScreenshot", session, format="png",
                            clip={"x": 0, "y": 0, "width": 1100, "height": 900, "scale": 1})["data"]
        target_path = os.path.join(out_dir, dark_shot + ".png")
        with open(target_path, "wb") as file:
            file.write(base64.b64decode(data))
        written.append(target_path)
    browser.call("Target.closeTarget", targetId=target)
    browser.events.clear()
    return facts, problems, written


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--out", required=True, help="folder for the screenshots")
    parser.add_argument("--facts", help="write what was measured, as JSON, to this file")
    parser.add_argument("pages", nargs="+", help="PAGE.html, optionally :NAME=SELECTOR;NAME=SELECTOR;dark=NAME")
    arguments = parser.parse_args()
    os.makedirs(arguments.out, exist_ok=True)
    browser = Browser(arguments.chromium)
    failed = False
    summary = {}
    try:
        for spec in arguments.pages:
            path, _, shot_spec = spec.partition(":")
            shots, dark = [], None
            for item in filter(None, shot_spec.split(";")):
                name, _, selector = item.partition("=")
                if name == "dark":
                    dark = selector
                else:
                    shots.append((name, selector))
            facts, problems, written = check(browser, path, shots, arguments.out, dark)
            summary[path] = {"bytes": os.path.getsize(path), "charts": len(facts["charts"]), "focusable": facts["focusable"],
                             "scripts": facts["scripts"], "height": facts["height"], "screenshots": [os.path.basename(w) for w in written],
                             "problems": problems}
            status = "FAIL" if problems else "ok"
            print(f"browser-check {status}: {path} — {os.path.getsize(path)} bytes, {len(facts['charts'])} charts, "
                  f"{facts['focusable']} focusable chart parts, {len(written)} screenshots")
            for problem in problems:
                print(f"  {problem}")
            failed = failed or bool(problems)
    finally:
        browser.close()
    if arguments.facts:
        with open(arguments.facts, "w") as file:
            json.dump(summary, file, indent=2, sort_keys=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
