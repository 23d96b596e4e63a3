"""How the hands move: a technique's path on a region, and that path placed on a plan step."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rubdown.core.shapes import RegionShape

Point = tuple[float, float]
Path = tuple[Point, ...]
Stroke = tuple[Path, Path]  # the firm part and the light part of one repetition

HAND_PARTS: dict[str, str] = {
    "palms": "the palms",
    "thumbs": "the thumbs",
    "finger-pads": "the finger pads",
    "fingers-and-thumb": "fingers and thumb",
    "forearm": "the flat of the forearm",
    "stacked-hands": "one hand stacked on the other",
}
# glide: the hands come back along the path; lift: they lift and come back through the air;
# none: the path itself fills the whole repetition (a circle, or one pass along the area).
RETURNS: tuple[str, ...] = ("glide", "lift", "none")
# The firm part of each repetition starts on the 'down' tick and the light part on the 'up'
# tick, this far through the repetition (rubdown.core.timeline places the ticks by it).
FIRM_SHARE = 0.5
# What each stroke rule does on the two parts of a repetition, and the words for them.
HALVES: dict[str, tuple[str, str]] = {
    "firm-down-light-up": ("firm", "light"),
    "growing": ("firm", "light"),
    "press-release": ("firm", "light"),
    "even": ("even", "even"),
}
RULE_LABELS: dict[str, tuple[str, str]] = {
    "firm-down-light-up": ("Firm", "Light"),
    "growing": ("Firmer each time", "Light"),
    "press-release": ("Press", "Release"),
    "even": ("Steady", "Steady"),
}
LOOP_POINTS = 16


@dataclass(frozen=True)
class Motion:
    """How a technique's hands move on one region, in fractions of the region's frame."""

    technique: str
    region: str
    hands: str
    path: Path  # the route as written, u (left to right) and v (top to bottom) in 0..1
    way_out: str  # where the first part of each repetition goes ("outward")
    way_back: str  # where the second part goes ("back toward the neck")
    returns: str = "glide"
    start: str = ""  # the place the stroke starts from ("the neck")
    end: str = ""  # the place it goes to ("the shoulder tip")
    loops: int = 0  # small circles made along the route
    loop_size: float = 0.0  # their radius, as a share of the frame's smaller side
    mirror: bool = False  # on a one-piece region: a hand each side of the midline
    turn: int = 0  # with return 'none': the path point where the light part begins
    # Filled in once the path is placed on the body map (see `placed`).
    view: str = ""
    map_path: Path = ()  # the path on the map: the left side, or the one-piece region
    midline: float = 0.0  # the x the right side mirrors about
    both_hands: bool = False  # a step on both sides draws the path and its mirror

    @property
    def id(self) -> str:
        """The motion's key in the catalogue."""
        return motion_key(self.technique, self.region, self.view)

    def drawn(self, shape: RegionShape) -> Path:
        """The path in body-map units on the region's frame, circles and all."""
        box = shape.box
        route = tuple(box.place(u, v) for u, v in self.path)
        radius = self.loop_size * min(box.width, box.height)
        return tuple((round(x, 2), round(y, 2)) for x, y in trace(route, self.loops, radius))

    def placed(self, shape: RegionShape) -> Motion:
        """This motion with its path placed on the region's drawing."""
        return replace(
            self,
            view=shape.view,
            map_path=self.drawn(shape),
            midline=shape.width / 2,
            both_hands=shape.paired or self.mirror,
        )

    def halves(self, path: Path) -> Stroke:
        """A drawn path split into the firm part and the light part of one repetition."""
        if self.returns == "glide":
            return (path, path[::-1])
        if self.returns == "lift":
            return (path, (path[-1], path[0]))
        if not self.loops:
            return (path[: self.turn + 1], path[self.turn :])
        # Where the route's turning point falls along the traced path, by length.
        route = self.path
        upto = sum(math.dist(a, b) for a, b in itertools.pairwise(route[: self.turn + 1]))
        whole = sum(math.dist(a, b) for a, b in itertools.pairwise(route)) or 1.0
        cut = min(max(round(upto / whole * (len(path) - 1)), 1), len(path) - 2)
        return (path[: cut + 1], path[cut:])

    def strokes(self, side: str | None) -> tuple[Stroke, ...]:
        """One (firm, light) pair of map paths per hand, for the left, right or both sides."""
        mirrored = tuple((round(2 * self.midline - x, 2), y) for x, y in self.map_path)
        if side == "left":
            paths: tuple[Path, ...] = (self.map_path,)
        elif side == "right":
            paths = (mirrored,)
        else:
            paths = (self.map_path, mirrored) if self.both_hands else (self.map_path,)
        return tuple(self.halves(p) for p in paths)


def motion_key(technique: str, region: str, view: str = "back") -> str:
    """How the catalogue files a motion: by technique, region and (beyond the back) view."""
    return f"{technique} on {region}" + ("" if view in ("back", "") else f" ({view})")


def trace(route: Path, loops: int, radius: float) -> Path:
    """The route, with `loops` small circles of `radius` made along it (all in 0..1 units)."""
    if loops <= 0 or radius <= 0:
        return route
    if len(route) == 1:
        route = (route[0], route[0])
    lengths = [math.dist(a, b) for a, b in itertools.pairwise(route)]
    total = sum(lengths) or 1.0
    count = max(loops * LOOP_POINTS, 2)
    out = []
    for k in range(count + 1):
        share = k / count
        x, y = _along(route, lengths, share * total)
        angle = 2 * math.pi * loops * share
        # Each circle starts and ends on the route, and turns on the side above it.
        out.append(
            (round(x + radius * math.sin(angle), 4), round(y - radius * (1 - math.cos(angle)), 4))
        )
    return tuple(out)


def _along(route: Path, lengths: list[float], distance: float) -> Point:
    for (a, b), length in zip(itertools.pairwise(route), lengths, strict=True):
        if distance <= length and length > 0:
            t = distance / length
            return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))
        distance -= length
    return route[-1]


@dataclass(frozen=True)
class StepMotion:
    """A motion placed on a plan step: map paths per hand, the parts of a repetition, the words."""

    hands: str
    view: str
    strokes: tuple[Stroke, ...]  # per hand: the firm part's path and the light part's
    returns: str
    firm_share: float  # the firm part runs from 0 to this share of each repetition
    halves: tuple[str, str]  # how each part is done: firm, light, even, or lift (off the skin)
    labels: tuple[str, str]  # "Firm outward", "Light back toward the neck"
    words: str  # the direction in one sentence, for the terminal and paper

    def to_json(self) -> dict[str, Any]:
        """The placed motion as plain JSON."""
        return {
            "hands": self.hands,
            "view": self.view,
            "strokes": [
                {"firm": [list(p) for p in firm], "light": [list(p) for p in light]}
                for firm, light in self.strokes
            ],
            "returns": self.returns,
            "firm_share": self.firm_share,
            "halves": list(self.halves),
            "labels": list(self.labels),
            "words": self.words,
        }

    @classmethod
    def from_json(cls, data: Any) -> StepMotion:
        """Rebuild from to_json's output; a malformed value raises ValueError."""
        if not isinstance(data, dict):
            raise ValueError("a motion must be an object")
        strokes = tuple((_path(s["firm"]), _path(s["light"])) for s in data["strokes"])
        halves, labels = tuple(data["halves"]), tuple(data["labels"])
        if len(halves) != 2 or len(labels) != 2 or not strokes:
            raise ValueError("a motion needs two halves, two labels and a stroke")
        words = (data["hands"], data["view"], data["returns"], data["words"], *labels, *halves)
        if not all(isinstance(value, str) for value in words):
            raise ValueError("motion words must be text")
        share = float(data["firm_share"])
        if not 0 < share < 1:
            raise ValueError("firm_share must lie between 0 and 1")
        return cls(
            data["hands"], data["view"], strokes, data["returns"], share,
            (halves[0], halves[1]), (labels[0], labels[1]), data["words"],
        )  # fmt: skip


def _path(raw: Any) -> Path:
    points = tuple((float(x), float(y)) for x, y in raw)
    if len(points) < 2:
        raise ValueError("a stroke path needs at least two points")
    return points


def labels(motion: Motion, rule: str) -> tuple[str, str]:
    """What the two parts of a repetition are called: "Firm outward", "Light back toward…"."""
    firm, light = RULE_LABELS.get(rule, ("", ""))
    back = f"{light} {motion.way_back}" if motion.returns != "lift" else motion.way_back
    back = back.strip()
    return (f"{firm} {motion.way_out}".strip(), back[:1].upper() + back[1:])


def sentence(motion: Motion, rule: str) -> str:
    """The direction in words: "With the palms: firm outward from the neck to …, light back …"."""
    route = ""
    if motion.start and motion.end:
        route = f" from {motion.start} to {motion.end}"
    elif motion.end:
        route = f" to {motion.end}"
    first, second = (label[0].lower() + label[1:] for label in labels(motion, rule))
    hands = HAND_PARTS.get(motion.hands, motion.hands)
    return f"With {hands}: {first}{route}, {second}."


_ON_STEP: dict[tuple[int, str | None, str], tuple[Motion, StepMotion]] = {}


def on_step(motion: Motion, side: str | None, rule: str) -> StepMotion:
    """The motion as one plan step shows it (pure, and asked for on every plan: kept)."""
    key = (id(motion), side, rule)
    known = _ON_STEP.get(key)
    if known is None or known[0] is not motion:
        if len(_ON_STEP) > 4096:  # catalogues loaded again and again (tests): stay bounded
            _ON_STEP.clear()
        known = _ON_STEP[key] = (motion, _on_step(motion, side, rule))
    return known[1]


def _on_step(motion: Motion, side: str | None, rule: str) -> StepMotion:
    first, second = HALVES.get(rule, ("even", "even"))
    return StepMotion(
        hands=motion.hands,
        view=motion.view,
        strokes=motion.strokes(side),
        returns=motion.returns,
        firm_share=FIRM_SHARE,
        halves=(first, "lift" if motion.returns == "lift" else second),
        labels=labels(motion, rule),
        words=sentence(motion, rule),
    )
