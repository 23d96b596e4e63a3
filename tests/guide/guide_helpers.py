"""Helpers shared by the guide tests: a simulated clock, scripted keys and a scripted run."""

from __future__ import annotations

import sys
from typing import Any

# `rubdown guide` as a child process, quick and silent, for the kill and signal tests.
GUIDE_COMMAND = [
    sys.executable,
    "-c",
    "from rubdown.cli.main import main; main()",
    "guide",
    "--minutes",
    "5",
    "--speed",
    "30",
    "--voice",
    "none",
    "--no-ticks",
]


class FakeClock:
    """A monotonic clock that only moves when told to (or when something sleeps on it)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


class ScriptedKeys:
    """Keys pressed at given session seconds (speed 1, origin at the clock's start)."""

    def __init__(self, clock: FakeClock, presses: list[tuple[float, str]]) -> None:
        self.clock = clock
        self.origin = clock.now
        self.presses = sorted(presses)

    def wait(self, timeout: float | None) -> str | None:
        if self.presses:
            at, key = self.presses[0]
            due = self.origin + at
            if timeout is None or due <= self.clock.now + timeout:
                self.clock.now = max(self.clock.now, due)
                self.presses.pop(0)
                return key
        if timeout is None:
            raise AssertionError("waiting for a key that never comes")
        self.clock.sleep(timeout)
        return None


class ListDisplay:
    """A display that keeps everything it was shown."""

    refresh_s = None

    def __init__(self) -> None:
        self.events: list[Any] = []
        self.cues: list[tuple[float, str]] = []
        self.messages: list[str] = []

    def event(self, record: Any, text: str) -> None:
        self.events.append(record)

    def cue(self, at_s: float, text: str) -> None:
        self.cues.append((at_s, text))

    def message(self, text: str) -> None:
        self.messages.append(text)

    def refresh(self, state: Any, force: bool) -> None:
        pass


def run_scripted(store, cat, plan, presses, receiver=None, display=None):
    """Run a whole plan on a simulated clock with keys pressed at session seconds.

    Returns (session id, runner, sessions repository, seconds the clock moved).
    """
    from rubdown.cli.guide_runner import GuideRunner
    from rubdown.session.engine import RunningSession

    session = RunningSession.start(store, cat, plan, (None, receiver))
    sessions, sid = session.repo, session.session_id
    clock = FakeClock()
    keys = ScriptedKeys(clock, presses)
    runner = GuideRunner(session, display or ListDisplay(), keys=keys, clock=clock)
    start = clock.now
    runner.run()
    return sid, runner, sessions, clock.now - start


def all_clear() -> tuple[str, ...]:
    """`rubdown screen` options answering no to every red-flag question."""
    from rubdown.core.screen import RED_FLAGS

    return tuple(arg for flag in RED_FLAGS for arg in ("--answer", f"{flag.id}=no"))
