"""Frozen, typed domain values: the catalogue, a receiver's profile and the plan."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from rubdown.core.motion import Motion, StepMotion

# The planner's limits live with the other word lists; re-exported for callers.
from rubdown.core.words import MAX_MINUTES as MAX_MINUTES
from rubdown.core.words import MIN_MINUTES as MIN_MINUTES

_T = TypeVar("_T")

Kind = Literal["glide", "stroke", "knead", "circles", "press", "squeeze"]
KINDS: tuple[str, ...] = ("glide", "stroke", "knead", "circles", "press", "squeeze")
STROKE_RULES: tuple[str, ...] = ("firm-down-light-up", "even", "growing", "press-release")
SEGMENT_KINDS: tuple[str, ...] = (
    "step",
    "check-in",
    "announce",
    "oil",
    "closing",
    "hold",
    "calibrate",
)
# What a step does in the shape of the session (see core.craft).
ROLES: tuple[str, ...] = ("opening", "entry", "work", "flush", "finish")
# The roles that frame a session: feather-light glides over everything, not one region's work.
FRAMES: tuple[str, ...] = ("opening", "finish")
# One pressure scale, 1 to 10, everywhere. 8-10 is for trained hands: partner massage stops at 7.
PRESSURE_SCALE_MAX = 10
PRESSURE_WORDS: dict[str, int] = {"light": 3, "medium": 5, "firm": 7}
PARTNER_MAX_PRESSURE = 7
# Sessions open and close with one of these kinds at this pressure or less.
LIGHT_KINDS: tuple[str, ...] = ("glide", "stroke")
LIGHT_PRESSURE = 3
FLUSH_PRESSURE = 2  # an area is left with a stroke lighter than its work


def is_light(kind: str | None, pressure: int | None) -> bool:
    """Whether a movement is a light glide or stroke, fit to open or close a session."""
    return kind in LIGHT_KINDS and pressure is not None and pressure <= LIGHT_PRESSURE


def is_flushing(kind: str | None, pressure: int | None) -> bool:
    """Whether a movement can leave an area: a glide or stroke lighter than the work (1-2)."""
    return kind in LIGHT_KINDS and pressure is not None and pressure <= FLUSH_PRESSURE


VIEWS: tuple[str, ...] = ("back", "front")
NO_PRESS_MAX = 2  # the firmest a glide over a no-press zone may go


def may_touch(region: Region, technique: Technique) -> bool:
    """Whether a technique may touch a region: a no-press zone takes only a light glide."""
    return not region.no_press or (
        technique.kind == "glide" and technique.pressure.max <= NO_PRESS_MAX
    )


@dataclass(frozen=True)
class Region:
    """A part of the body the giver works on."""

    id: str
    name: str
    order: int
    no_press: bool = False
    area: str = ""  # the larger area it belongs to ("back"); empty: the region is its own area
    words: tuple[str, ...] = ()  # how cues name it; when given they replace the name
    cautions: tuple[str, ...] = ()
    before_rising: str = ""  # said in the closing when it was worked (oil off the soles)
    through_towel: bool = False  # stays covered: worked through the towel, without oil
    # Worked with the oil wiped off the hands (the hair, the face): the hands are oiled
    # again before the next region that takes oil.
    dry_hands: bool = False
    # At the hairline (the base of the skull): no oil is called for just before it; it waits
    # for the next region that takes it.
    no_oil: bool = False
    # Regions a stroke here runs the length of (a glide down the spine runs over the low
    # back): when one is avoided, this region is left out too.
    runs_over: tuple[str, ...] = ()

    @property
    def area_name(self) -> str:
        """The area this region is worked as part of."""
        return self.area or self.name.lower()

    @property
    def takes_oil(self) -> bool:
        """Whether oil may be called for just before this region (bare skin, not hair)."""
        return not (self.through_towel or self.dry_hands or self.no_oil)

    @property
    def all_words(self) -> tuple[str, ...]:
        """Every word or phrase that names this region in a sentence, lowercase."""
        return self.words or (self.name.lower(),)


@dataclass(frozen=True)
class Need:
    """Something to prepare for a position, and how long before the start."""

    item: str
    count: int
    note: str
    lead_minutes: int


@dataclass(frozen=True)
class Drape:
    """A towel move: said before the hands reach an area it bares while the towels cover it."""

    area: str
    say: str
    bares: tuple[str, ...] = ()  # other areas it bares along with `area`
    covers: tuple[str, ...] = ()  # areas it covers again (to keep them warm)
    # Regions of `area` it leaves under the towel: said instead of the area's other move
    # when they are all avoided.
    keeps: tuple[str, ...] = ()

    @property
    def bared(self) -> tuple[str, ...]:
        """Every area this move leaves bare."""
        return (self.area, *self.bares)


@dataclass(frozen=True)
class Position:
    """How the couple arrange themselves, what the giver can reach and what it takes."""

    id: str
    name: str
    setup: str
    reaches: tuple[str, ...]
    needs: tuple[Need, ...]
    view: str = "back"  # which body-map drawing shows this position: "back" or "front"
    turn: str = ""  # non-empty: the receiver turns over halfway, and this is the cue to do it

    @property
    def turns(self) -> bool:
        """Whether the work is done on one side, then again after the receiver turns over."""
        return bool(self.turn)

    drapes: tuple[Drape, ...] = ()
    tool: str = ""  # e.g. "forearm": at least half the step time is done with it
    rest: str = ""  # how the receiver rests at the end
    get_up: str = ""  # how they get up after it (the closing says it)
    support: str = ""  # the set-up in brief, what the receiver leans on: said before first touch
    spares: tuple[str, ...] = ()  # parts of the giver's hands it rests: no technique uses them
    flow: tuple[str, ...] = ()  # areas in the order they are worked; others after, head to toe
    halfway: str = ""  # said about halfway through its steps (face down: turn the head over)

    def flow_rank(self, region: Region) -> tuple[int, int]:
        """Where a region comes in this position's flow: its area's place, then head to toe."""
        area = region.area_name
        return (self.flow.index(area) if area in self.flow else len(self.flow), region.order)


@dataclass(frozen=True)
class Range:
    """An inclusive integer range with a default."""

    default: int
    min: int
    max: int


@dataclass(frozen=True)
class Technique:
    """One massage movement and how to do it."""

    id: str
    name: str
    kind: str
    regions: tuple[str, ...]
    positions: tuple[str, ...]
    hand_part: str
    stroke_rule: str
    stroke_text: str
    pressure: Range
    seconds_per_rep: float
    reps: Range
    per_side: bool
    cue: str
    cautions: tuple[str, ...] = ()
    motions: tuple[Motion, ...] = ()  # attached by the catalogue: one per region
    tires: tuple[str, ...] = ()  # parts of the giver's hands it works hard (e.g. fingers)

    def motion_on(self, region: str, view: str = "back") -> Motion | None:
        """How the hands move on a region, as the body map for `view` shows it."""
        # Asked for on every chunk of every plan: a lookup, made once per technique.
        by_place: dict[tuple[str, str], Motion] | None = self.__dict__.get("_motion_by_place")
        if by_place is None:
            by_place = {}
            for m in self.motions:
                by_place.setdefault((m.region, m.view), m)  # the first, as the list had it
            self.__dict__["_motion_by_place"] = by_place
        return by_place.get((region, view))

    cues: tuple[tuple[str, str], ...] = ()  # per-region wording, (region, cue)

    def cue_for(self, region: str) -> str:
        """The cue as done on one region."""
        by_region: dict[str, str] = self.__dict__.get("_cue_by_region") or self.__dict__.setdefault(
            "_cue_by_region", dict(self.cues)
        )
        return by_region.get(region, self.cue)

    names: tuple[tuple[str, str], ...] = ()  # per-region names, (region, name)

    def name_for(self, region: str) -> str:
        """The technique's name as done on one region ("Long glide over the hand")."""
        return dict(self.names).get(region, self.name) if self.names else self.name

    def uses(self, tool: str) -> bool:
        """Whether the technique is done with this part of the giver (e.g. the forearm)."""
        return bool(tool) and tool in self.hand_part.lower()

    def strains(self, part: str) -> bool:
        """Whether it works this part of the giver's hands hard (tagged, or done with it)."""
        return part in self.tires or self.uses(part)


@dataclass(frozen=True)
class RoutineStep:
    """A technique on a region, as a routine orders it."""

    technique: str
    region: str
    reps: int | None = None
    pressure: int | None = None
    position: str | None = None


@dataclass(frozen=True)
class Routine:
    """A named, ordered sequence of steps for a position."""

    id: str
    name: str
    position: str
    minutes: int
    description: str
    steps: tuple[RoutineStep, ...]


@dataclass(frozen=True)
class Cap:
    """A pressure limit (and technique limits) a condition puts on some regions."""

    regions: tuple[str, ...]
    max_pressure: int
    forbid_kinds: tuple[str, ...] = ()
    only_kinds: tuple[str, ...] = ()
    max_seconds: int | None = None  # the most time on each of these regions, focus or not
    # Parts of the giver a technique here may not be done with: the forearm brings body
    # weight, which fragile ribs or a bulging disc must not take.
    forbid_tools: tuple[str, ...] = ()

    def covers(self, region: str) -> bool:
        """Whether this cap applies to the region."""
        return "all" in self.regions or region in self.regions


@dataclass(frozen=True)
class Condition:
    """A health condition and the rules it imposes on a session."""

    id: str
    name: str
    source: str
    explain: str
    refuse: bool = False
    instead: str = ""
    caps: tuple[Cap, ...] = ()
    forbid_positions: tuple[str, ...] = ()
    avoid_regions: tuple[str, ...] = ()
    requires_avoid: bool = False
    warnings: tuple[str, ...] = ()
    prefer_positions: tuple[str, ...] = ()
    ask_first: str = ""
    suggest_minutes: int | None = None
    position_minutes: tuple[tuple[str, int], ...] = ()
    widespread_at: int | None = None
    oil: str = ""
    # The regions each warning is about (parallel to warnings); empty: the whole session.
    warning_regions: tuple[tuple[str, ...], ...] = ()
    never_say: tuple[str, ...] = ()  # words no cue may use with this condition

    def warning_areas(self) -> list[tuple[str, tuple[str, ...]]]:
        """Each warning with the regions it is about (none: the whole session); by default the
        regions the caps cover."""
        capped = tuple(dict.fromkeys(r for c in self.caps for r in c.regions if r != "all"))
        out = []
        for i, text in enumerate(self.warnings):
            given = self.warning_regions[i] if i < len(self.warning_regions) else ()
            out.append((text, () if "all" in given else given or capped))
        return out


@dataclass(frozen=True)
class Catalogue:
    """Everything rubdown knows about massage, validated and cross-referenced."""

    regions: dict[str, Region]
    positions: dict[str, Position]
    techniques: dict[str, Technique]
    routines: dict[str, Routine]
    conditions: dict[str, Condition]
    motions: dict[str, Motion] = field(default_factory=dict)

    def region_order(self, region: str) -> int:
        """Head-to-toe rank of a region."""
        return self.regions[region].order

    def remember(self, key: str, make: Callable[[], _T]) -> _T:
        """Something worked out from the catalogue alone, once: a catalogue never changes."""
        memo: dict[str, Any] = self.__dict__.setdefault("_memo", {})
        if key not in memo:
            memo[key] = make()
        known: _T = memo[key]  # typed by annotation: typing.cast is a call each time
        return known

    def placed(self, region: str, position: str) -> tuple[Technique, ...]:
        """The techniques done on a region in a position, in catalogue order."""
        return self.remember("placed", self._placed).get((region, position), ())

    def _placed(self) -> dict[tuple[str, str], tuple[Technique, ...]]:
        lists: dict[tuple[str, str], dict[str, Technique]] = {}
        for t in self.techniques.values():
            for key in itertools.product(t.regions, t.positions):
                position = self.positions.get(key[1])
                if position is None or not any(t.strains(part) for part in position.spares):
                    lists.setdefault(key, {})[t.id] = t
        return {key: tuple(ts.values()) for key, ts in lists.items()}


@dataclass(frozen=True)
class Profile:
    """What the planner knows about the receiver."""

    pressure: str | None = None
    focus: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    learned_pressure: tuple[tuple[str, int], ...] = ()
    favourites: tuple[str, ...] = ()
    learned_notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanRequest:
    """Everything plan_session needs besides the catalogue."""

    minutes: int | None = None  # None: the routine's length, or 30
    position: str = "any"
    routine: str | None = None
    profile: Profile = field(default_factory=Profile)
    vary: int | None = None
    calibrate: bool = False  # open with a 30-second pressure check

    def to_json(self) -> dict[str, Any]:
        """The request as plain JSON, so any edge can re-plan it."""
        p = self.profile
        return {
            "minutes": self.minutes,
            "position": self.position,
            "routine": self.routine,
            "pressure": p.pressure,
            "focus": list(p.focus),
            "avoid": list(p.avoid),
            "conditions": list(p.conditions),
            "vary": self.vary,
            "calibrate": self.calibrate,
        }


@dataclass(frozen=True)
class Segment:
    """One timed piece of a plan: a step, or a spoken pause between steps."""

    start_s: float
    duration_s: float
    kind: str
    say: str
    region: str | None = None
    technique: str | None = None
    technique_kind: str | None = None
    pressure: int | None = None
    reps: int | None = None
    side: str | None = None
    position: str | None = None
    seconds_per_rep: float | None = None
    min_reps: int | None = None
    max_reps: int | None = None
    max_pressure: int | None = None
    weight: float = 1.0
    step_index: int | None = None
    stroke_rule: str | None = None
    technique_name: str | None = None
    region_name: str | None = None
    motion: StepMotion | None = None
    role: str | None = None  # opening | entry | work | flush | finish (steps only)
    cautions: tuple[str, ...] = ()  # cautions and warnings said in this segment

    @property
    def end_s(self) -> float:
        """When the segment ends on the session clock."""
        return self.start_s + self.duration_s

    @classmethod
    def build(
        cls, start_s: float, duration_s: float, kind: str, say: str, fields: dict[str, Any]
    ) -> Segment:
        """Construct without the frozen __init__'s per-field setattr: the planner's hot path."""
        segment = object.__new__(cls)
        values = segment.__dict__
        values.update(_SEGMENT_DEFAULTS)
        values.update(start_s=start_s, duration_s=duration_s, kind=kind, say=say)
        values.update(fields)  # not **fields: that would copy the dict once more
        return segment


_SEGMENT_DEFAULTS: dict[str, Any] = {
    f.name: f.default for f in dataclasses.fields(Segment) if f.default is not dataclasses.MISSING
}


@dataclass(frozen=True)
class Plan:
    """A fitted session: segments back to back, and why it looks as it does."""

    minutes: int
    position: str
    segments: tuple[Segment, ...]
    notes: tuple[str, ...]
    request: PlanRequest
    routine: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def total_seconds(self) -> float:
        """Length of the whole session."""
        return self.segments[-1].end_s if self.segments else 0.0

    @property
    def steps(self) -> tuple[Segment, ...]:
        """Only the massage steps."""
        return tuple(s for s in self.segments if s.kind == "step")


class PlanError(Exception):
    """The request cannot be planned; the message says why and what to do."""

    exit_code = 2

    def __init__(self, message: str, choices: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.choices = choices


class Refusal(PlanError):
    """No massage today: a condition rules it out."""

    exit_code = 3

    def __init__(self, reason: str, instead: str, condition: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.instead = instead
        self.condition = condition
