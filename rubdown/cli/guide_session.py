"""The guide's bookkeeping around the session engine: resuming and the session's heartbeat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rubdown.store.db import Store
    from rubdown.store.records import SessionRecord


@dataclass(frozen=True)
class ResumePoint:
    """Where an interrupted session stopped, and the plan as it stood then."""

    session: SessionRecord
    plan_json: dict[str, Any]
    position_s: float


def resume_point(store: Store) -> ResumePoint | None:
    """The last interrupted session, with its plan including any adjustments made."""
    from rubdown.session.force import plan_json_in_force
    from rubdown.store.repos import SessionsRepo

    sessions = SessionsRepo(store)
    record = sessions.last_interrupted()
    if record is None:
        return None
    plan, _ = plan_json_in_force(record, sessions.events(record.id))
    return ResumePoint(record, plan, record.position_s)
