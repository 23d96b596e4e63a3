"""Live sessions on the server: the current plan, a clock estimate, and remote-control actions."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rubdown.core import adjust, checkin
from rubdown.core.models import Catalogue, Plan
from rubdown.core.planjson import plan_from_json, plan_to_json
from rubdown.core.timeline import segment_at, spoken_texts
from rubdown.store.records import EventRecord, SessionRecord
from rubdown.store.repos import SessionsRepo

if TYPE_CHECKING:
    from rubdown.store.db import Store
    from rubdown.web.cues import CueLibrary
    from rubdown.web.hub import Hub

ACTIONS = ("lighter", "firmer", "more", "skip", "back", "stop")
# The same rules as the terminal guide: a change must not move the end of the session.
END_TOLERANCE_S = 0.05
EVENT_OF = {
    "lighter": "lighter",
    "firmer": "firmer",
    "more": "more-time",
    "skip": "segment-skipped",
    "back": "back",
    "stop": "paused",
}
# What the giver hears when the receiver presses a button on the remote.
ASKS = {
    "lighter": "Your partner would like a softer touch.",
    "firmer": "Your partner would like a bit more pressure.",
    "more": "Your partner would like you to stay on this spot.",
    "skip": "Your partner would like to move on.",
    "back": "Your partner would like the last part again.",
    "stop": "Your partner asked you to stop. Rest your hands and ask what they need.",
}


class SessionEnded(Exception):
    """The session is over: it can no longer be steered."""


@dataclass
class LiveSession:
    """One running session as the server sees it."""

    session_id: int
    plan: Plan
    status: str = "running"
    version: int = 0
    clock_s: float = 0.0
    seen_at: float = field(default_factory=time.monotonic)
    speed: float = 1.0
    paused: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now_s(self) -> float:
        """Where the player's clock should be now, from its last report."""
        run = 0.0 if self.paused else (time.monotonic() - self.seen_at) * self.speed
        return min(max(self.clock_s + run, 0.0), self.plan.total_seconds)

    def observe(
        self, clock_s: float, paused: bool | None = None, speed: float | None = None
    ) -> None:
        """Take the player's clock reading as the new reference."""
        self.clock_s, self.seen_at = clock_s, time.monotonic()
        if paused is not None:
            self.paused = paused
        if speed is not None and speed > 0:
            self.speed = speed

    def where(self, clock_s: float | None) -> tuple[float, int]:
        """The clock reading to act at (the player's, else the estimate) and its segment."""
        if self.status != "running":
            raise SessionEnded(f"session {self.session_id} has ended ({self.status})")
        now = self.now_s() if clock_s is None else min(clock_s, self.plan.total_seconds)
        return now, segment_at(self.plan, now)

    def state(self) -> dict[str, Any]:
        """A summary for the remote: where the session is and at what pressure."""
        now = self.now_s()
        index = segment_at(self.plan, now)
        seg = self.plan.segments[index] if self.plan.segments else None
        return {
            "type": "state",
            "version": self.version,
            "status": self.status,
            "paused": self.paused,
            "clock_s": round(now, 3),
            "segment": index,
            "kind": seg.kind if seg else None,
            "region": seg.region if seg else None,
            "region_name": seg.region_name if seg else None,
            "technique_name": seg.technique_name if seg else None,
            "pressure": seg.pressure if seg else None,
        }


@dataclass(frozen=True)
class Outcome:
    """What a control action did."""

    action: str
    by: str
    index: int
    clock_s: float
    note: str
    say: str
    changed: bool


def apply_action(
    plan: Plan, cat: Catalogue, action: str, index: int, now_s: float
) -> tuple[Plan, str]:
    """Run one adjustment from rubdown.core.adjust; a plan whose end would move is refused."""
    if action == "stop":
        return plan, "Paused."
    if action in ("skip", "back", "more") and plan.segments[index].kind == "closing":
        return plan, "This is the closing rest: nothing left to change."
    new, note = adjust.apply_change(plan, cat, action, index, now_s)
    if abs(new.total_seconds - plan.total_seconds) > END_TOLERANCE_S:
        return plan, "Left as it was: that would move the end of the session."
    return new, note


def plan_in_force(record: SessionRecord, events: list[EventRecord]) -> tuple[Plan, int]:
    """The session's plan as adjusted, and its version (how many adjustments were made)."""
    # Like the terminal guide: the latest adjustment event carries the whole plan.
    plan, version = record.plan, 0
    for event in events:
        if event.data and isinstance(event.data.get("plan"), dict):
            plan, version = event.data["plan"], version + 1
    return plan_from_json(plan), version


class LiveSessions:
    """Every session a page has opened since the server started, loaded from the db on demand."""

    def __init__(self, store: Store, cat: Catalogue, cues: CueLibrary, hub: Hub) -> None:
        self.store, self.cat, self.cues, self.hub = store, cat, cues, hub
        self.repo = SessionsRepo(store)
        self._sessions: dict[int, LiveSession] = {}
        self._lock = threading.Lock()

    def get(self, session_id: int) -> LiveSession:
        """The live session, loaded from the database the first time (StoreError if none)."""
        with self._lock:
            live = self._sessions.get(session_id)
        if live is not None:
            return live
        record = self.repo.get(session_id)
        plan, version = plan_in_force(record, self.repo.events(session_id))
        live = LiveSession(
            session_id, plan, status=record.status, version=version, clock_s=record.position_s
        )
        with self._lock:
            return self._sessions.setdefault(session_id, live)

    def payload(self, live: LiveSession) -> dict[str, Any]:
        """The live plan with its cues, as the player loads it."""
        return {
            "version": live.version,
            "plan": plan_to_json(live.plan),
            "cues": self.cues.cue_list(live.plan),
        }

    def control(self, session_id: int, action: str, by: str, clock_s: float | None) -> Outcome:
        """Apply a button press to the live plan, journal it, store the plan and tell the pages."""
        live = self.get(session_id)
        with live.lock:
            now, index = live.where(clock_s)
            seg = live.plan.segments[index]
            new, note = apply_action(live.plan, self.cat, action, index, now)
            changed = new is not live.plan
            say = f"{ASKS[action]} {note}" if by == "receiver" else note
            if action == "stop" or changed or action in ("lighter", "firmer"):
                self.repo.record(
                    session_id,
                    EVENT_OF[action],
                    now,
                    index,
                    seg.region,
                    seg.technique,
                    _event_data(action, by, note, new, index, changed),
                )
            if changed:
                live.plan, live.version = new, live.version + 1
                self.cues.prefetch(spoken_texts(new))
            if action == "stop":
                live.observe(now, paused=True)
        outcome = Outcome(action, by, index, round(now, 3), note, say, changed)
        self.hub.publish(session_id, self.message(live, outcome))
        return outcome

    def answer(self, session_id: int, answer: str, by: str, clock_s: float | None) -> Outcome:
        """A check-in answer: the change it asks for (core.checkin), journalled and sent to all."""
        live = self.get(session_id)
        with live.lock:
            now, index = live.where(clock_s)
            new, note = checkin.apply_answer(live.plan, self.cat, answer, index, now)
            changed = new is not live.plan
            change = checkin.ANSWERS[answer]
            if changed and change is not None:
                target = checkin.answer_target(new, index) or index
                seg = new.segments[target]
                data = _event_data(change, by, note, new, target, changed)
                self.repo.record(
                    session_id,
                    EVENT_OF[change],
                    now,
                    target,
                    seg.region,
                    seg.technique,
                    {**data, "answer": answer},
                )
                live.plan, live.version = new, live.version + 1
                self.cues.prefetch(spoken_texts(new))
        outcome = Outcome(f"answer-{answer}", by, index, round(now, 3), note, note, changed)
        message = self.message(live, outcome)
        self.hub.publish(session_id, {**message, "type": "answer", "answer": answer})
        return outcome

    def message(self, live: LiveSession, outcome: Outcome) -> dict[str, Any]:
        """The live message announcing an action to the player and the remote."""
        base = {
            "action": outcome.action,
            "by": outcome.by,
            "note": outcome.note,
            "say": outcome.say,
            "say_key": self.cues.key(outcome.say),
            "segment": outcome.index,
            "clock_s": outcome.clock_s,
            "pressure": live.plan.segments[outcome.index].pressure,
        }
        if outcome.action == "stop":
            return {"type": "pause", **base, **_state_bits(live)}
        if outcome.changed:
            return {"type": "plan", **base, **self.payload(live)}
        return {"type": "note", **base, "version": live.version}

    def observe(self, session_id: int, kind: str, clock_s: float, speed: float | None) -> None:
        """Follow the player's clock from its journal events, and keep the remote informed."""
        live = self.get(session_id)
        paused = {"paused": True, "resumed": False, "segment-started": False}.get(kind)
        live.observe(clock_s, paused, speed)
        self.hub.publish(session_id, self.state_message(live))

    def state_message(self, live: LiveSession) -> dict[str, Any]:
        """The live state plus how many pages watch (the player shows whether a remote is on)."""
        return {**live.state(), "watchers": self.hub.listeners(live.session_id)}

    def end(self, session_id: int, status: str, clock_s: float | None = None) -> None:
        """Mark the session over and tell the remote."""
        live = self.get(session_id)
        live.status = status
        if clock_s is not None:
            live.observe(clock_s, paused=True)
        self.hub.publish(session_id, {"type": "ended", "status": status})

    def resume(self, session_id: int) -> None:
        """An interrupted session plays again."""
        live = self.get(session_id)
        live.status = "running"


def _event_data(
    action: str, by: str, note: str, plan: Plan, index: int, changed: bool
) -> dict[str, Any]:
    """What an adjustment event records; like the terminal guide, the whole new plan."""
    data: dict[str, Any] = {"by": by, "note": note}
    if action in ("lighter", "firmer"):
        data["pressure"] = plan.segments[index].pressure
    if changed:
        data["plan"] = plan_to_json(plan)
    return data


def _state_bits(live: LiveSession) -> dict[str, Any]:
    """The state fields worth repeating inside another message."""
    state = live.state()
    return {k: state[k] for k in ("version", "paused", "pressure", "region_name")}
