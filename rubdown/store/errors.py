"""Errors raised by the store, with messages fit to show a user as-is."""

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
    """The change clashes with what is stored (a name taken, a session not interrupted)."""
