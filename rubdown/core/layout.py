"""Laying steps out on the clock with check-ins, announcements and oil, fitted to a window."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from rubdown.core import wording
from rubdown.core.guidance import slot_for
from rubdown.core.models import Region
from rubdown.core.motion import StepMotion, on_step
from rubdown.core.pauses import (
    CALIBRATE_S,
    CHECKIN_EVERY_S,
    CHECKIN_S,
    CLOSING_S,
    HOLD_S,
    NEW_SKIN_OIL_S,
    OIL_EVERY_S,
    HalfwayLead,
    calibration_words,
    checkin_slot,
    closing_words,
    halfway_marks,
    hold_words,
    move_words,
    oil_slot,
    opening_slot,
    opening_words,
    position_slot,
    reaches_new_skin,
    step_order,
    turn_words,
)
from rubdown.core.stepspec import ANNOUNCE_S, StepSpec, respec

MIN_CHUNK = 3
JUST_SAID_S = 90.0  # a caution said this recently is not said again at a turn


@dataclass
class Cursor:
    """Where the layout stands: clock, time since the last check-in and oil, last place."""

    t: float = 0.0
    since_checkin: float = 0.0
    since_oil: float = 0.0
    region: str | None = None
    # The area of the last region that takes oil: oil comes as the hands reach new skin.
    area: str | None = None
    position: str | None = None
    step_index: int = 0
    hands: str = "bare"  # "oily" once oiled; "wiped" for the hair or the face
    # Oil before the next region that takes it: the hands were wiped for the hair or the
    # face, or the receiver turned over to a side no oil has reached yet.
    oil_due: bool = False
    rising: tuple[str, ...] = ()  # what the regions already worked need before standing
    # For a live re-fit: step seconds already worked in this position, and whether its
    # halfway words (face down: turn the head) were said, so the rest still says them once.
    worked_s: float = 0.0
    halfway_said: bool = False
    side: str | None = None  # the side of the last step done (a re-fit may need a turn first)
    # A re-fit's first step is the one under way (given more time): its lead was said, so
    # nothing is said again before it, and no check-in cuts in ahead of its first part.
    under_way: bool = False
    # ... and its first part is the rest of a step begun before the change: it carries on.
    continues: bool = False
    # Words a re-fit owes before its first step (the first words, skipped before they were out).
    owed: str = ""
    # For a re-fit: the cautions said in what is done, each with when its words ended.
    said_at: tuple[tuple[str, float], ...] = ()

    def oiled(self) -> None:
        """The hands have just taken oil."""
        self.since_oil, self.hands, self.oil_due = 0.0, "oily", False

    def wipe_for(self, region: Region) -> None:
        """Oily hands are wiped for a region that takes none (the hair, the face)."""
        if region.dry_hands and self.hands != "bare":
            self.hands, self.oil_due = "wiped", True


class Chunk(NamedTuple):
    """A run of repetitions of one step, turned into a Segment only once the fit is final."""

    # A named tuple: made for every run of every layout tried, and quicker to make than a
    # frozen dataclass.

    spec: StepSpec
    reps: int
    side: str
    step_index: int
    intro_reps: int | None  # the whole step's count on its first chunk, else None

    def fields(self) -> tuple[str, dict[str, object]]:
        spec = self.spec
        say = (
            spec.intro(self.intro_reps, self.side)
            if self.intro_reps is not None
            else wording.step_continue(spec.technique, self.reps)
        )
        memo = spec.memo()
        # What every chunk of a step shares, worked out once per step.
        static: dict[str, object] | None = memo.get("fields")
        if static is None:
            static = memo["fields"] = _step_fields(spec)
        motion = memo.get(("motion", self.side), _UNKNOWN)
        if motion is _UNKNOWN:
            motion = memo[("motion", self.side)] = self.motion()
        out = dict(static)
        out.update(reps=self.reps, side=self.side, step_index=self.step_index, motion=motion)
        return say, out

    def motion(self) -> StepMotion | None:
        """How the hands move in this chunk, on its side of the body."""
        t = self.spec.technique
        found = t.motion_on(self.spec.region.id, self.spec.position.view)
        return on_step(found, self.side, t.stroke_rule) if found else None


_UNKNOWN = object()
_LONG_AGO = -1e9  # when a caution never said was said


def _step_fields(spec: StepSpec) -> dict[str, object]:
    """The segment fields every chunk of a step has in common."""
    t = spec.technique
    return dict(
        region=spec.region.id,
        technique=t.id,
        technique_kind=t.kind,
        pressure=spec.pressure,
        position=spec.position.id,
        seconds_per_rep=t.seconds_per_rep,
        min_reps=spec.min_reps,
        max_reps=spec.max_reps,
        max_pressure=spec.max_pressure,
        weight=spec.weight,
        stroke_rule=t.stroke_rule,
        technique_name=t.name_for(spec.region.id),  # as done here: 'Long glide over the hand'
        region_name=spec.region.name,
        role=spec.role,
    )


Row = tuple[float, str, object]


class _Layout:
    """Builds the rows (duration, kind, words, fields) for one set of repetitions."""

    def __init__(self, cursor: Cursor, oil: str = "") -> None:
        self.c = replace(cursor)
        self.oil = oil
        self.rows: list[Row] = []
        self.said_at = dict(cursor.said_at)  # when each caution was last said, to its end

    def just_said(self) -> frozenset[str]:
        """The cautions said within the last JUST_SAID_S (not worth saying again yet)."""
        return frozenset(c for c, at in self.said_at.items() if self.c.t - at <= JUST_SAID_S)

    def add(
        self, duration: float, kind: str, say: str | Chunk, doing: float = 0.0, **fields: object
    ) -> None:
        """A row; `doing`: the seconds of it the hands need for what it says (a towel move),
        which a check-in shortened to fit still keeps."""
        payload = say if isinstance(say, Chunk) else (say, fields, doing)
        self.rows.append((duration, kind, payload))
        c = self.c
        c.t += duration
        said: tuple[str, ...] = fields.get("cautions") or ()  # type: ignore[assignment]
        for caution in said:
            self.said_at[caution] = c.t  # once its words are out
        c.since_oil += duration
        c.since_checkin = 0.0 if kind == "check-in" else c.since_checkin + duration

    def check_in(
        self,
        next_spec: StepSpec | None = None,
        changed: bool = True,
        then: str = "",
        also: str = "",
        cautions: tuple[str, ...] | None = None,
        side: str = "both",
    ) -> None:
        """A check-in; before a step, it also says what the step's lead or move would have
        (and `also`, the halfway words, last; `cautions`: those said, if not the step's)."""
        region = next_spec.region if next_spec else None
        if then:
            say = f"{wording.check_in()} {then}"
        else:
            before = next_spec.before if next_spec else ""
            finish = next_spec is not None and next_spec.role == "finish"
            first_side = next_spec is not None and next_spec.first_side_finish(side)
            say = wording.check_in(region if changed else None, before, finish, first_side)
        say = f"{say} {also}" if also else say
        if cautions is None:
            cautions = next_spec.cautions if next_spec else ()
        fields: dict[str, object] = dict(region=region.id if region else None, cautions=cautions)
        if then and next_spec is not None:
            fields["position"] = next_spec.position.id  # the receiver moves in this pause
        doing = next_spec.doing_s if next_spec else 0.0
        self.add(checkin_slot(say, CHECKIN_S, doing), "check-in", say, doing, **fields)

    def _due(self, pause_s: float, whole: float) -> bool:
        return self.c.since_checkin + pause_s + whole > CHECKIN_EVERY_S

    def before_step(
        self,
        spec: StepSpec,
        whole: float,
        turn: bool = False,
        running: bool = False,
        also: str = "",
        side: str = "both",
    ) -> None:
        """What is said before a step's pass on `side`: one pause, a check-in when the step
        would not fit before the next one is due (it then says what the pause would have). A
        step already running when a live change re-fits the rest is not held up for one.
        `also`: the position's halfway words, said last in that pause."""
        moved = self.c.position is not None and spec.position.id != self.c.position
        changed = self.c.region is not None and spec.region.id != self.c.region
        oil_s, also = self._hands_for(spec, also, turn, changed or moved)
        if not turn:
            spec = self._less_just_said(spec)
        if turn or moved:
            self._turn_or_move(spec, whole, turn, oil_s, also)
        elif changed or spec.before or also:
            lead, lead_s = spec.lead(changed, side) if changed or spec.before else ("", 0.0)
            if also:
                lead = f"{lead} {also}".strip()
                lead_s = slot_for(lead, ANNOUNCE_S, spec.doing_s)
            if self._due(lead_s + oil_s, whole):
                next_spec = spec if changed or spec.before else None
                self.check_in(next_spec, changed, also=also, side=side)
            else:
                self.add(lead_s, "announce", lead, region=spec.region.id, cautions=spec.cautions)
        elif not running and self.c.since_checkin > 0 and self._due(0.0, whole):
            self.check_in()
        if oil_s:
            say = wording.more_oil(self.oil)
            self.add(oil_slot(say), "oil", say)
            self.c.oiled()

    def _less_just_said(self, spec: StepSpec) -> StepSpec:
        """The spec without the warnings said within the last JUST_SAID_S (going from the low
        back on to the hips, its warning is not said again a minute later)."""
        said_at, now = self.said_at, self.c.t
        if not spec.cautions or not said_at:
            return spec
        # Most steps say nothing said just now: a quick look before any words are rebuilt.
        if not any(now - said_at.get(c, _LONG_AGO) <= JUST_SAID_S for c in spec.cautions):
            return spec
        before, cautions = spec.before_without(self.just_said())
        return spec if before == spec.before else respec(spec, before=before, cautions=cautions)

    def _turn_or_move(
        self, spec: StepSpec, whole: float, turn: bool, oil_s: float, also: str
    ) -> None:
        """The pause to turn over or move to a new position, in a check-in when one is due."""
        # Turning over straight after the first side's finish: what its lead just said about
        # the back is not said again.
        words, cautions = (
            turn_words(spec, self.just_said()) if turn else (move_words(spec), spec.cautions)
        )
        say = " ".join(w for w in (words, also) if w)
        if cautions != spec.cautions:  # fewer words after its towel moves: they need more time
            spec = respec(spec, cautions=cautions)
        if self._due(position_slot(say, spec) + oil_s, whole):
            self.check_in(spec, then=say, cautions=cautions)
        else:
            self.move(spec, say, cautions)

    def _hands_for(self, spec: StepSpec, also: str, turn: bool, changed: bool) -> tuple[float, str]:
        """The oil cue's slot if oil is called for before the step (else 0), and `also` with
        the words to wipe oily hands before the hair or the face. `changed`: the region or
        the position changes."""
        c = self.c
        # Oil as the hands reach new skin (another area, or the other side after a turn), and
        # on the clock as they move on. Not before a region worked through the towel, nor the
        # hair or the face: it waits for the next bare region that takes it. Hands wiped
        # take it there even when a re-fit starts at a region its announcement named (the
        # region is then not "changed"). The finish glides go over skin oiled before.
        # A whole side turned to always takes it.
        due_oil = spec.region.takes_oil and (
            turn
            or (c.since_oil >= OIL_EVERY_S and changed)
            or c.oil_due
            or (reaches_new_skin(spec, c.area) and c.since_oil >= NEW_SKIN_OIL_S)
        )
        if spec.region.dry_hands and self.c.hands == "oily":
            also = f"{wording.WIPE_HANDS} {also}".strip()
        return (oil_slot(wording.more_oil(self.oil)) if due_oil else 0.0), also

    def move(self, spec: StepSpec, say: str, cautions: tuple[str, ...] = ()) -> None:
        """A pause for the receiver to move (a new position, or turning over)."""
        self.add(
            position_slot(say, spec),
            "announce",
            say,
            region=spec.region.id,
            position=spec.position.id,
            cautions=cautions,
        )

    def step(
        self,
        spec: StepSpec,
        reps: int,
        index: int,
        sides: Sequence[str],
        lead: bool = True,
        turn: bool = False,
        running: bool = False,
        also: str = "",
        under_way: bool = False,
        continues: bool = False,
    ) -> None:
        seconds = spec.technique.seconds_per_rep
        if lead or turn or also:
            whole = seconds * reps * len(sides)
            self.before_step(spec, whole, turn, running, also, sides[0])
        for n, side in enumerate(sides):
            going_on = under_way and n == 0
            self._chunks(spec, reps, side, index, seconds, going_on, continues and n == 0)
        self.c.region, self.c.position = spec.region.id, spec.position.id
        if spec.region.takes_oil:  # past the hairline, the neck is still new skin
            self.c.area = spec.region.area_name
        self.c.wipe_for(spec.region)

    def _chunks(
        self,
        spec: StepSpec,
        reps: int,
        side: str,
        index: int,
        seconds: float,
        under_way: bool,
        continues: bool,
    ) -> None:
        remaining, first = reps, True
        opening = min(reps, spec.least_first_reps(side))
        while remaining > 0:
            room = int((CHECKIN_EVERY_S - self.c.since_checkin) // seconds)
            # Split around a check-in only into parts of at least MIN_CHUNK repetitions, and
            # never so soon that the step's introduction would not fit before the check-in.
            least = max(MIN_CHUNK, opening) if first else MIN_CHUNK
            chunk = remaining if remaining <= room else min(room, remaining - MIN_CHUNK)
            if chunk < min(remaining, least):
                # The hands already at it (under way) get no check-in first: like a part fresh
                # from one, it takes what fits.
                if self.c.since_checkin > 0 and not (first and under_way):
                    self.check_in()
                    continue
                chunk = max(1, min(room, remaining))
            intro = reps if first and not continues else None  # a step carried on: no intro
            self.add(chunk * seconds, "step", Chunk(spec, chunk, side, index, intro))
            remaining -= chunk
            first = False


def lay_out(
    specs: Sequence[StepSpec],
    reps: Sequence[int],
    cursor: Cursor,
    warnings: Sequence[str],
    opening: bool,
    calibrate: bool = False,
    oil: str = "",
) -> list[Row]:
    """Rows for the given repetitions, ending with the still hold and the closing words."""
    layout = _Layout(cursor, oil)
    if opening:
        say, cautions = opening_words(specs, warnings, oil)
        layout.add(opening_slot(say, specs), "oil", say, cautions=cautions)
        layout.c.oiled()
    order = step_order(specs, None if opening else cursor.side)
    so_far = HalfwayLead(cursor.position, cursor.region, cursor.worked_s, cursor.halfway_said)
    halves = halfway_marks(specs, reps, order, None if opening else so_far)
    for n, (k, sides, turn) in enumerate(order):
        spec = specs[k].led_on(sides[0])
        running = not opening and n == 0  # a live re-fit starts with the step under way
        under_way = running and cursor.under_way
        lead = not (opening and n == 0) and not under_way
        also = spec.position.halfway if n in halves else ""
        if running and cursor.owed:
            also = f"{cursor.owed} {also}".strip()
        args = (sides, lead, turn, running, also, under_way, under_way and cursor.continues)
        layout.step(spec, reps[k], cursor.step_index + k, *args)
        if calibrate and n == 0:
            say = calibration_words(specs, spec)
            layout.add(slot_for(say, CALIBRATE_S), "calibrate", say, region=spec.region.id)
    last = specs[-1] if specs else None
    if last is not None:
        say = hold_words(last)
        layout.add(slot_for(say, HOLD_S), "hold", say, region=last.region.id)
    say = closing_words(specs, cursor.rising)
    layout.add(slot_for(say, CLOSING_S), "closing", say)
    return layout.rows
