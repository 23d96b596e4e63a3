"""Errors raised by the store, with messages fit to show a user as-is.

Each edge maps these by type (never by message text): the CLI to an exit code, the web app to
a status (StoreError 400, NotFound 404, Conflict 409, TooLarge 413).
"""

from __future__ import annotations


class StoreError(Exception):
    """A storage problem explained in one sentence; the CLI prints it without a traceback."""


DISK_FULL = "the disk is full: nothing was lost; free space and run `rubdown guide --resume`"
READ_ONLY = (
    "the database is read-only: nothing was lost; make it writable and run `rubdown guide --resume`"
)


class StorageUnavailable(StoreError):
    """The database cannot take writes now (disk full, read-only); what was saved is safe."""

    exit_code = 1


class NotFound(StoreError):
    """No such person or session."""


class Conflict(StoreError):
    """The change clashes with what is stored (a name taken, an ended session, another ending)."""

    def __init__(self, message: str, status: str | None = None) -> None:
        super().__init__(message)
        self.status = status  # the session's status, so a client can act on it (resume)


class TooLarge(StoreError):
    """The data sent is bigger than the store accepts."""
