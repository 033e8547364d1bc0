import FairleadTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `fairlead serve` as a process, at the edges a CRM's traffic and an operator's signals
/// reach: headers past `--max-header-bytes`, a request in flight when SIGTERM arrives,
/// and SIGHUP after the profile changed on disk — or was broken.
///
/// Raw sockets stand in for the client where an HTTP library would hide what is tested
/// (a half-sent body, an oversized header block). Every wait is bounded and the child is
/// killed on the way out.
@Suite(.serialized) struct ServeOperationsTests {
    @Test func headersPastTheLimitAreRefusedAndTheServiceGoesOn() async throws {
        let server = try await Server.start(["--rate", "0", "--max-header-bytes", "1024"])
        defer { server.stop() }
        let padding = String(repeating: "a", count: 2_000)
        let refused = try RawHTTP.exchange(port: server.port,
                                           "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: \(padding)\r\n\r\n")
        // Refused before any route runs: 400, and the connection closed (docs/service.md#limits).
        #expect(refused.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "answered \(refused.prefix(80))")
        #expect(refused.contains("Connection: close"))
        // Many headers that add up past the limit, each small, are refused too.
        let many = (0..<40).map { "X-Field-\($0): \(String(repeating: "b", count: 40))\r\n" }.joined()
        let refusedMany = try RawHTTP.exchange(port: server.port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\(many)\r\n")
        #expect(refusedMany.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "answered \(refusedMany.prefix(80))")
        // Within the limit, and after the refusals, the service answers.
        let fine = try RawHTTP.exchange(port: server.port,
                                        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: \(padding.prefix(500))\r\nConnection: close\r\n\r\n")
        #expect(fine.hasPrefix("HTTP/1.1 200"))
    }

    /// Bytes the HTTP parser refuses never reach a route: the process answers 400 and
    /// closes, writes one line for the connection with its remote address and the
    /// parser's reason, counts it in /metrics by class, and goes on.
    @Test func malformedRequestsAreRefusedLoggedAndCounted() async throws {
        let server = try await Server.start(["--rate", "0", "--max-header-bytes", "1024"])
        defer { server.stop() }
        let json = "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
        let requests: [(request: String, reasonClass: String)] = [
            ("POST /v1/explain HTTP/1.1\r\n\(json)Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", "framing"),
            ("POST /v1/explain HTTP/1.1\r\n\(json)Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "other"),
            ("GET /healthz HTTP/1.1\nHost: 127.0.0.1\n\n", "version"),
            ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: \(String(repeating: "a", count: 2_000))\r\n\r\n", "header_size"),
            ("G@T /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "method"),
            ("POST /v1/explain HTTP/1.1\r\n\(json)Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\nzz\r\n", "framing"),
        ]
        var ports: [Int] = []
        for (request, reasonClass) in requests {
            let (answer, ending, localPort) = try RawHTTP.exchange(port: server.port, Data(request.utf8))
            #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(reasonClass): answered \(answer.prefix(120))")
            #expect(answer.contains("\r\nConnection: close\r\n"), "\(reasonClass): \(answer)")
            #expect(ending == .closed, "\(reasonClass)")
            ports.append(localPort ?? -1)
        }
        let metrics = try RawHTTP.exchange(port: server.port, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        #expect(metrics.hasPrefix("HTTP/1.1 200"))
        for (reasonClass, count) in ["framing": 2, "other": 1, "version": 1, "header_size": 1, "method": 1] {
            #expect(metrics.contains("\nfairlead_http_malformed_requests_total{reason=\"\(reasonClass)\"} \(count)\n"), "\(metrics)")
        }
        try await server.waitForLog("route=metrics", seconds: 30)
        let lines = try String(contentsOf: server.log, encoding: .utf8).split(separator: "\n").filter { $0.hasSuffix(" malformed request") }
        #expect(lines.count == requests.count, "\(lines)")
        for ((_, reasonClass), port) in zip(requests, ports) {
            let line = lines.first { $0.contains(" remote=127.0.0.1:\(port) ") }
            #expect(line?.contains(" notice ") == true, "no line for port \(port): \(lines)")
            #expect(line?.contains(" reason_class=\(reasonClass) ") == true, "\(line ?? "")")
        }
        #expect(lines.first?.contains(" reason=unexpected content-length header ") == true, "\(lines)")
        let logged = try String(contentsOf: server.log, encoding: .utf8)
        #expect(!logged.contains("internal error"))
    }

    @Test func slowBodiesPastTheTimeoutAre503AndTheServiceGoesOn() async throws {
        let server = try await Server.start(["--rate", "0", "--request-timeout", "0.3"])
        defer { server.stop() }
        // Heads at once, then bodies a byte at a time, far slower than the timeout allows.
        // The 503 cancels the body's read while bytes still come: that read once raced
        // Hummingbird's own drain of the body and the process trapped (SIGILL), after tens
        // of such requests. Rounds of concurrent clients give the race its chances.
        // A body of 60,000 bytes at a byte per 5 ms cannot be whole within the 60 s the
        // clients wait: only the request timeout can answer it, however slow the machine.
        for round in 0..<4 {
            let answers = try RawHTTP.dripBodies(port: server.port, count: 30, bodyBytes: 60_000, seconds: 60)
            for (client, answer) in answers.enumerated() {
                #expect(answer.hasPrefix("HTTP/1.1 503"), "round \(round), client \(client) was answered \(answer.prefix(120))")
                #expect(answer.contains("urn:fairlead:problem:timeout"))
            }
            #expect(server.process.isRunning, "the service stopped in round \(round)")
            guard server.process.isRunning else { break }
        }
        let health = try RawHTTP.exchange(port: server.port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        #expect(health.hasPrefix("HTTP/1.1 200"), "answered \(health.prefix(80))")
    }

    /// A page that re-points its own name at 127.0.0.1 (DNS rebinding) sends that name as
    /// `Host`: the service answers its own names only, and logs the refusal.
    @Test func aRequestNamingAnotherHostIs421AndLogged() async throws {
        let server = try await Server.start(["--rate", "0", "--allowed-host", "crm.example.internal"])
        defer { server.stop() }
        let path = "/v1/leads/L0000042/explanation"
        let rebound = try RawHTTP.exchange(port: server.port,
                                           "GET \(path) HTTP/1.1\r\nHost: rebind.attacker.example\r\nConnection: close\r\n\r\n")
        #expect(rebound.hasPrefix("HTTP/1.1 421 Misdirected Request\r\n"), "answered \(rebound.prefix(120))")
        #expect(rebound.contains("\"type\":\"urn:fairlead:problem:misdirected-request\""))
        #expect(!rebound.contains("L0000042"))
        let noHost = try RawHTTP.exchange(port: server.port, "GET \(path) HTTP/1.0\r\n\r\n")
        #expect(noHost.hasPrefix("HTTP/1.0 421") || noHost.hasPrefix("HTTP/1.1 421"), "answered \(noHost.prefix(120))")
        for host in ["crm.example.internal:8443", "127.0.0.1:\(server.port)", "localhost"] {
            let answer = try RawHTTP.exchange(port: server.port, "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(host) was answered \(answer.prefix(120))")
        }
        try await server.waitForLog("outcome=misdirected-request", seconds: 30)
    }

    /// A body that stops arriving is answered 503 at `--request-timeout` with
    /// `Connection: close`, and the connection is closed after the answer: its unread
    /// bytes leave it unable to carry another request. (The header was missing; the close
    /// came only from the cancelled read ending the connection's stream.)
    ///
    /// No clock is read: the idle timeout is the longest there is (a day), so the only
    /// thing that can answer and close this connection is the request timeout, and the
    /// answer says so (503, `timeout`). The read's bound (30 s without a byte) only keeps a
    /// broken service from hanging the test, and is reported as a hang.
    @Test func aTimedOutBodyIsAnsweredAndItsConnectionClosed() async throws {
        let server = try await Server.start(["--rate", "0", "--request-timeout", "0.5", "--idle-timeout", "86400"])
        defer { server.stop() }
        let socket = try RawHTTP.connect(port: server.port)
        defer { close(socket) }
        let head = "POST /v1/explain HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
        try RawHTTP.send(socket, Data((head + "{\"web_visits\": ").utf8))
        let received = RawHTTP.read(socket, seconds: 600)
        let answer = received.text
        #expect(answer.hasPrefix("HTTP/1.1 503"), "answered \(answer.prefix(120))")
        #expect(answer.contains("\r\nConnection: close\r\n"), "\(answer)")
        #expect(answer.contains("urn:fairlead:problem:timeout"))
        // Closed, not merely quiet: the read met the end of the stream.
        #expect(received.ending == .closed, "the connection was not closed after the 503 (a hang): \(received.ending)")
        let health = try RawHTTP.exchange(port: server.port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        #expect(health.hasPrefix("HTTP/1.1 200"), "answered \(health.prefix(80))")
    }

    @Test func aChunkedBodyPastTheLimitIs413() async throws {
        let server = try await Server.start(["--rate", "0", "--max-body-bytes", "1024"])
        defer { server.stop() }
        // No Content-Length to refuse it by: the body grows past the limit while read.
        let chunk = "{\"web_visits\": 1" + String(repeating: " ", count: 500)
        let chunks = (0..<8).map { _ in String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n" }.joined()
        let answer = try RawHTTP.exchange(port: server.port,
                                          "POST /v1/explain HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                              + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n\(chunks)0\r\n\r\n")
        #expect(answer.hasPrefix("HTTP/1.1 413"), "answered \(answer.prefix(200))")
        #expect(answer.contains("urn:fairlead:problem:body-too-large"))
        #expect(answer.contains("larger than 1024 bytes (--max-body-bytes)"))
        let logged = try String(contentsOf: server.log, encoding: .utf8)
        #expect(!logged.contains("internal error"))
    }

    @Test func sigtermFinishesTheRequestInFlightThenExits() async throws {
        let server = try await Server.start(["--rate", "0"])
        defer { server.stop() }
        let body = try JSONSerialization.data(withJSONObject: try ServeEndToEndTests.row("L0000042"))
        let half = body.count / 2
        let head = "POST /v1/explain HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let socket = try RawHTTP.connect(port: server.port)
        defer { close(socket) }
        try RawHTTP.send(socket, Data(head.utf8) + body.prefix(half))
        // SIGTERM only once the server has the request in flight (its head read, its
        // body half come), as its own gauge says: on a loaded machine no sleep is enough.
        let metricsRequest = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        let inFlight = "fairlead_http_requests_in_flight{route=\"explain\"} 1"
        var seen = false
        for _ in 0..<600 where !seen {
            seen = (try? RawHTTP.exchange(port: server.port, metricsRequest))?.contains(inFlight) == true
            if !seen { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(seen, "the server never had the half-sent request in flight")

        kill(server.process.processIdentifier, SIGTERM)
        // New connections are no longer taken (polled: when the listener closes depends on
        // the machine), while the process stays up for the request in flight.
        let health = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        var refused = false
        for _ in 0..<600 where !refused {
            refused = (try? RawHTTP.exchange(port: server.port, health))?.hasPrefix("HTTP/1.1 200") != true
            if !refused { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(refused, "new connections were still answered 30 s after SIGTERM")
        #expect(server.process.isRunning)

        try RawHTTP.send(socket, body.suffix(from: half))
        let answer = RawHTTP.receive(socket, seconds: 60)
        #expect(answer.hasPrefix("HTTP/1.1 200"), "answered \(answer.prefix(200))")
        let explained = try CLIProcess.run(["explain", "--profile", ServeEndToEndTests.profile, "--format", "json",
                                            "--ids", "L0000042"])
        #expect(answer.hasSuffix(explained.standardOutput))
        ServeEndToEndTests.wait(for: server.process, seconds: 30)
        #expect(!server.process.isRunning)
        if !server.process.isRunning { #expect(server.process.terminationStatus == 0) }
    }

    @Test func sighupServesTheChangedProfileAndKeepsItWhenTheNextIsBroken() async throws {
        let folder = try Server.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The bundled explanations profile, with its relative paths made absolute.
        let root = CLIProcess.packageRoot.appendingPathComponent("fixtures/profiles")
        let original = try String(contentsOf: root.appendingPathComponent("leads-explanations.yaml"), encoding: .utf8)
        func profile(top: Int) -> String {
            original
                .replacingOccurrences(of: "extends: organization-policy.yaml", with: "extends: \(root.path)/organization-policy.yaml")
                .replacingOccurrences(of: "path: ../", with: "path: \(root.deletingLastPathComponent().path)/")
                .replacingOccurrences(of: "  top: 3\n", with: "  top: \(top)\n")
        }
        let path = folder.appendingPathComponent("profile.yaml")
        try profile(top: 3).write(to: path, atomically: true, encoding: .utf8)
        #expect(profile(top: 3) != profile(top: 1))

        // The base profile, model and data stay in fixtures/, outside the profile's folder.
        let server = try await Server.start(["--rate", "0", "--allow-profile-dir", root.deletingLastPathComponent().path],
                                            profile: path.path, folder: folder)
        defer { server.stop() }
        let lead = try JSONSerialization.data(withJSONObject: try ServeEndToEndTests.row("L0000042"))
        func top() async throws -> Int? {
            let answer = try await ServeEndToEndTests.request("\(server.base)/v1/explain", body: lead)
            let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
            return object?["top"] as? Int
        }
        func reloads() async throws -> Int? {
            let ready = try await ServeEndToEndTests.request("\(server.base)/readyz")
            return (try JSONSerialization.jsonObject(with: Data(ready.body.utf8)) as? [String: Any])?["reloads"] as? Int
        }
        #expect(try await top() == 3)

        try profile(top: 1).write(to: path, atomically: true, encoding: .utf8)
        kill(server.process.processIdentifier, SIGHUP)
        try await server.waitForLog("reloaded the profile", seconds: 120)
        #expect(try await reloads() == 1)
        #expect(try await top() == 1)

        // A profile that no longer loads: the one loaded before goes on answering.
        try "name: [unclosed\n".write(to: path, atomically: true, encoding: .utf8)
        kill(server.process.processIdentifier, SIGHUP)
        try await server.waitForLog("reload failed", seconds: 120)
        #expect(try await reloads() == 1)
        #expect(try await top() == 1)
        #expect(server.process.isRunning)
    }
}

/// A `fairlead serve` child on a free loopback port, logging to a file; `stop()` kills it
/// if it still runs, and removes the folder unless the caller gave it.
struct Server {
    let process: Process
    let port: Int
    let log: URL
    let folder: URL
    let ownsFolder: Bool
    var base: String { "http://127.0.0.1:\(port)" }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-serve-ops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func start(_ arguments: [String], profile: String = ServeEndToEndTests.profile,
                      folder given: URL? = nil) async throws -> Server {
        let folder = try given ?? Self.folder()
        let log = folder.appendingPathComponent("serve-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = CLIProcess.executable
        process.arguments = ["serve", "--profile", profile, "--port", "0"] + arguments
        process.currentDirectoryURL = CLIProcess.packageRoot
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        guard let port = try await ServeEndToEndTests.listeningPort(log: log, process: process, seconds: 600) else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw CLIProcess.Failure("fairlead serve did not start")
        }
        return Server(process: process, port: port, log: log, folder: folder, ownsFolder: given == nil)
    }

    /// Waits until the log holds `text`; records an issue when it does not within `seconds`.
    func waitForLog(_ text: String, seconds: Double) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        // Read once more after the deadline or the exit (see ServeEndToEndTests.listeningPort).
        while true {
            let running = process.isRunning
            if ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains(text) { return }
            guard running && Date() < deadline else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the log never said \"\(text)\": \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        ServeEndToEndTests.wait(for: process, seconds: 10)
        if ownsFolder { try? FileManager.default.removeItem(at: folder) }
    }
}
