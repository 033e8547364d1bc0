"""The one exception the package raises for what the command line refuses."""

from __future__ import annotations


class FairleadError(Exception):
    """The `fairlead` command line refused the input or failed.

    ``message`` is the CLI's message (it names the file, line, column or key and what was
    expected); ``exit_code`` is its exit code: 2 for bad input or usage, 3 for an internal
    error. A binary that cannot start at all (missing, not executable, a system library
    missing) is ``exit_code`` 127, with what to install in ``message``.
    """

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return f"{self.message} (exit code {self.exit_code})"
