"""The session errors each edge maps by type: not found, conflict, too large, refusal."""

from __future__ import annotations

from rubdown.core.models import Refusal
from rubdown.store.errors import Conflict, NotFound, StoreError, TooLarge

__all__ = ["Conflict", "NotFound", "Refusal", "StoreError", "TooLarge"]
