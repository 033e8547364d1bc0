"""Finding and running the `fairlead` binary the wheel carries.

The wheel holds the release binary at ``fairlead/bin/fairlead``; the environment variable
``FAIRLEAD_BINARY`` names another one (a debug build, a newer release) instead. Every
call of the API is one run of that binary: arguments in, the report or table on standard
output, a message on standard error and an exit code (0 and 1 are answers, 2 bad input or
usage, 3 an internal error).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, NoReturn, Optional, Sequence

from ._errors import FairleadError

#: The environment variable that overrides the bundled binary.
BINARY_VARIABLE = "FAIRLEAD_BINARY"

#: Exit code of a binary that could not start (the shell's "command not found" code).
CANNOT_START = 127

# Debian and Ubuntu packages of the system libraries the binary links (docs/python.md).
_DEBIAN_PACKAGES = {
    "libopenblas.so.0": "libopenblas0",
    "libgfortran.so.5": "libgfortran5",
    "libz.so.1": "zlib1g",
    "libsqlite3.so.0": "libsqlite3-0",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
}

_MISSING_LIBRARY = re.compile(r"error while loading shared libraries: ([^:\s]+)")


class FairleadWarning(UserWarning):
    """A warning the command line printed (``fairlead: warning: …``) on a run that succeeded."""


def binary_path() -> str:
    """The binary the API runs: ``$FAIRLEAD_BINARY`` when set, else the wheel's own."""
    override = os.environ.get(BINARY_VARIABLE)
    if override:
        if not os.path.isfile(override):
            raise FairleadError(f"{BINARY_VARIABLE}={override} is not a file; unset it to use the binary the wheel carries",
                                CANNOT_START)
        return override
    bundled = Path(__file__).resolve().parent / "bin" / "fairlead"
    if not bundled.is_file():
        raise FairleadError(
            f"no fairlead binary at {bundled}: install the wheel scripts/build-wheel makes, "
            f"or set {BINARY_VARIABLE} to a fairlead binary",
            CANNOT_START,
        )
    return str(bundled)


def flag(name: str, value: object) -> str:
    """``--name=value``, one argument: a value that starts with ``-`` (a column ``-y``, a
    file ``-leads.csv``, a rule) stays the flag's value instead of being read as another
    option, which the CLI's parser does with ``--name VALUE``."""
    return f"{name}={value}"


def path(value: "os.PathLike[str] | str") -> str:
    """A path as the CLI reads it: a file named ``-`` is ``./-`` (a bare ``-`` is standard
    input to the CLI, and the package never means that by a path)."""
    text = os.fspath(value)
    return os.path.join(".", text) if text == "-" else text


@dataclass(frozen=True)
class Completed:
    """A run of the binary that ended with an answer (exit code 0 or 1)."""

    exit_code: int
    stdout: bytes
    stderr: str


def run(arguments: Sequence[str], *, feed: Optional[Callable[[IO[bytes]], None]] = None,
        answers: Sequence[int] = (0,)) -> Completed:
    """Runs ``fairlead ARGUMENTS``; ``feed`` writes its standard input (a pipe) while the
    outputs are read, so neither side waits on a full pipe.

    An exit code in ``answers`` returns; any other raises :class:`FairleadError` with the
    CLI's message.
    """
    binary = binary_path()
    try:
        process = subprocess.Popen(
            [binary, *arguments],
            stdin=subprocess.PIPE if feed is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as error:
        raise FairleadError(f"cannot start the fairlead binary {binary}: {error.strerror or error}", CANNOT_START) from None
    try:
        if feed is None:
            stdout, stderr_bytes = process.communicate()
        else:
            stdout, stderr_bytes = _communicate_feeding(process, feed)
    except BaseException:
        process.kill()
        process.wait()
        raise
    stderr = stderr_bytes.decode("utf-8", errors="replace")
    code = process.returncode
    if code in answers:
        for line in stderr.splitlines():
            if line.startswith("fairlead: warning: "):
                warnings.warn(line[len("fairlead: warning: "):], FairleadWarning, stacklevel=3)
        return Completed(code, stdout, stderr)
    raise _error(binary, code, stderr)


def _communicate_feeding(process: "subprocess.Popen[bytes]", feed: Callable[[IO[bytes]], None]) -> tuple[bytes, bytes]:
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    collected: dict[str, bytes] = {}

    def drain(name: str, stream: IO[bytes]) -> None:
        collected[name] = stream.read()

    readers = [threading.Thread(target=drain, args=("out", process.stdout), daemon=True),
               threading.Thread(target=drain, args=("err", process.stderr), daemon=True)]
    for reader in readers:
        reader.start()
    try:
        feed(process.stdin)
    except BrokenPipeError:
        # The binary stopped reading: it refused the input, and says why on standard error.
        pass
    finally:
        try:
            process.stdin.close()
        except BrokenPipeError:
            pass
    for reader in readers:
        reader.join()
    process.wait()
    return collected.get("out", b""), collected.get("err", b"")


def _error(binary: str, code: int, stderr: str) -> FairleadError:
    missing = _MISSING_LIBRARY.search(stderr)
    if missing:
        library = missing.group(1)
        package = _DEBIAN_PACKAGES.get(library)
        how = (f"on Debian or Ubuntu: apt-get install {package}" if package
               else "install the system package that provides it")
        return FairleadError(f"the fairlead binary {binary} cannot start: the system library {library} is missing; {how} "
                             f"(docs/python.md lists the libraries the binary needs)", CANNOT_START)
    return FairleadError(_message(stderr) or f"fairlead exited with code {code} and no message", code)


def _message(stderr: str) -> str:
    """The CLI's message: its last ``fairlead: …`` line that is not a warning, without the
    prefix; a usage error (ArgumentParser's ``Error: …`` and usage lines) whole."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith("fairlead: ") and not line.startswith("fairlead: warning: "):
            return line[len("fairlead: "):]
    return "\n".join(lines)


def main() -> NoReturn:
    """The ``fairlead`` console script: runs the binary with the same arguments, standard
    streams and exit code (the process is replaced by it)."""
    try:
        binary = binary_path()
    except FairleadError as error:
        sys.stderr.write(f"fairlead: {error.message}\n")
        sys.exit(CANNOT_START)
    try:
        os.execv(binary, [binary, *sys.argv[1:]])
    except OSError as error:
        sys.stderr.write(f"fairlead: cannot start the fairlead binary {binary}: {error.strerror or error}\n")
        sys.exit(CANNOT_START)
