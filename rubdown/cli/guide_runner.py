"""The guided-session loop: scheduled events to sound, journal and screen; keys to controls.

The order inside one instant is fixed: sound first (it is what must be on time), then each
event is committed to the journal, and only then shown, so a kill -9 never loses a shown event.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from rubdown.cli.guide_check import CHECK_KEYS, CHECK_VOICE, answer_check, at_check
from rubdown.cli.guide_view import clock, describe, describe_start
from rubdown.core.scheduler import CUE, END, SEGMENT, TICK, CueScheduler, Due

if TYPE_CHECKING:
    from rubdown.core.models import Catalogue, Plan, Segment
    from rubdown.session.engine import Outcome, RunningSession
    from rubdown.store.records import EventRecord

__all__ = ["GuideRunner", "GuideState", "NoKeys", "SilentSound", "clock", "describe"]

# How much session clock a crash may lose: progress is committed at least this often.
PROGRESS_EVERY_S = 5.0
# How often the loop looks for changes asked from another thread (a voice listener).
ASKED_EVERY_S = 0.25


@dataclass(frozen=True)
class GuideState:
    """What the screen shows at one moment."""

    plan: Plan
    position_s: float
    current: int | None
    paused: bool
    confirm_quit: bool
    note: str


class Display(Protocol):
    """Where the session is shown: a full-screen view or plain lines."""

    refresh_s: float | None

    def event(self, record: EventRecord, text: str) -> None: ...
    def cue(self, at_s: float, text: str) -> None: ...
    def message(self, text: str) -> None: ...
    def refresh(self, state: GuideState, force: bool) -> None: ...


class Sound(Protocol):
    """Voice and ticks; every method returns at once."""

    def speak(self, text: str) -> None: ...
    def tick(self, kind: str) -> None: ...
    def say_soon(self, text: str) -> None: ...
    def learn(self, plan: Plan) -> None: ...


class SilentSound:
    """No voice, no ticks."""

    def speak(self, text: str) -> None:
        """Say nothing."""

    def tick(self, kind: str) -> None:
        """Tick nothing."""

    def say_soon(self, text: str) -> None:
        """Say nothing."""

    def learn(self, plan: Plan) -> None:
        """Nothing to prepare."""


class Keys(Protocol):
    """A source of single key presses."""

    def wait(self, timeout: float | None) -> str | None: ...


class NoKeys:
    """No keyboard (no TTY): just sleep until the next event."""

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        self.sleep = sleep

    def wait(self, timeout: float | None) -> str | None:
        """Sleep for timeout; there are never keys."""
        self.sleep(max(0.0, timeout or 0.0))
        return None


class GuideRunner:
    """Plays a plan in real time: the scheduler says when, the runner does what is due."""

    def __init__(
        self,
        session: RunningSession,
        display: Display,
        *,
        sound: Sound | None = None,
        keys: Keys | None = None,
        clock: Callable[[], float] = time.monotonic,
        speed: float = 1.0,
        ticks: bool = True,
        save_progress: bool = False,
    ) -> None:
        self.session, self.display = session, display
        # Whether to save the position between journal entries (so a crash loses little).
        self.save_progress = save_progress
        self.saved_s = 0.0
        self.sound = sound or SilentSound()
        self.keys = keys or NoKeys()
        self.clock = clock
        # The sound decides which cues are spoken and when (less talking, fitted durations).
        cues = getattr(self.sound, "cue_source", None)
        self.sched = CueScheduler(session.plan, clock, speed, ticks=ticks, cues=cues)
        # Changes asked from other threads, done by the loop: (change, who asked).
        self.asked: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
        self.listening = False
        self.open: tuple[int, Segment] | None = None
        self.outcome: str | None = None
        self.confirm_quit = False
        self.resume_after_confirm = False
        self.note = ""
        self.lateness: list[tuple[str, float]] = []

    @property
    def plan(self) -> Plan:
        """The plan as it stands now, adjustments included."""
        return self.sched.plan

    @property
    def cat(self) -> Catalogue:
        """The catalogue the session's changes re-fit from."""
        return self.session.cat

    def state(self) -> GuideState:
        """What the screen should show now."""
        s = self.sched
        return GuideState(s.plan, s.position_s, s.current, s.paused, self.confirm_quit, self.note)

    def run(self, at_s: float = 0.0) -> str:
        """Play from at_s to the end or a quit; returns 'finished' or 'quit'."""
        self.sched.start(at_s)
        self.saved_s = at_s
        while self.outcome is None:
            self.dispatch(self.sched.pop_due())
            if self.outcome is not None:
                break
            self._keep_progress()
            key = self.keys.wait(self._timeout())
            if key is not None:
                self.handle_key(key)
            asked = self._do_asked()
            self._refresh(force=key is not None or asked)
        return self.outcome

    def ask(self, change: str, by: str = "voice") -> None:
        """Ask for a change from any thread (a voice listener); the loop does it within 0.25 s."""
        self.listening = True
        self.asked.put((change, by))

    def _do_asked(self) -> bool:
        """Do the changes other threads asked for; whether there were any."""
        done = False
        while not self.asked.empty() and self.outcome is None:
            change, by = self.asked.get()
            self.control(change, by)
            done = True
        return done

    def _timeout(self) -> float | None:
        """How long to wait for a key: until the next event, or the next screen refresh."""
        due = self.sched.next_due()
        wait = None if due is None else max(0.0, due - self.clock())
        every = self.display.refresh_s
        if every is not None:
            wait = every if wait is None else min(wait, every)
        if self.save_progress and wait is not None and not self.sched.paused:
            ahead = self.saved_s + PROGRESS_EVERY_S - self.sched.position_s
            wait = min(wait, max(0.0, ahead / self.sched.speed))
        if self.listening:
            wait = ASKED_EVERY_S if wait is None else min(wait, ASKED_EVERY_S)
        return wait

    def _keep_progress(self, at_s: float | None = None) -> None:
        """Commit the position at a cue's time, or once enough clock has passed since the last."""
        if not self.save_progress or self.sched.paused or self.outcome is not None:
            return
        # Fast clocks (--speed) run past the end between wake-ups; the session does not.
        now = min(self.sched.position_s if at_s is None else at_s, self.plan.total_seconds)
        if at_s is not None or now - self.saved_s >= PROGRESS_EVERY_S:
            self.session.progress(now, self.sched.current)
            self.saved_s = max(self.saved_s, now)

    def _refresh(self, force: bool) -> None:
        """Redraw, unless an event is due so soon that drawing would make it late."""
        due = self.sched.next_due()
        if force or due is None or due - self.clock() > 0.02:
            self.display.refresh(self.state(), force)

    def dispatch(self, events: list[Due]) -> None:
        """Sound first, then journal and show each event in order."""
        for event in events:
            self.lateness.append((event.kind, self.clock() - self.sched.due_time(event)))
            if event.kind == CUE:
                self.sound.speak(event.text)
            elif event.kind == TICK:
                self.sound.tick(event.name)
        for event in events:
            if event.kind == SEGMENT:
                self._segment_started(event)
            elif event.kind == CUE:
                self.display.cue(event.at_s, event.text)
            elif event.kind == END:
                self._end("finished", event.at_s)
        cues = [event.at_s for event in events if event.kind == CUE]
        if cues:
            self._keep_progress(max(cues))
        if events:
            self._refresh(force=True)

    def _show(
        self,
        kind: str,
        clock_s: float,
        text: str,
        index: int | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Commit an event (which moves the saved position too), then show it."""
        self.display.event(self.session.record(kind, round(clock_s, 3), index, data), text)
        self.saved_s = max(self.saved_s, clock_s)

    def _close_open(self, clock_s: float, kind: str = "segment-finished") -> None:
        """Journal the end of the segment in progress, if one is."""
        if self.open is not None:
            index, seg = self.open
            self.open = None
            self._show(kind, clock_s, describe(seg, self.plan), index)

    def _segment_started(self, event: Due) -> None:
        """Close the previous segment and open this one."""
        self._close_open(event.at_s)
        seg = self.plan.segments[event.segment]
        self._show("segment-started", event.at_s, describe_start(seg, self.plan), event.segment)
        self.open = (event.segment, seg)

    def _end(self, status: str, clock_s: float) -> None:
        """Finish or quit: close the segment, journal the ending, stop."""
        self._close_open(clock_s)
        self._show(status, clock_s, "session " + status)
        self.session.finish(status, clock_s)
        self.outcome = status

    # Controls ---------------------------------------------------------------------------

    def handle_key(self, key: str) -> None:
        """One key press: a control, a quit confirmation, or any other key pauses."""
        if self.confirm_quit:
            self._confirm(key)
            return
        if key.startswith(VOICE):
            self.voice(key.removeprefix(VOICE))
            return
        if at_check(self) and key.lower() in CHECK_KEYS:
            answer_check(self, CHECK_KEYS[key.lower()])
            return
        action = CONTROLS.get(key.lower() if key.isalpha() else key)
        if action is None:
            self.pause()
        else:
            action(self)

    def _confirm(self, key: str) -> None:
        """q or y quits; anything else goes back to how things were."""
        self.confirm_quit = False
        if key.lower() in ("q", "y"):
            self._end("quit", self.sched.position_s)
            return
        self.note = "Not quitting."
        if self.resume_after_confirm:
            self.resume()

    def ask_quit(self) -> None:
        """Pause and ask to confirm, so a stray q does not end the session."""
        question = "Quit? Press q or y to quit, any other key to go on."
        self.resume_after_confirm = not self.sched.paused
        if self.sched.paused:
            self.display.message(question)  # already paused: no pause line carries the question
        self.pause(logged="quit? press q or y to quit, any other key to go on", spoken=None)
        self.confirm_quit = True
        self.note = question
        self.sound.say_soon("Quit? Press q again to quit.")

    def pause(
        self,
        logged: str = "press space to go on",
        spoken: str | None = "Paused.",
        by: str | None = None,
    ) -> None:
        """Stop the clock (again is harmless), logging why and saying spoken."""
        if self.sched.paused:
            return
        self.sched.pause()
        pos = self.sched.position_s
        self._show("paused", pos, logged, self._where(), data=_by(by))
        self.note = "Paused: press space to go on."
        if spoken is not None:
            self.sound.say_soon(spoken)

    def resume(self, by: str | None = None) -> None:
        """Start the clock again where it stopped."""
        if not self.sched.paused:
            return
        pos = self.sched.position_s
        data = {"after": "pause", **(_by(by) or {})}
        self._show("resumed", pos, "going on", self._where(), data=data)
        self.sched.resume()
        self.note = ""

    def toggle(self) -> None:
        """Space: pause or go on."""
        if self.sched.paused:
            self.resume()
        else:
            self.pause()

    def _where(self) -> int | None:
        """The segment in progress, if any."""
        return self.open[0] if self.open is not None else None

    def voice(self, command: str) -> None:
        """A spoken command: the same control as its key, journaled as by voice, echoed."""
        action = VOICE_CONTROLS.get(command)
        if at_check(self) and command in CHECK_VOICE:
            answer = CHECK_VOICE[command]
            action = lambda r: answer_check(r, answer, by="voice")  # noqa: E731
        if action is None:
            return
        before = self.note
        self.sound.tick("up")  # a short sound: heard
        action(self)
        said = self.note if self.note != before else VOICE_ECHO.get(command, "")
        self.display.message(f"Heard “{command}”: {said}" if said else f"Heard “{command}”.")

    def control(self, change: str, by: str = "giver") -> None:
        """One change by name, whoever asked: pause and resume here, the rest re-fit the plan."""
        if change in ("pause", "stop"):
            self.pause(by=by)
        elif change == "resume":
            self.resume(by=by)
        else:
            self.adjust(change, by)

    def adjust(self, change: str, by: str = "giver") -> None:
        """Lighter, firmer, more time, skip, next or back: re-fit, journal, reschedule."""
        if self.open is None:
            self.note = "Wait for the first step to start."
            return
        index = self.open[0]
        now = self.sched.position_s
        if change in ("skip", "next") and index == len(self.plan.segments) - 1:
            self._close_open(now, "segment-skipped" if change == "skip" else "segment-finished")
            self.sched.jump(len(self.plan.segments))
            return
        outcome = self.session.change(change, now, by=by, index=index)
        if outcome.event is not None:
            if change in ("skip", "next"):
                self.open = None  # the change's event closed the step
            self.display.event(outcome.event, outcome.note)
            self.saved_s = max(self.saved_s, now)
        self.adopt(outcome)

    def answer_checkin(self, answer: str, by: str = "giver") -> None:
        """A check-in answer ("that's good"): through the engine; outside a check-in, nothing."""
        from rubdown.session.errors import NotACheckIn

        if self.open is None:
            return
        now = self.sched.position_s
        try:
            outcome = self.session.answer(answer, now, by=by)
        except NotACheckIn:
            self.note = "That answers a check-in; none is on now."
            return
        if outcome.event is not None:
            self.display.event(outcome.event, outcome.note)
            self.saved_s = max(self.saved_s, now)
        self.adopt(outcome)

    def adopt(self, outcome: Outcome) -> None:
        """Play the plan a change left in force, and tell the giver."""
        if outcome.changed:
            self.sched.replace_plan(outcome.plan)
            self.sound.learn(outcome.plan)
        self.note = outcome.note
        if outcome.changed or outcome.event is not None:
            self.sound.say_soon(outcome.say)


def _by(by: str | None) -> dict[str, Any] | None:
    """Event data naming who asked for a change, when it was not the giver's keys."""
    return {"by": by} if by else None


# Spoken commands arrive as keys with this prefix ("voice:lighter").
VOICE = "voice:"
VOICE_CONTROLS: dict[str, Callable[[GuideRunner], None]] = {
    "lighter": lambda r: r.adjust("lighter", by="voice"),
    "firmer": lambda r: r.adjust("firmer", by="voice"),
    "more": lambda r: r.adjust("more", by="voice"),
    "skip": lambda r: r.adjust("skip", by="voice"),
    "back": lambda r: r.adjust("back", by="voice"),
    "pause": lambda r: r.pause(by="voice"),
    "resume": lambda r: r.resume(by="voice"),
    "stop": lambda r: r.pause(spoken="Stopping. Rest your hands.", by="voice"),
    "good": lambda r: r.answer_checkin("good", by="voice"),
}
VOICE_ECHO = {"good": "good, carrying on as it is.", "resume": "going on."}

CONTROLS: dict[str, Callable[[GuideRunner], None]] = {
    " ": GuideRunner.toggle,
    "q": GuideRunner.ask_quit,
    "n": lambda r: r.adjust("next"),
    "s": lambda r: r.adjust("skip"),
    "b": lambda r: r.adjust("back"),
    "l": lambda r: r.adjust("lighter"),
    "f": lambda r: r.adjust("firmer"),
    "m": lambda r: r.adjust("more"),
}
