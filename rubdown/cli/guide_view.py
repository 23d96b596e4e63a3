"""The guide in a terminal: segment wording, the full-screen view, keys and the feedback prompt."""

from __future__ import annotations

import os
import queue
import select
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from rubdown.core.wording import step_label, times

if TYPE_CHECKING:
    from rubdown.cli.guide_runner import GuideState
    from rubdown.core.models import Catalogue, Plan, Segment
    from rubdown.store.records import EventRecord

KEY_HELP = "space pause · n next · b back · l lighter · f firmer · m more time · s skip · q quit"
RULE_WORDS = {
    "firm-down-light-up": "firm on the way out, feather light on the way back",
    "even": "the same pressure all the way",
    "growing": "start light and let the pressure grow",
    "press-release": "press, hold, release slowly",
}
VERDICT_KEYS = {"r": "right", "l": "too-light", "f": "too-firm"}
RATINGS = ("1", "2", "3", "4", "5")
KIND_LABELS = {
    "check-in": "Check in with your partner",
    "announce": "Say where you go next",
    "oil": "Oil",
    "closing": "Closing",
    "hold": "Still hold",
    "calibrate": "Pressure check",
}


def clock(seconds: float) -> str:
    """Seconds as m:ss."""
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def step_reps(plan: Plan | None, seg: Segment) -> tuple[int, int]:
    """(repetitions before this part, repetitions in the whole step on this side)."""
    if plan is None or seg.step_index is None:
        return 0, seg.reps or 0
    parts = [
        s
        for s in plan.segments
        if s.kind == "step" and s.step_index == seg.step_index and s.side == seg.side
    ]
    before = sum(s.reps or 0 for s in parts if s.start_s < seg.start_s)
    return before, sum(s.reps or 0 for s in parts)


def describe(seg: Segment, plan: Plan | None = None) -> str:
    """One line saying what a segment is; a part of a split step says which part of how many."""
    if seg.kind != "step":
        return KIND_LABELS.get(seg.kind, seg.kind)
    before, total = step_reps(plan, seg)
    # The voice gives the whole step's count, so a part split off by a check-in says both.
    if total == seg.reps:
        count = times(seg.reps or 0)
    else:
        count = f"{seg.reps} {'more ' if before else ''}of {total} times"
    label = step_label(
        seg.technique_name or seg.technique or "", seg.region_name or seg.region or "", seg.side
    )
    return f"{label}: pressure {seg.pressure}, {count}"


def describe_start(seg: Segment, plan: Plan | None = None) -> str:
    """A step's first line with the way the hands go, said in words."""
    text = describe(seg, plan)
    return f"{text}. {seg.motion.words}" if seg.kind == "step" and seg.motion else text


class PlainDisplay:
    """One plain line per event, for pipes, CI and logs; flushed so readers see it at once."""

    refresh_s: float | None = None

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write

    def event(self, record: EventRecord, text: str) -> None:
        """An event line: clock, journal number, kind and what it was about."""
        self.write(f"{clock(record.clock_s)} #{record.seq} {record.kind}: {text}")

    def cue(self, at_s: float, text: str) -> None:
        """A spoken cue, as text."""
        self.write(f"{clock(at_s)}    » {text}")

    def message(self, text: str) -> None:
        """Anything else worth saying."""
        self.write(text)

    def refresh(self, state: GuideState, force: bool) -> None:
        """Nothing to redraw in plain mode."""


class TerminalKeys:
    """Single key presses from a terminal in cbreak mode, read on a background thread."""

    def __init__(self, stream: Any = None) -> None:
        self.fd = (stream or sys.stdin).fileno()
        self.keys: queue.Queue[str] = queue.Queue()
        self._stop = threading.Event()
        self._saved: Any = None
        self._thread = threading.Thread(target=self._read, name="guide-keys", daemon=True)

    def __enter__(self) -> TerminalKeys:
        import termios
        import tty

        self._saved = termios.tcgetattr(self.fd)
        tty.setcbreak(self.fd)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        import termios

        self._stop.set()
        self._thread.join(timeout=1.0)
        termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def _read(self) -> None:
        """Queue key presses until stopped."""
        # select with a timeout lets the thread notice _stop instead of blocking in read().
        while not self._stop.is_set():
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                data = os.read(self.fd, 1)
                if not data:
                    return
                self.keys.put(data.decode("latin-1"))

    def wait(self, timeout: float | None) -> str | None:
        """The next key, waiting at most timeout seconds (None: until one comes)."""
        try:
            return self.keys.get(timeout=timeout) if timeout != 0 else self.keys.get_nowait()
        except queue.Empty:
            return None


def _step_lines(seg: Segment, state: GuideState, cat: Catalogue) -> list[str]:
    """Area, technique, stroke rule, pressure and repetition of a step."""
    from rubdown.cli.render import pressure_bar

    technique = cat.techniques.get(seg.technique or "")
    side = f" ({seg.side} side)" if seg.side in ("left", "right") else ""
    lines = [
        f"[bold]{seg.region_name or seg.region}{side}[/bold]",
        f"{seg.technique_name or seg.technique}",
        f"[dim]{technique.stroke_text if technique else ''}[/dim]",
        *_stroke_lines(seg, state.position_s),
        f"Pressure: {pressure_bar(seg.pressure)}",
    ]
    if seg.seconds_per_rep and seg.reps:
        done = int((state.position_s - seg.start_s) // seg.seconds_per_rep) + 1
        before, total = step_reps(state.plan, seg)
        lines.append(f"Repetition {before + max(1, min(done, seg.reps))} of {total}")
    return lines


def stroke_now(seg: Segment, position_s: float) -> str | None:
    """What the hands do at this moment: the motion's label for this part of the repetition."""
    motion, pace = seg.motion, seg.seconds_per_rep
    if motion is None or not pace or position_s < seg.start_s:
        return None
    into = ((position_s - seg.start_s) % pace) / pace
    return motion.labels[0 if into < motion.firm_share else 1]


def _stroke_lines(seg: Segment, position_s: float) -> list[str]:
    """The way the hands go, in words, and which part of the stroke is under way."""
    if seg.motion is None:  # a plan made before motions
        return [f"Stroke: {RULE_WORDS.get(seg.stroke_rule or '', seg.stroke_rule or '')}"]
    now = stroke_now(seg, position_s)
    return [f"Hands: {seg.motion.words}", *([f"Now: [bold]{now}[/bold]"] if now else [])]


def _next_text(plan: Plan, index: int, position_s: float) -> str:
    """What comes after segment index, and when."""
    later = plan.segments[index + 1 :]
    # Announcements and oil lead into a step, so name the step; a check-in is a stop of its own.
    named = ("step", "check-in")
    upcoming = next((s for s in later if s.kind in named), later[0] if later else None)
    if upcoming is None:
        return "Next: the end."
    return f"Next: {describe(upcoming, plan)} (in {clock(upcoming.start_s - position_s)})"


@dataclass
class _Seen:
    """What the view remembers between frames."""

    said: str = ""
    drawn_at: float = 0.0


class ScreenView:
    """A full-screen rich view, redrawn a few times a second and after every event."""

    refresh_s: float | None = 0.25

    def __init__(self, cat: Catalogue, speed: float = 1.0) -> None:
        from rich.console import Console
        from rich.live import Live

        self.cat, self.speed = cat, speed
        self.live = Live(console=Console(), screen=True, auto_refresh=False)
        self.log: deque[str] = deque(maxlen=5)
        self.seen = _Seen()

    def __enter__(self) -> ScreenView:
        self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.live.stop()

    def event(self, record: EventRecord, text: str) -> None:
        """Add an event to the log at the bottom."""
        self.log.append(f"{clock(record.clock_s)} {record.kind}: {text}")

    def cue(self, at_s: float, text: str) -> None:  # noqa: ARG002 - the Display protocol
        """Show what was just said."""
        self.seen.said = text

    def message(self, text: str) -> None:
        """Show a message in the log."""
        self.log.append(text)

    def refresh(self, state: GuideState, force: bool) -> None:
        """Redraw if forced or a refresh is due."""
        now = time.monotonic()
        if force or now - self.seen.drawn_at >= (self.refresh_s or 0.0):
            self.seen.drawn_at = now
            self.live.update(self.render(state), refresh=True)

    def render(self, state: GuideState) -> Any:
        """The frame for a state."""
        from rich.console import Group
        from rich.panel import Panel

        plan = state.plan
        left = clock(plan.total_seconds - state.position_s)
        speed = f" · speed x{self.speed:g}" if self.speed != 1 else ""
        title = f"rubdown · {clock(state.position_s)} done · {left} left{speed}"
        body: list[str] = ["Getting ready…"]
        if state.current is not None and state.current < len(plan.segments):
            seg = plan.segments[state.current]
            step_left = clock(seg.end_s - state.position_s)
            step = seg.kind == "step"
            head = _step_lines(seg, state, self.cat) if step else [describe(seg, plan)]
            body = [
                *head,
                f"Time left here: {step_left}",
                "",
                _next_text(plan, state.current, state.position_s),
            ]
        status = "[reverse] PAUSED [/reverse] " if state.paused else ""
        parts: list[Any] = [
            Panel("\n".join(body), title=title),
            Panel(self.seen.said or "…", title="Said"),
            f"{status}{state.note}",
            "[dim]" + "\n".join(self.log) + "[/dim]",
            f"[dim]{self._keys_help(state)}[/dim]",
        ]
        return Group(*parts)

    @staticmethod
    def _keys_help(state: GuideState) -> str:
        """The keys that work now: the pressure check's own during it."""
        from rubdown.cli.guide_check import CHECK_KEY_HELP

        at = state.current
        segments = state.plan.segments
        at_check = at is not None and at < len(segments) and segments[at].kind == "calibrate"
        return CHECK_KEY_HELP if at_check else KEY_HELP


def _ask(question: str) -> str:
    """One answer, empty if skipped."""
    answer: str = click.prompt(question, default="", show_default=False)
    return answer.strip().lower()


def _verdict(answer: str) -> str | None:
    """The verdict for r, l or f (or the verdict written out, e.g. 'too firm'), else None."""
    written = answer.replace(" ", "-")
    return VERDICT_KEYS.get(answer) or (written if written in VERDICT_KEYS.values() else None)


def _ask_until(question: str, retry: str, valid: Callable[[str], bool]) -> str:
    """An answer valid() accepts, asking again after anything else; empty skips."""
    answer = _ask(question)
    while answer and not valid(answer):
        answer = _ask(f"{retry} (Enter to skip)")
    return answer


def _choose_favourite(plan: Plan, started: Collection[str] | None) -> str | None:
    """Pick a favourite technique by number among the steps that were started (all if None)."""
    steps = [s for s in plan.steps if s.technique and (started is None or s.technique in started)]
    # One choice per technique, under the first name it went by (names differ by region).
    first_names: dict[str, str] = {}
    for step in steps:
        if step.technique:
            first_names.setdefault(step.technique, step.technique_name or step.technique)
    choices = list(first_names.items())
    if not choices:
        return None  # quit before the first step: nothing to choose from
    for number, (_, name) in enumerate(choices, 1):
        click.echo(f"  {number}. {name}")
    answer = _ask_until(
        "Favourite step (number, Enter to skip)",
        f"Please give a number from 1 to {len(choices)}",
        lambda a: a.isdigit() and 1 <= int(a) <= len(choices),
    )
    return choices[int(answer) - 1][0] if answer else None


def ask_feedback(
    plan: Plan, started: Collection[str] | None = None
) -> tuple[int | None, str | None, str | None] | None:
    """Overall 1-5, pressure verdict and favourite among started techniques; Enter skips one."""
    click.echo("\nHow was it? (Enter skips a question, Ctrl-C skips them all)")
    try:
        overall = _ask_until(
            "Overall, 1 to 5", "Please give a number from 1 to 5", lambda a: a in RATINGS
        )
        verdict = _ask_until(
            "Pressure: r right, l too light, f too firm",
            "Please answer r, l or f",
            lambda a: _verdict(a) is not None,
        )
        favourite = _choose_favourite(plan, started)
    except (click.Abort, EOFError):
        return None
    answers = (int(overall) if overall else None, _verdict(verdict), favourite)
    return None if answers == (None, None, None) else answers
