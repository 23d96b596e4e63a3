"""Errors raised by the store, with messages fit to show a user as-is."""

from __future__ import annotations


class StoreError(Exception):
    """A storage problem explained in one sentence; the CLI prints it without a traceback."""
