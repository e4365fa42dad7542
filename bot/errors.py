"""Failures that end `guildhall run` with a clear line instead of a traceback."""

from __future__ import annotations


class ServiceFailed(Exception):
    """A platform cannot work as configured (a refused token); already logged, exit `code`.

    Not SystemExit: that would escape the event loop and skip the graceful shutdown.
    """

    def __init__(self, reason: str, code: int = 1) -> None:
        super().__init__(reason)
        self.code = code
