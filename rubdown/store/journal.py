"""Sessions and their crash-safe event journal: one committed transaction per event."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from rubdown.store.db import Store
from rubdown.store.errors import Conflict, NotFound, StoreError
from rubdown.store.models import EventRow, FeedbackRow, PersonRow, SessionRow, utcnow
from rubdown.store.people import find_row
from rubdown.store.plans import planned_seconds as plan_length
from rubdown.store.records import EVENT_KINDS, EventRecord, SessionRecord

ENDINGS = ("finished", "quit", "interrupted")

_Giver = aliased(PersonRow, name="giver")
_Receiver = aliased(PersonRow, name="receiver")
NEWEST_FIRST = (SessionRow.started_at.desc(), SessionRow.id.desc())


def fetch_sessions(
    session: Session, *where: ColumnElement[bool], limit: int | None = None
) -> list[SessionRecord]:
    """Sessions matching where, newest first, with names and rating."""
    query = (
        select(SessionRow, _Giver.name, _Receiver.name, FeedbackRow.overall)
        .outerjoin(_Giver, SessionRow.giver_id == _Giver.id)
        .outerjoin(_Receiver, SessionRow.receiver_id == _Receiver.id)
        .outerjoin(FeedbackRow, FeedbackRow.session_id == SessionRow.id)
        .where(*where)
        .order_by(*NEWEST_FIRST)
        .limit(limit)
    )
    return [
        SessionRecord(
            id=s.id,
            started_at=s.started_at,
            ended_at=s.ended_at,
            giver=giver,
            receiver=receiver,
            planned_seconds=s.planned_seconds,
            done_seconds=s.done_seconds,
            status=s.status,
            plan_json=s.plan_json,
            position_s=s.position_s,
            segment_index=s.segment_index,
            rating=rating,
        )
        for s, giver, receiver, rating in session.execute(query)
    ]


def to_event(row: EventRow) -> EventRecord:
    """Freeze an event row."""
    return EventRecord(
        id=row.id,
        session_id=row.session_id,
        seq=row.seq,
        at=row.at,
        clock_s=row.clock_s,
        kind=row.kind,
        segment_index=row.segment_index,
        region=row.region,
        technique=row.technique,
        data=row.data,
    )


def lock_session(session: Session, session_id: int) -> SessionRow:
    """The session row, locked on PostgreSQL so seq numbers cannot collide."""
    row = session.get(SessionRow, session_id, with_for_update=True)
    if row is None:
        raise NotFound(f"there is no session number {session_id}")
    return row


def last_event(session: Session, session_id: int) -> EventRow | None:
    """The session's latest journal entry."""
    query = select(EventRow).where(EventRow.session_id == session_id)
    return session.scalar(query.order_by(EventRow.seq.desc()).limit(1))


def append(session: Session, row: SessionRow, event: EventRow, position_s: float | None) -> None:
    """Add event as the session's next seq and move the session's progress along."""
    if event.kind not in EVENT_KINDS:
        raise StoreError(f"unknown event kind {event.kind!r}")
    top = session.scalar(select(func.max(EventRow.seq)).where(EventRow.session_id == row.id))
    event.session_id = row.id
    event.seq = (top or 0) + 1
    event.at = utcnow()
    session.add(event)
    if event.kind == "feedback":
        return  # said afterwards: it is not progress through the massage
    row.position_s = event.clock_s if position_s is None else position_s
    row.done_seconds = max(row.done_seconds, round(event.clock_s))
    if event.segment_index is not None:
        row.segment_index = event.segment_index


def append_at_last_clock(
    session: Session, row: SessionRow, kind: str, data: dict[str, Any]
) -> None:
    """Journal a bookkeeping event at the session clock's last known reading."""
    last = last_event(session, row.id)
    # Progress saved between events (save_progress) is a later reading than the last event.
    clock = max(last.clock_s if last is not None else 0.0, row.position_s)
    append(session, row, EventRow(kind=kind, clock_s=clock, data=data), row.position_s)


class SessionsRepo:
    """Start sessions, journal what happens, and read them back."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def start(
        self,
        plan_json: dict[str, Any],
        giver: str | None,
        receiver: str | None,
        *,
        planned_seconds: int | None = None,
        started_at: datetime | None = None,
    ) -> int:
        """Create a running session for this plan and journal session-started; returns its id."""
        with self.store.sessionmaker.begin() as session:
            row = SessionRow(
                giver_id=find_row(session, giver).id if giver else None,
                receiver_id=find_row(session, receiver).id if receiver else None,
                planned_seconds=plan_length(plan_json)
                if planned_seconds is None
                else planned_seconds,
                done_seconds=0,
                status="running",
                plan_json=json.dumps(plan_json),
                position_s=0.0,
                started_at=started_at or utcnow(),
            )
            session.add(row)
            session.flush()
            append(session, row, EventRow(kind="session-started", clock_s=0.0), 0.0)
            return row.id

    def record(
        self,
        session_id: int,
        kind: str,
        clock_s: float,
        segment_index: int | None = None,
        region: str | None = None,
        technique: str | None = None,
        data: dict[str, Any] | None = None,
        *,
        position_s: float | None = None,
    ) -> EventRecord:
        """Journal one event, committed before returning; position_s defaults to clock_s."""
        event = EventRow(
            kind=kind,
            clock_s=float(clock_s),
            segment_index=segment_index,
            region=region,
            technique=technique,
            data=data,
        )
        with self.store.sessionmaker.begin() as session:
            append(session, lock_session(session, session_id), event, position_s)
            session.flush()
            return to_event(event)

    def save_progress(
        self, session_id: int, position_s: float, segment_index: int | None = None
    ) -> None:
        """Commit how far a running session has got, without adding a journal entry."""
        with self.store.sessionmaker.begin() as session:
            row = lock_session(session, session_id)
            if row.status != "running":
                return  # an ended session's position is where it ended
            row.position_s = float(position_s)
            row.done_seconds = max(row.done_seconds, round(position_s))
            if segment_index is not None:
                row.segment_index = segment_index

    def interrupted(self, limit: int = 5) -> list[SessionRecord]:
        """The latest interrupted sessions, newest first, resumable or not."""
        with self.store.sessionmaker() as session:
            return fetch_sessions(session, SessionRow.status == "interrupted", limit=limit)

    def finish(self, session_id: int, status: str, clock_s: float | None = None) -> SessionRecord:
        """End a session as finished, quit or interrupted, journalling that unless just done."""
        if status not in ENDINGS:
            raise StoreError(f"a session ends as one of {', '.join(ENDINGS)}, not {status!r}")
        with self.store.sessionmaker.begin() as session:
            row = lock_session(session, session_id)
            last = last_event(session, session_id)
            if last is None or last.kind != status:
                clock = clock_s if clock_s is not None else (last.clock_s if last else 0.0)
                append(session, row, EventRow(kind=status, clock_s=float(clock)), None)
            row.status = status
            row.ended_at = utcnow()
        return self.get(session_id)

    def mark_interrupted_stale(self) -> list[int]:
        """Mark every still-running session interrupted; call when a new guide starts."""
        with self.store.sessionmaker.begin() as session:
            rows = session.scalars(select(SessionRow).where(SessionRow.status == "running")).all()
            for row in rows:
                last = last_event(session, row.id)
                append_at_last_clock(session, row, "interrupted", {"reason": "found running"})
                row.status = "interrupted"
                # It really stopped at its last journal entry, not now.
                row.ended_at = last.at if last is not None else row.started_at
            return [row.id for row in rows]

    def last_interrupted(self) -> SessionRecord | None:
        """The latest session if it was interrupted (a newer session supersedes it)."""
        with self.store.sessionmaker() as session:
            latest = fetch_sessions(session, limit=1)
        return latest[0] if latest and latest[0].status == "interrupted" else None

    def resume(self, session_id: int) -> SessionRecord:
        """Set an interrupted session running again, journalling resumed."""
        with self.store.sessionmaker.begin() as session:
            row = lock_session(session, session_id)
            if row.status != "interrupted":
                raise Conflict(f"session {session_id} is {row.status}, not interrupted")
            append_at_last_clock(session, row, "resumed", {"after": "interrupted"})
            row.status = "running"
            row.ended_at = None
        return self.get(session_id)

    def events(self, session_id: int) -> list[EventRecord]:
        """The session's journal in order."""
        with self.store.sessionmaker() as session:
            query = select(EventRow).where(EventRow.session_id == session_id)
            return [to_event(e) for e in session.scalars(query.order_by(EventRow.seq))]

    def get(self, session_id: int) -> SessionRecord:
        """One session, or StoreError if there is none with this id."""
        with self.store.sessionmaker() as session:
            found = fetch_sessions(session, SessionRow.id == session_id)
        if not found:
            raise NotFound(f"there is no session number {session_id}")
        return found[0]

    def history(self, limit: int = 20) -> list[SessionRecord]:
        """The latest sessions, newest first."""
        with self.store.sessionmaker() as session:
            return fetch_sessions(session, limit=limit)
