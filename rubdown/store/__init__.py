"""Storage for rubdown: people, the session journal, feedback and turn-taking.

SQLAlchemy is imported only by the submodules (``rubdown.store.db`` and friends), so
importing this package stays cheap for commands that never touch the database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rubdown.store.errors import StoreError

if TYPE_CHECKING:
    from rubdown.store.db import Store, database_url, open_store

__all__ = ["Store", "StoreError", "database_url", "open_store"]

_LAZY = {"Store", "database_url", "open_store"}


def __getattr__(name: str) -> Any:
    """Load the SQLAlchemy-backed names on first use."""
    if name in _LAZY:
        from rubdown.store import db

        return getattr(db, name)
    raise AttributeError(f"module 'rubdown.store' has no attribute {name!r}")
