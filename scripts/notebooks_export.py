"""Executes the notebooks under notebooks/ and exports them as Markdown with their outputs
(scripts/run-notebooks runs this inside the pinned environment; notebooks/README.md).

    python scripts/notebooks_export.py export OUT            # execute and write OUT/<name>.md
    python scripts/notebooks_export.py compare EXPECTED ACTUAL

`export` refuses a notebook stored with outputs (the repository keeps the inputs only; the
exports hold the outputs), executes each one with its own folder as the working folder,
and writes `<name>.md` and `<name>_files/` (the charts as PNG files, and each inline HTML
audit report as a page of its own, linked from the Markdown: a Markdown viewer shows
neither an iframe nor the page's styles). Nothing is normalized here: whatever would
change from one run to the next has to be made stable in the notebook itself.

`compare` exits 1 when the two exports differ: a file missing on either side, a text file
that differs (shown as a unified diff), or a PNG whose pixels differ. Two PNG files whose
bytes differ but whose decoded pixels (RGBA, size and values) are equal count as equal,
so that a different zlib build cannot fail the check while a changed chart does.
"""
import difflib
import html
import os
import re
import sys

import nbformat
from nbclient import NotebookClient
from nbconvert import MarkdownExporter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOKS = os.path.join(ROOT, "notebooks")
TIMEOUT_SECONDS = 600
REPORT_FRAME = re.compile(r'^<iframe title="(Fairlead [^"]*)" sandbox="[^"]*" srcdoc="([^"]*)"', re.S)


def notebook_paths():
    names = sorted(name for name in os.listdir(NOTEBOOKS) if name.endswith(".ipynb"))
    if not names:
        sys.exit("run-notebooks: no notebooks in notebooks/")
    return [os.path.join(NOTEBOOKS, name) for name in names]


def stored_outputs(notebook):
    """The code cells (1-based) that hold outputs or an execution count."""
    return [index for index, cell in enumerate(notebook.cells, 1)
            if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)]


def reports_as_pages(notebook, files_folder):
    """Each inline audit report (AuditReport._repr_html_, an iframe holding the page) becomes
    a page in `files_folder` and a link to it. Returns {file name: bytes}."""
    pages = {}
    for cell_index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for output_index, output in enumerate(cell.get("outputs", [])):
            frame = REPORT_FRAME.match(output.get("data", {}).get("text/html", ""))
            if not frame:
                continue
            name = f"report_{cell_index}_{output_index}.html"
            pages[f"{files_folder}/{name}"] = html.unescape(frame.group(2)).encode("utf-8")
            title = html.unescape(frame.group(1))
            output["data"] = {"text/markdown": f"[{title}]({files_folder}/{name}) (the page shown inline in Jupyter)"}
    return pages


def export(out):
    os.makedirs(out, exist_ok=True)
    stored = {os.path.basename(path): stored_outputs(nbformat.read(path, as_version=4)) for path in notebook_paths()}
    stored = {name: cells for name, cells in stored.items() if cells}
    if stored:
        for name, cells in stored.items():
            print(f"run-notebooks: notebooks/{name} is stored with outputs (cells {', '.join(map(str, cells))}); "
                  "the repository keeps the inputs only. Clear them: "
                  f"jupyter nbconvert --clear-output --inplace notebooks/{name}", file=sys.stderr)
        sys.exit(1)
    for path in notebook_paths():
        name = os.path.splitext(os.path.basename(path))[0]
        notebook = nbformat.read(path, as_version=4)
        print(f"run-notebooks: executing notebooks/{name}.ipynb", file=sys.stderr)
        client = NotebookClient(notebook, timeout=TIMEOUT_SECONDS, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": NOTEBOOKS}})
        client.execute()
        files_folder = f"{name}_files"
        pages = reports_as_pages(notebook, files_folder)
        exporter = MarkdownExporter()
        body, resources = exporter.from_notebook_node(
            notebook, resources={"output_files_dir": files_folder, "unique_key": name})
        files = dict(resources.get("outputs", {}))
        files.update(pages)
        with open(os.path.join(out, f"{name}.md"), "w", encoding="utf-8", newline="\n") as file:
            file.write(body)
        for relative, data in sorted(files.items()):
            target = os.path.join(out, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as file:
                file.write(data)


def listing(folder):
    found = set()
    for directory, _, names in os.walk(folder):
        for name in names:
            found.add(os.path.relpath(os.path.join(directory, name), folder))
    return found


def same_pixels(first, second):
    from PIL import Image

    with Image.open(first) as a, Image.open(second) as b:
        return a.size == b.size and a.convert("RGBA").tobytes() == b.convert("RGBA").tobytes()


def compare(expected, actual):
    """Prints every difference; returns how many files differ."""
    have, made = listing(expected), listing(actual)
    problems = 0
    for relative in sorted(have - made):
        print(f"stale: {relative} is committed but the notebooks no longer make it")
        problems += 1
    for relative in sorted(made - have):
        print(f"stale: the notebooks make {relative}, which is not committed")
        problems += 1
    for relative in sorted(have & made):
        old, new = os.path.join(expected, relative), os.path.join(actual, relative)
        with open(old, "rb") as file:
            old_bytes = file.read()
        with open(new, "rb") as file:
            new_bytes = file.read()
        if old_bytes == new_bytes:
            continue
        if relative.endswith(".png"):
            if same_pixels(old, new):
                print(f"note: {relative}: same pixels, different PNG bytes")
                continue
            print(f"stale: {relative}: the chart's pixels differ")
        else:
            diff = difflib.unified_diff(old_bytes.decode("utf-8", "replace").splitlines(keepends=True),
                                        new_bytes.decode("utf-8", "replace").splitlines(keepends=True),
                                        fromfile=f"committed/{relative}", tofile=f"executed/{relative}")
            sys.stdout.writelines(diff)
            print()
        problems += 1
    return problems


def main(arguments):
    if len(arguments) == 2 and arguments[0] == "export":
        export(arguments[1])
    elif len(arguments) == 3 and arguments[0] == "compare":
        problems = compare(arguments[1], arguments[2])
        if problems:
            print(f"run-notebooks: {problems} exported file(s) differ from the committed export; "
                  "run scripts/run-notebooks and commit notebooks-exported/python")
            sys.exit(1)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
