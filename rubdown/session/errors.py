"""The session errors each edge maps by type: not found, conflict, too large, refusal, not now."""

from __future__ import annotations

from rubdown.core.checkin import NotACheckIn
from rubdown.core.models import Refusal
from rubdown.store.errors import Conflict, NotFound, StoreError, TooLarge

__all__ = ["Conflict", "NotACheckIn", "NotFound", "Refusal", "StoreError", "TooLarge"]
