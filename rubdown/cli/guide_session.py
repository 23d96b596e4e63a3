"""The guide's bookkeeping around the store: who is running, stale sessions, resuming, feedback."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rubdown.core.models import Plan, Segment
    from rubdown.store.db import Store
    from rubdown.store.journal import SessionsRepo
    from rubdown.store.records import EventRecord, SessionRecord

try:  # POSIX only; elsewhere every "running" session found at start-up is taken as stale.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


class GuideLock:
    """A lock file every running guide holds shared; holding it exclusively proves none runs.

    A process killed with -9 drops its lock with it, so a session left "running" with nobody
    holding the lock was interrupted, while one whose guide is alive in another terminal is not.
    """

    def __init__(self, store_url: str) -> None:
        from rubdown.store.db import data_dir

        key = hashlib.sha256(store_url.encode()).hexdigest()[:16]
        self.path = data_dir() / "locks" / f"guide-{key}.lock"
        self._file: IO[str] | None = None

    def _open(self) -> IO[str]:
        """The lock file, created if missing."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return self.path.open("a")

    def nobody_running(self) -> bool:
        """Whether no guide holds the lock right now."""
        if fcntl is None:
            return True
        with self._open() as probe:
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False
            fcntl.flock(probe, fcntl.LOCK_UN)
            return True

    def hold(self) -> None:
        """Hold the lock shared until release() or the process ends."""
        if fcntl is not None and self._file is None:
            self._file = self._open()
            fcntl.flock(self._file, fcntl.LOCK_SH)

    def release(self) -> None:
        """Let go of the lock."""
        if self._file is not None:
            self._file.close()
            self._file = None


def settle_stale(store: Store) -> list[int]:
    """Mark sessions left running by a dead guide as interrupted; returns their ids."""
    from rubdown.store.repos import SessionsRepo

    if not GuideLock(store.url).nobody_running():
        return []
    return SessionsRepo(store).mark_interrupted_stale()


@dataclass(frozen=True)
class ResumePoint:
    """Where an interrupted session stopped, and the plan as it stood then."""

    session: SessionRecord
    plan_json: dict[str, Any]
    position_s: float


def resume_point(store: Store) -> ResumePoint | None:
    """The last interrupted session, with its plan including any adjustments made."""
    from rubdown.store.repos import SessionsRepo

    sessions = SessionsRepo(store)
    record = sessions.last_interrupted()
    if record is None:
        return None
    plan = record.plan
    for event in sessions.events(record.id):
        # Adjustments carry the re-fitted plan, so the latest one is the plan in force.
        if event.data and isinstance(event.data.get("plan"), dict):
            plan = event.data["plan"]
    return ResumePoint(record, plan, record.position_s)


class Journal:
    """One session's journal: every event is committed before record() returns."""

    def __init__(self, sessions: SessionsRepo, session_id: int) -> None:
        self.sessions, self.session_id = sessions, session_id

    def record(
        self,
        kind: str,
        clock_s: float,
        index: int | None = None,
        seg: Segment | None = None,
        data: dict[str, Any] | None = None,
    ) -> EventRecord:
        """Commit one event about segment index (if any)."""
        region = seg.region if seg is not None else None
        technique = seg.technique if seg is not None else None
        return self.sessions.record(
            self.session_id, kind, round(clock_s, 3), index, region, technique, data
        )

    def finish(self, status: str, clock_s: float) -> None:
        """Mark the session finished, quit or interrupted."""
        self.sessions.finish(self.session_id, status, round(clock_s, 3))

    def progress(self, clock_s: float, index: int | None) -> None:
        """Commit how far the session has got, so a crash resumes from here."""
        self.sessions.save_progress(self.session_id, round(clock_s, 3), index)


def plan_data(plan: Plan, note: str, **extra: Any) -> dict[str, Any]:
    """Event data for an adjustment: the note and the whole new plan, so --resume can use it."""
    from rubdown.core.planjson import plan_to_json

    return {"note": note, **extra, "plan": plan_to_json(plan)}
