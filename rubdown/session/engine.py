"""One running session: start it, apply changes, journal events, end it. Thread-safe.

Every edge drives a session through this class: the terminal guide's keys, the web player's
journal, the receiver's remote, and voice commands from a listener thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rubdown.core.calibrate import NotAtThePressureCheck
from rubdown.core.checkin import NotACheckIn
from rubdown.core.planjson import plan_to_json
from rubdown.core.timeline import segment_at
from rubdown.session.changes import (
    CHANGE_EVENTS,
    change_data,
    is_journalled,
    plan_change,
    spoken,
)
from rubdown.session.checkin import (
    ANSWERED,
    TO_CHECK_IN,
    TO_PRESSURE_CHECK,
    Answered,
    answer_check_in,
    answer_pressure_check,
)
from rubdown.session.force import plan_in_force
from rubdown.store.errors import Conflict, StoreError
from rubdown.store.repos import PeopleRepo, SessionsRepo

if TYPE_CHECKING:
    from rubdown.core.models import Catalogue, Plan
    from rubdown.store.db import Store
    from rubdown.store.records import EventRecord, SessionRecord

# What the player may put in an event's data: a few small fields, not a payload.
CLIENT_DATA_BYTES = 4096


@dataclass(frozen=True)
class Outcome:
    """What one change did: the plan now in force, the note, what to say, and its event."""

    change: str
    by: str
    index: int
    clock_s: float
    note: str
    say: str
    changed: bool
    plan: Plan
    version: int
    event: EventRecord | None
    repeated: bool = False  # a resend of a press already applied: nothing changed again


def check_people(store: Store, giver: str | None, receiver: str | None) -> None:
    """Refuse one person as both giver and receiver, or a name the store does not know."""
    from rubdown.store.people import name_key

    if giver and receiver and name_key(giver) == name_key(receiver):
        raise StoreError("the giver and the receiver must be two different people")
    people = PeopleRepo(store)
    for name in (giver, receiver):
        if name:
            people.get(name)  # StoreError naming who is known


class RunningSession:
    """A session being played: its plan in force, its journal and its owner."""

    def __init__(
        self, store: Store, cat: Catalogue, record: SessionRecord, plan: Plan, version: int
    ) -> None:
        self.store, self.cat, self.repo = store, cat, SessionsRepo(store)
        self.session_id, self.plan, self.version = record.id, plan, version
        self.record_at_load = record
        self.owner = record.owner
        self.lock = threading.RLock()
        self._listeners: list[Callable[[Outcome], None]] = []

    @classmethod
    def start(
        cls,
        store: Store,
        cat: Catalogue,
        plan: Plan,
        people: tuple[str | None, str | None] = (None, None),
        owner: str | None = None,
    ) -> RunningSession:
        """Check the people, open a running session for plan (journalling session-started)."""
        giver, receiver = people
        check_people(store, giver, receiver)
        repo = SessionsRepo(store)
        session_id = repo.start(plan_to_json(plan), giver, receiver, owner=owner)
        return cls(store, cat, repo.get(session_id), plan, 0)

    @classmethod
    def load(cls, store: Store, cat: Catalogue, session_id: int) -> RunningSession:
        """The session with its plan in force rebuilt from the journal (NotFound if none)."""
        repo = SessionsRepo(store)
        record = repo.get(session_id)
        plan, version = plan_in_force(record, repo.events(session_id))
        return cls(store, cat, record, plan, version)

    def subscribe(self, listener: Callable[[Outcome], None]) -> None:
        """Call listener (in the changing thread) after each change, e.g. to reschedule."""
        self._listeners.append(listener)

    @property
    def status(self) -> str:
        """The session's status as stored now."""
        return self.repo.get(self.session_id).status

    def change(
        self,
        change: str,
        clock_s: float,
        *,
        by: str = "giver",
        index: int | None = None,
        client_id: str | None = None,
    ) -> Outcome:
        """Apply one change at clock_s (segment index, else the one then), journal, notify.

        A change sent again with the client_id of one already journalled is not applied again:
        the outcome repeats the first one's note (repeated=True) and nobody is notified.
        """
        with self.lock:
            # A key names one press: the same change by the same person, not an answer that
            # made that change (Conflict otherwise).
            same = {"by": by, "to": None}
            stored = self.repo.event_by_client(
                self.session_id, client_id, CHANGE_EVENTS[change], same=same
            )
            if stored is not None:
                return self._repeat(change, by, stored)
            now, at = self._where(clock_s)
            outcome = self._apply(change, by, now, at if index is None else index, client_id)
        for listener in self._listeners:
            listener(outcome)
        return outcome

    def _apply(self, change: str, by: str, now: float, at: int, client_id: str | None) -> Outcome:
        """Make the change at segment at (the lock held): journal it, keep the plan it made."""
        new, note = plan_change(self.plan, self.cat, change, at, now)
        changed = new is not self.plan
        event = None
        # A press with a key is journalled even when refused, so its resend hears the same.
        if client_id is not None or is_journalled(change, changed):
            data = change_data(change, by, note, new, at, changed)
            event = self._journal(CHANGE_EVENTS[change], now, at, data, client_id)
        self._take(new)
        return Outcome(
            change, by, at, round(now, 3), note, spoken(change, by, note), changed,
            self.plan, self.version, event,
        )  # fmt: skip

    def _take(self, new: Plan) -> bool:
        """Put a plan a change made in force (the lock held); whether it is a new one."""
        if new is self.plan:
            return False
        self.plan, self.version = new, self.version + 1
        return True

    def _repeat(
        self, change: str, by: str, stored: EventRecord, refusal: type[NotACheckIn] | None = None
    ) -> Outcome:
        """The outcome of a change already journalled as stored, told again the same way (an
        answer journalled as refused raises its refusal again)."""
        data = stored.data or {}
        note = str(data.get("note", ""))
        if refusal is not None and "refused" in data:
            raise refusal(note)  # refused the first time: refused again, whatever now
        last = len(self.plan.segments) - 1  # later changes may have re-fitted the plan
        index = min(stored.segment_index if stored.segment_index is not None else 0, last)
        say = spoken(change, by, note) if change in CHANGE_EVENTS else note  # answers say notes
        changed = isinstance(data.get("plan"), dict)  # it re-fitted the plan the first time
        return Outcome(
            change, by, index, stored.clock_s, note, say, changed,
            self.plan, self.version, stored, repeated=True,
        )  # fmt: skip

    def answer(
        self,
        answer: str,
        clock_s: float,
        *,
        by: str = "receiver",
        client_id: str | None = None,
    ) -> Outcome:
        """A check-in answer (session.checkin), journalled with who gave it, once per client id.

        NotACheckIn when the session is not at a check-in then.
        """

        def decide(now: float, index: int) -> Answered:
            return answer_check_in(self.plan, self.cat, answer, index, now, by)

        to = TO_CHECK_IN
        return self._answer(f"answer-{answer}", by, clock_s, client_id, decide, NotACheckIn, to)

    def check_pressure(
        self,
        answer: str,
        clock_s: float,
        *,
        by: str = "receiver",
        client_id: str | None = None,
    ) -> Outcome:
        """A pressure-check answer (less, more, right; core.calibrate), journalled as
        pressure-checked with who gave it and the plan it leaves, once per client id.

        NotAtThePressureCheck when the session is not at its check then, or the check is over.
        """

        def decide(_now: float, index: int) -> Answered:
            events = self.repo.events(self.session_id)
            return answer_pressure_check(self.plan, answer, index, events, by)

        refusal, to = NotAtThePressureCheck, TO_PRESSURE_CHECK
        return self._answer(f"check-{answer}", by, clock_s, client_id, decide, refusal, to)

    def _answer(
        self,
        name: str,
        by: str,
        clock_s: float,
        client_id: str | None,
        decide: Callable[[float, int], Answered],
        refusal: type[NotACheckIn],
        to: str,
    ) -> Outcome:
        """Decide an answer at clock_s, journal it, take the plan it leaves, notify (refusal:
        what decide raises when it is not the time, raised again for its resend; to: which
        question it answers)."""
        with self.lock:
            # A key names one answer by one person to one question (Conflict otherwise).
            # Answers journalled before "to" was lack it: the question is then taken as this one.
            same = {"by": by, "answer": name.partition("-")[2], "to": to}
            stored = self.repo.event_by_client(
                self.session_id, client_id, same=same, or_absent=("to",)
            )
            if stored is not None:
                return self._repeat(name, by, stored, refusal)
            now, index = self._where(clock_s)
            try:
                done = decide(now, index)
            except NotACheckIn as refused:
                if client_id is not None:  # a resend of this key is refused the same way
                    self._journal_refusal(refused, name, by, now, index, client_id, to)
                raise
            data = {**done.data, "to": to}
            event = self._journal(done.kind, now, done.index, data, client_id, done.plan)
            changed = self._take(done.plan)
            outcome = Outcome(
                name, by, index, round(now, 3), done.note, done.note, changed,
                self.plan, self.version, event,
            )  # fmt: skip
        for listener in self._listeners:
            listener(outcome)
        return outcome

    def _journal_refusal(
        self,
        refused: NotACheckIn,
        name: str,
        by: str,
        now: float,
        index: int,
        client_id: str,
        to: str,
    ) -> None:
        """Journal an answer refused as not now, as an answer that changed nothing."""
        answer = name.partition("-")[2]
        data = {"by": by, "note": str(refused), "answer": answer, "refused": refused.word, "to": to}
        self._journal(ANSWERED, now, index, data, client_id)

    def _where(self, clock_s: float) -> tuple[float, int]:
        """The clock reading within the plan and its segment; Conflict unless running."""
        status = self.status
        if status != "running":
            raise Conflict(f"session {self.session_id} is {status}: it cannot change", status)
        now = min(max(clock_s, 0.0), self.plan.total_seconds)
        return now, segment_at(self.plan, now)

    def _journal(
        self,
        kind: str,
        clock_s: float,
        index: int | None,
        data: Any,
        client_id: str | None,
        plan: Plan | None = None,
    ) -> EventRecord:
        """Commit an event about segment index of plan (default: the plan in force)."""
        segments = (plan or self.plan).segments
        seg = segments[index] if index is not None else None
        return self.repo.record(
            self.session_id,
            kind,
            round(clock_s, 3),
            index,
            seg.region if seg else None,
            seg.technique if seg else None,
            data,
            client_id=client_id,
        )

    def record(
        self,
        kind: str,
        clock_s: float,
        index: int | None = None,
        data: dict[str, Any] | None = None,
        *,
        client_id: str | None = None,
    ) -> EventRecord:
        """Journal something that happened (a step began, a pause), committed on return."""
        from rubdown.store.journal import check_data

        check_data(data, CLIENT_DATA_BYTES)
        if index is not None and not 0 <= index < len(self.plan.segments):
            index = None  # a segment the plan in force does not have: keep the event, not that
        with self.lock:
            return self._journal(kind, clock_s, index, data, client_id)

    def progress(self, clock_s: float, index: int | None) -> str:
        """Commit how far the session has got, so a crash resumes from here; the status."""
        return self.repo.save_progress(self.session_id, round(clock_s, 3), index)

    def heartbeat(self) -> str:
        """Say the owner is alive; returns the session's status."""
        return self.repo.heartbeat(self.session_id)

    def finish(
        self, status: str, clock_s: float | None = None, *, client_id: str | None = None
    ) -> SessionRecord:
        """End the session as finished, quit or interrupted (once; once per client id)."""
        with self.lock:
            at = round(clock_s, 3) if clock_s is not None else None
            return self.repo.finish(self.session_id, status, at, client_id=client_id)

    def resume(self, owner: str | None = None, *, client_id: str | None = None) -> SessionRecord:
        """Carry on an interrupted session, now played by owner (once per client id)."""
        with self.lock:
            record = self.repo.resume(self.session_id, owner, client_id=client_id)
            self.owner = owner
            return record
