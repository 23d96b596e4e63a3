"""Live sessions on the server: a thin adapter over rubdown.session for pages and the remote.

The session engine owns the rules (changes, journal, endings, staleness); this module adds
what only the web needs: an estimate of the player's clock, and fanning messages out to pages.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rubdown.core.planjson import plan_to_json
from rubdown.core.timeline import segment_at, spoken_texts
from rubdown.session.engine import RunningSession
from rubdown.session.ownership import HEARTBEAT_EVERY_S, Heartbeat, owner_id, settle_stale
from rubdown.store.errors import Conflict

if TYPE_CHECKING:
    from datetime import datetime

    from rubdown.core.models import Catalogue, Plan
    from rubdown.session.engine import Outcome
    from rubdown.store.db import Store
    from rubdown.store.records import EventRecord, SessionRecord
    from rubdown.web.cues import CueLibrary
    from rubdown.web.hub import Hub

# Called with a session's id when it ends here: finished or quit, or marked interrupted.
EndHook = Callable[[int], None]
# Player events that say whether its clock runs.
RUNS_AFTER = {"paused": False, "resumed": True, "segment-started": True}


@dataclass
class PlayerClock:
    """Where the player's clock should be now, from its last report."""

    monotonic: Callable[[], float] = time.monotonic
    clock_s: float = 0.0
    speed: float = 1.0
    paused: bool = True
    seen_at: float = field(default=0.0)

    def now_s(self, total_s: float) -> float:
        """The estimate, within the plan."""
        run = 0.0 if self.paused else (self.monotonic() - self.seen_at) * self.speed
        return min(max(self.clock_s + run, 0.0), total_s)

    def observe(
        self, clock_s: float, paused: bool | None = None, speed: float | None = None
    ) -> None:
        """Take the player's clock reading as the new reference."""
        self.clock_s, self.seen_at = clock_s, self.monotonic()
        if paused is not None:
            self.paused = paused
        if speed is not None and speed > 0:
            self.speed = speed


class LiveSession:
    """One session as the server sees it: the engine's session plus the player's clock."""

    def __init__(
        self, session: RunningSession, status: str, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.session, self.status = session, status
        self.clock = PlayerClock(monotonic, clock_s=session.record_at_load.position_s)

    @property
    def session_id(self) -> int:
        """The session's id."""
        return self.session.session_id

    @property
    def plan(self) -> Plan:
        """The plan in force."""
        return self.session.plan

    @property
    def version(self) -> int:
        """How many changes re-fitted the plan."""
        return self.session.version

    def now_s(self) -> float:
        """Where the player's clock should be now."""
        return self.clock.now_s(self.plan.total_seconds)

    def state(self) -> dict[str, Any]:
        """A summary for the remote: where the session is and at what pressure."""
        now = self.now_s()
        index = segment_at(self.plan, now)
        seg = self.plan.segments[index] if self.plan.segments else None
        return {
            "type": "state",
            "version": self.version,
            "status": self.status,
            "paused": self.clock.paused,
            "clock_s": round(now, 3),
            "segment": index,
            "kind": seg.kind if seg else None,
            "region": seg.region if seg else None,
            "region_name": seg.region_name if seg else None,
            "technique_name": seg.technique_name if seg else None,
            "pressure": seg.pressure if seg else None,
        }


# What each kind of answer is to the session engine.
ANSWER_METHODS = {"answer": RunningSession.answer, "check": RunningSession.check_pressure}


class LiveSessions:
    """Every session a page has opened since the server started, loaded on demand."""

    def __init__(
        self,
        store: Store,
        cat: Catalogue,
        cues: CueLibrary,
        hub: Hub,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store, self.cat, self.cues, self.hub = store, cat, cues, hub
        self.monotonic = monotonic
        # This server owns the sessions its pages play; their heartbeats come from the pages.
        self.owner = owner_id("web")
        self._sessions: dict[int, LiveSession] = {}
        self._lock = threading.Lock()
        self._sweeper: Heartbeat | None = None
        self._on_end: list[EndHook] = []

    def on_end(self, hook: EndHook) -> None:
        """Call hook(session_id) whenever a session ends: finished, quit or interrupted."""
        self._on_end.append(hook)

    def _ended(self, session_id: int, status: str) -> None:
        """Tell the session's pages it ended, and whatever holds something for it to let go."""
        self.hub.publish(session_id, {"type": "ended", "status": status})
        for hook in self._on_end:
            hook(session_id)

    def get(self, session_id: int) -> LiveSession:
        """The live session, loaded from the database the first time (NotFound if none)."""
        with self._lock:
            live = self._sessions.get(session_id)
        if live is not None:
            return live
        session = RunningSession.load(self.store, self.cat, session_id)
        live = LiveSession(session, session.record_at_load.status, self.monotonic)
        with self._lock:
            return self._sessions.setdefault(session_id, live)

    def playable(self, session_id: int) -> LiveSession:
        """The live session if pages may play and steer it: not one a terminal guide plays."""
        live = self.get(session_id)
        owner = live.session.owner
        if live.status == "running" and owner is not None and not owner.startswith("web:"):
            raise Conflict(f"session {session_id} is being played by a terminal guide", "running")
        return live

    def start(self, plan: Plan, giver: str | None, receiver: str | None) -> LiveSession:
        """Check the people, open a running session owned by this server, and keep it live."""
        session = RunningSession.start(self.store, self.cat, plan, (giver, receiver), self.owner)
        live = LiveSession(session, "running", self.monotonic)
        with self._lock:
            self._sessions[session.session_id] = live
        self.cues.prefetch_plan(plan)
        return live

    def payload(self, live: LiveSession) -> dict[str, Any]:
        """The live plan with its cues, as the player loads it."""
        return {
            "version": live.version,
            "plan": plan_to_json(live.plan, offline=True),
            "cues": self.cues.cue_list(live.plan),
        }

    def record(
        self,
        session_id: int,
        kind: str,
        clock_s: float,
        index: int | None,
        data: dict[str, Any] | None,
        *,
        client_id: str | None = None,
        speed: float | None = None,
    ) -> EventRecord:
        """Journal one player event (once per client id) and follow the player's clock."""
        live = self.playable(session_id)
        event = live.session.record(kind, clock_s, index, data, client_id=client_id)
        live.clock.observe(clock_s, not RUNS_AFTER[kind] if kind in RUNS_AFTER else None, speed)
        self.hub.publish(session_id, self.state_message(live))
        return event

    def control(
        self,
        session_id: int,
        action: str,
        by: str,
        clock_s: float | None,
        *,
        client_id: str | None = None,
    ) -> tuple[LiveSession, Outcome]:
        """Apply a button press through the engine (once per client id) and tell every page."""
        return self._steer(
            session_id, clock_s, lambda s, now: s.change(action, now, by=by, client_id=client_id)
        )

    def answer(
        self,
        session_id: int,
        answer: str,
        by: str,
        clock_s: float | None,
        *,
        client_id: str | None = None,
        to: str = "answer",
    ) -> tuple[LiveSession, Outcome]:
        """A check-in answer (to="answer", session.checkin) or a pressure-check one (to="check",
        core.calibrate) through the engine, told to every page once as a message of type to."""
        method = ANSWER_METHODS[to]
        return self._steer(
            session_id,
            clock_s,
            lambda s, now: method(s, answer, now, by=by, client_id=client_id),
            {"type": to, "answer": answer},
        )

    def _steer(
        self,
        session_id: int,
        clock_s: float | None,
        apply: Callable[[RunningSession, float], Outcome],
        extra: dict[str, Any] | None = None,
    ) -> tuple[LiveSession, Outcome]:
        """Apply at the player's clock (estimated if not given) and tell every page, once."""
        live = self.playable(session_id)
        now = live.now_s() if clock_s is None else clock_s
        try:
            outcome = apply(live.session, now)
        except Exception:
            live.status = live.session.status
            raise
        if outcome.repeated:
            return live, outcome  # the pages heard of it the first time
        if outcome.changed:
            self.cues.prefetch(spoken_texts(outcome.plan))
        if outcome.change in ("stop", "pause"):
            live.clock.observe(outcome.clock_s, paused=True)
        self.hub.publish(session_id, {**self.message(live, outcome), **(extra or {})})
        return live, outcome

    def message(self, live: LiveSession, outcome: Outcome) -> dict[str, Any]:
        """The live message announcing an action to the player and the remote."""
        base = {
            "action": outcome.change,
            "by": outcome.by,
            "note": outcome.note,
            "say": outcome.say,
            "say_key": self.cues.key(outcome.say),
            "segment": outcome.index,
            "clock_s": outcome.clock_s,
            "pressure": outcome.plan.segments[outcome.index].pressure,
        }
        if outcome.event is not None and outcome.event.kind == "pressure-checked":
            base["check_done"] = bool((outcome.event.data or {}).get("done"))
        if outcome.change in ("stop", "pause"):
            state = live.state()
            bits = {k: state[k] for k in ("version", "paused", "pressure", "region_name")}
            return {"type": "pause", **base, **bits}
        if outcome.changed:
            return {"type": "plan", **base, **self.payload(live)}
        return {"type": "note", **base, "version": outcome.version}

    def state_message(self, live: LiveSession) -> dict[str, Any]:
        """The live state plus how many pages watch (the player shows whether a remote is on)."""
        return {**live.state(), "watchers": self.hub.listeners(live.session_id)}

    def heartbeat(self, session_id: int, clock_s: float | None, index: int | None) -> str:
        """The page is still playing: save where it is; returns the session's status."""
        live = self.playable(session_id)
        if clock_s is None:
            status = live.session.heartbeat()
        else:
            status = live.session.progress(clock_s, index)
        live.status = status
        return status

    def finish(
        self, session_id: int, status: str, clock_s: float | None, client_id: str | None = None
    ) -> SessionRecord:
        """End the session (once), tell the remote and call the end hooks."""
        live = self.get(session_id)
        record = live.session.finish(status, clock_s, client_id=client_id)
        live.status = record.status
        if clock_s is not None:
            live.clock.observe(clock_s, paused=True)
        self._ended(session_id, record.status)
        return record

    def resume(self, session_id: int, client_id: str | None = None) -> SessionRecord:
        """An interrupted session plays again, now owned by this server."""
        live = self.get(session_id)
        record = live.session.resume(self.owner, client_id=client_id)
        live.status = record.status
        return record

    def settle(self, now: datetime | None = None) -> list[int]:
        """Mark sessions whose page or server went quiet as interrupted, and tell their pages."""
        ids = settle_stale(self.store, now)
        for session_id in ids:
            with self._lock:
                live = self._sessions.get(session_id)
            if live is not None:
                live.status = "interrupted"
            self._ended(session_id, "interrupted")
        return ids

    def start_sweeping(self, every: float = HEARTBEAT_EVERY_S) -> None:
        """Settle stale sessions now and then every `every` seconds, until stop_sweeping()."""
        self.settle()
        self._sweeper = Heartbeat(self.settle, every).start()

    def stop_sweeping(self) -> None:
        """Stop the sweeping thread."""
        if self._sweeper is not None:
            self._sweeper.stop()
            self._sweeper = None
