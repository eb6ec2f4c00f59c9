"""Known failures and their exit codes (DESIGN §3.2).

Raising one of these anywhere below the CLI turns into one clear line on stderr and the
matching exit code; anything else is an unexpected crash and gets a crash log instead.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_CRASH = 3


class FatalError(Exception):
    """Usage or input error: the user can fix it from the message alone (exit 2)."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class CheckFailed(FatalError):
    """A check ran and failed: a gate, a budget, a lint (exit 1)."""

    exit_code = EXIT_CHECK_FAILED


def located(path: object, line: int | None, what: str) -> str:
    """Format 'file:line: what' — the one shape every bad-input message takes."""
    return f"{path}:{line}: {what}" if line else f"{path}: {what}"
