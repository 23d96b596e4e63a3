"""Sessions and their crash-safe event journal: one committed transaction per event.

Every write takes the session's lock first (SQLite's write lock, PostgreSQL's row lock), so
event numbers are contiguous whoever writes; an event resent with its client id is stored once;
nothing is added after the end, and a session ends once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from rubdown.store.db import Store
from rubdown.store.errors import Conflict, NotFound, StoreError, TooLarge
from rubdown.store.models import EventRow, FeedbackRow, PersonRow, SessionRow, utcnow
from rubdown.store.people import find_row
from rubdown.store.plans import planned_seconds as plan_length
from rubdown.store.records import EVENT_KINDS, EventRecord, SessionRecord

ENDINGS = ("finished", "quit", "interrupted")
# Endings nothing follows: an interrupted session may still resume, or be ended for good.
FINAL = ("finished", "quit")
# Kinds journalled after the end: what the receiver said afterwards.
AFTER_THE_END = ("feedback",)
# Event data is small (a note, a pressure, the re-fitted plan); more is a mistake or an attack.
MAX_DATA_BYTES = 256 * 1024

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
            owner=s.owner,
            heartbeat_at=s.heartbeat_at,
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
        client_id=row.client_id,
    )


def lock_session(session: Session, session_id: int) -> SessionRow:
    """The session row, locked on PostgreSQL so seq numbers cannot collide (NotFound if none)."""
    row = session.get(SessionRow, session_id, with_for_update=True)
    if row is None:
        raise NotFound(f"there is no session number {session_id}")
    return row


def last_event(session: Session, session_id: int) -> EventRow | None:
    """The session's latest journal entry."""
    query = select(EventRow).where(EventRow.session_id == session_id)
    return session.scalar(query.order_by(EventRow.seq.desc()).limit(1))


def check_data(data: dict[str, Any] | None, limit: int = MAX_DATA_BYTES) -> None:
    """TooLarge when event data would take more than limit bytes as JSON."""
    if data is None:
        return
    size = len(json.dumps(data, separators=(",", ":")).encode())
    if size > limit:
        raise TooLarge(f"event data is {size} bytes; the most an event may carry is {limit}")


def check_open(row: SessionRow, kind: str) -> None:
    """Conflict when the session can take no more events of this kind."""
    if row.status == "running" or kind in AFTER_THE_END:
        return
    if row.status == "interrupted":
        raise Conflict(
            f"session {row.id} is interrupted: resume it before adding events", row.status
        )
    raise Conflict(
        f"session {row.id} has ended ({row.status}): it takes no more events", row.status
    )


def append(
    session: Session, row: SessionRow, event: EventRow, position_s: float | None, now: datetime
) -> None:
    """Add event as the session's next seq and move the session's progress along."""
    if event.kind not in EVENT_KINDS:
        raise StoreError(f"unknown event kind {event.kind!r}")
    check_data(event.data)
    top = session.scalar(select(func.max(EventRow.seq)).where(EventRow.session_id == row.id))
    event.session_id = row.id
    event.seq = (top or 0) + 1
    event.at = now
    session.add(event)
    if event.kind in AFTER_THE_END:
        return  # said afterwards: it is not progress through the massage
    if row.status == "running":
        row.heartbeat_at = now  # each event shows that its writer is alive
    row.position_s = event.clock_s if position_s is None else position_s
    row.done_seconds = max(row.done_seconds, round(event.clock_s))
    if event.segment_index is not None:
        row.segment_index = event.segment_index


def append_at_last_clock(
    session: Session,
    row: SessionRow,
    kind: str,
    data: dict[str, Any],
    now: datetime | None = None,
    client_id: str | None = None,
) -> None:
    """Journal a bookkeeping event at the session clock's last known reading."""
    last = last_event(session, row.id)
    # Progress saved between events (save_progress) is a later reading than the last event.
    clock = max(last.clock_s if last is not None else 0.0, row.position_s)
    event = EventRow(kind=kind, clock_s=clock, data=data, client_id=client_id)
    append(session, row, event, row.position_s, now or utcnow())


def by_client_id(
    session: Session,
    session_id: int,
    client_id: str | None,
    *kinds: str,
    same: Mapping[str, object] | None = None,
    or_absent: Collection[str] = (),
) -> EventRow | None:
    """The event already stored under this client id, if any.

    A key names one request and another request cannot borrow it: Conflict if the stored event
    is not one of kinds (when given) or its data differs in a field of same (who, which answer);
    a field of or_absent that the stored data lacks (journalled before it was) matches.
    """
    if client_id is None:
        return None
    query = select(EventRow).where(
        EventRow.session_id == session_id, EventRow.client_id == client_id
    )
    stored = session.scalar(query)
    if stored is None:
        return None
    data = stored.data or {}
    lacking = {field: value for field, value in (same or {}).items() if field in or_absent}
    if (kinds and stored.kind not in kinds) or any(
        data.get(field, lacking.get(field)) != value for field, value in (same or {}).items()
    ):
        raise Conflict(
            f"client id {client_id!r} was already used for another request (a {stored.kind} "
            f"event) in session {session_id}: send a new id for a new request"
        )
    return stored


def is_stale(row: SessionRow, cutoff: datetime, alive: Callable[[str], bool]) -> bool:
    """Whether a running session's owner stopped: heartbeat older than cutoff, or known dead."""
    beat = row.heartbeat_at or row.started_at
    return beat < cutoff or (row.owner is not None and not alive(row.owner))


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
        owner: str | None = None,
        now: datetime | None = None,
    ) -> int:
        """Create a running session for this plan and journal session-started; returns its id."""
        now = now or utcnow()
        with self.store.write() as session:
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
                started_at=started_at or now,
                owner=owner,
                heartbeat_at=now,
            )
            session.add(row)
            session.flush()
            append(session, row, EventRow(kind="session-started", clock_s=0.0), 0.0, now)
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
        client_id: str | None = None,
        now: datetime | None = None,
    ) -> EventRecord:
        """Journal one event, committed before returning; position_s defaults to clock_s.

        An event sent again with the same client_id is not stored twice: the first is returned.
        """
        event = EventRow(
            kind=kind,
            clock_s=float(clock_s),
            segment_index=segment_index,
            region=region,
            technique=technique,
            data=data,
            client_id=client_id,
        )
        with self.store.write() as session:
            row = lock_session(session, session_id)
            stored = by_client_id(session, session_id, client_id, kind)
            if stored is not None:
                return to_event(stored)
            check_open(row, kind)
            append(session, row, event, position_s, now or utcnow())
            session.flush()
            return to_event(event)

    def save_progress(
        self,
        session_id: int,
        position_s: float,
        segment_index: int | None = None,
        *,
        now: datetime | None = None,
    ) -> str:
        """Commit how far a running session has got (and that it is alive); returns its status."""
        with self.store.write() as session:
            row = lock_session(session, session_id)
            if row.status != "running":
                return row.status  # an ended session's position is where it ended
            row.position_s = float(position_s)
            row.done_seconds = max(row.done_seconds, round(position_s))
            row.heartbeat_at = now or utcnow()
            if segment_index is not None:
                row.segment_index = segment_index
            return row.status

    def heartbeat(self, session_id: int, now: datetime | None = None) -> str:
        """Say the session's owner is alive, without moving it; returns its status."""
        with self.store.write() as session:
            row = lock_session(session, session_id)
            if row.status == "running":
                row.heartbeat_at = now or utcnow()
            return row.status

    def interrupted(self, limit: int = 5) -> list[SessionRecord]:
        """The latest interrupted sessions, newest first, resumable or not."""
        with self.store.sessionmaker() as session:
            return fetch_sessions(session, SessionRow.status == "interrupted", limit=limit)

    def finish(
        self,
        session_id: int,
        status: str,
        clock_s: float | None = None,
        *,
        now: datetime | None = None,
        reason: str | None = None,
        client_id: str | None = None,
    ) -> SessionRecord:
        """End a session as finished, quit or interrupted, once.

        Ending again the same way changes nothing; ending an ended session another way is a
        Conflict. An interrupted session may still be finished or quit for good. An ending
        resent with its client_id is answered as the first time.
        """
        if status not in ENDINGS:
            raise StoreError(f"a session ends as one of {', '.join(ENDINGS)}, not {status!r}")
        now = now or utcnow()
        with self.store.write() as session:
            row = lock_session(session, session_id)
            if by_client_id(session, session_id, client_id, status) is not None:
                session.rollback()  # this very ending was stored: nothing more to write
                return self.get(session_id)
            if row.status == status:
                session.rollback()  # the same ending again: nothing to write
                return self.get(session_id)
            if row.status in FINAL or (row.status == "interrupted" and status == "interrupted"):
                raise Conflict(f"session {session_id} has already ended ({row.status})", row.status)
            last = last_event(session, session_id)
            if last is None or last.kind != status:  # the guide journals its ending itself
                clock = clock_s if clock_s is not None else (last.clock_s if last else 0.0)
                data = {"reason": reason} if reason else None
                ending = EventRow(kind=status, clock_s=float(clock), data=data, client_id=client_id)
                append(session, row, ending, None, now)
            row.status = status
            row.ended_at = now
        return self.get(session_id)

    def mark_stale(self, now: datetime, limit_s: float, alive: Callable[[str], bool]) -> list[int]:
        """Mark running sessions whose owner stopped (see is_stale) interrupted; their ids."""
        cutoff = now - timedelta(seconds=limit_s)
        with self.store.write() as session:
            query = select(SessionRow).where(SessionRow.status == "running")
            stale = [row for row in session.scalars(query) if is_stale(row, cutoff, alive)]
            for row in stale:
                last = last_event(session, row.id)
                # It really stopped at its last sign of life, not now.
                stopped = max(
                    row.heartbeat_at or row.started_at, last.at if last else row.started_at
                )
                row.status = "interrupted"
                append_at_last_clock(session, row, "interrupted", {"reason": "owner stopped"}, now)
                row.ended_at = stopped
            return [row.id for row in stale]

    def last_interrupted(self) -> SessionRecord | None:
        """The latest session if it was interrupted (a newer session supersedes it)."""
        with self.store.sessionmaker() as session:
            latest = fetch_sessions(session, limit=1)
        return latest[0] if latest and latest[0].status == "interrupted" else None

    def resume(
        self,
        session_id: int,
        owner: str | None = None,
        now: datetime | None = None,
        client_id: str | None = None,
    ) -> SessionRecord:
        """Set an interrupted session running again under owner, journalling resumed (once
        per client_id: a resend of the same resume is answered as the first time)."""
        now = now or utcnow()
        with self.store.write() as session:
            row = lock_session(session, session_id)
            if by_client_id(session, session_id, client_id, "resumed") is not None:
                session.rollback()
                return self.get(session_id)
            if row.status != "interrupted":
                raise Conflict(f"session {session_id} is {row.status}, not interrupted", row.status)
            row.status, row.ended_at, row.owner = "running", None, owner
            data = {"after": "interrupted"}
            append_at_last_clock(session, row, "resumed", data, now, client_id)
            row.heartbeat_at = now
        return self.get(session_id)

    def events(self, session_id: int) -> list[EventRecord]:
        """The session's journal in order."""
        with self.store.sessionmaker() as session:
            query = select(EventRow).where(EventRow.session_id == session_id)
            return [to_event(e) for e in session.scalars(query.order_by(EventRow.seq))]

    def event_by_client(
        self,
        session_id: int,
        client_id: str | None,
        *kinds: str,
        same: Mapping[str, object] | None = None,
        or_absent: Collection[str] = (),
    ) -> EventRecord | None:
        """The session's event stored under a page's client id, if any; Conflict if another
        request used the key (by_client_id: not one of kinds, or data unlike same)."""
        with self.store.sessionmaker() as session:
            row = by_client_id(
                session, session_id, client_id, *kinds, same=same, or_absent=or_absent
            )
            return to_event(row) if row is not None else None

    def get(self, session_id: int) -> SessionRecord:
        """One session, or NotFound if there is none with this id."""
        with self.store.sessionmaker() as session:
            found = fetch_sessions(session, SessionRow.id == session_id)
        if not found:
            raise NotFound(f"there is no session number {session_id}")
        return found[0]

    def history(self, limit: int = 20) -> list[SessionRecord]:
        """The latest sessions, newest first."""
        with self.store.sessionmaker() as session:
            return fetch_sessions(session, limit=limit)
