"""Region outlines read from the body-map drawings, so motions are checked against what is drawn."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

Point = tuple[float, float]
Polygon = tuple[Point, ...]

# The drawings live with the web app's static files; they are read here as data, never imported,
# so the maps people see and the shapes motions are checked against are one and the same.
MAP_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
CURVE_STEPS = 12
_SVG = "{http://www.w3.org/2000/svg}"
_TOKEN = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")


class ShapeError(Exception):
    """A body-map drawing cannot be read into region outlines."""


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in map units."""

    x: float
    y: float
    width: float
    height: float

    def place(self, u: float, v: float) -> Point:
        """A point given as fractions of the box's width and height."""
        return (self.x + u * self.width, self.y + v * self.height)


@dataclass(frozen=True)
class RegionShape:
    """A region's outline on one view: one piece, or a left piece and its mirror on the right."""

    region: str
    view: str
    pieces: dict[str, tuple[Polygon, ...]]  # "left" and "right", or "whole"; each one or more
    width: float  # the drawing's width: the body's midline is at half of it

    @property
    def paired(self) -> bool:
        """Whether the region is drawn once per side."""
        return "left" in self.pieces

    @property
    def box(self) -> Box:
        """The frame motion paths are given in: the left piece, or the whole region."""
        return bounds(
            tuple(p for poly in self.pieces["left" if self.paired else "whole"] for p in poly)
        )

    def piece_for(self, point: Point) -> tuple[Polygon, ...]:
        """The outline a point should fall in (the piece on its side of the midline)."""
        if not self.paired:
            return self.pieces["whole"]
        return self.pieces["left" if point[0] < self.width / 2 else "right"]

    @cached_property
    def _frames(self) -> dict[Polygon, Box]:
        return {polygon: bounds(polygon) for piece in self.pieces.values() for polygon in piece}

    def contains(self, point: Point) -> bool:
        """Whether the point lies inside the region as drawn."""
        x, y = point
        for polygon in self.piece_for(point):
            box = self._frames[polygon]  # most points are far off: a box rules them out at once
            near = box.x <= x <= box.x + box.width and box.y <= y <= box.y + box.height
            if near and inside(point, polygon):
                return True
        return False

    def mirror(self, point: Point) -> Point:
        """The point on the other side of the body."""
        return (self.width - point[0], point[1])


def bounds(polygon: Polygon) -> Box:
    """The smallest box round a polygon."""
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def inside(point: Point, polygon: Polygon) -> bool:
    """Even-odd rule: whether a point lies inside a polygon."""
    x, y = point
    hit = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def densify(path: Polygon, step: float = 1.0) -> Polygon:
    """The path with points at most `step` apart, so a check of points sees every crossing."""
    if len(path) < 2:
        return path
    out = [path[0]]
    for (x1, y1), (x2, y2) in itertools.pairwise(path):
        n = max(1, math.ceil(math.hypot(x2 - x1, y2 - y1) / step))
        out.extend((x1 + (x2 - x1) * k / n, y1 + (y2 - y1) * k / n) for k in range(1, n + 1))
    return tuple(out)


def _quad(p0: Point, p1: Point, p2: Point) -> Iterator[Point]:
    for i in range(1, CURVE_STEPS + 1):
        t = i / CURVE_STEPS
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t * t
        yield (a * p0[0] + b * p1[0] + c * p2[0], a * p0[1] + b * p1[1] + c * p2[1])


def _cubic(p0: Point, p1: Point, p2: Point, p3: Point) -> Iterator[Point]:
    for i in range(1, CURVE_STEPS + 1):
        t = i / CURVE_STEPS
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t**3
        yield (
            a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
            a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
        )


ARITY = {"M": 2, "L": 2, "H": 1, "V": 1, "Q": 4, "C": 6, "Z": 0}


def path_points(d: str) -> Polygon:
    """The outline of a one-piece SVG path (M L H V Q C Z, either case), curves flattened."""
    return tuple(p for sub in subpaths(d) for p in sub)


def subpaths(d: str) -> tuple[Polygon, ...]:
    """Each closed piece of an SVG path (a new M starts another), curves flattened."""
    tokens = _TOKEN.findall(d)
    pieces: list[list[Point]] = []
    at: Point = (0.0, 0.0)
    i, command = 0, ""
    while i < len(tokens):
        if tokens[i].isalpha():
            command, i = tokens[i], i + 1
        op = command.upper()
        if op not in ARITY:
            raise ShapeError(f"path command '{command}' is not supported")
        n = ARITY[op]
        args = [float(t) for t in tokens[i : i + n]]
        if len(args) < n or any(t.isalpha() for t in tokens[i : i + n]):
            raise ShapeError(f"path command '{command}' needs {n} numbers")
        i += n
        if op == "M" or not pieces:
            pieces.append([])
        at = _step(op, command.islower(), args, at, pieces[-1])
        if op == "M":
            command = "l" if command.islower() else "L"  # numbers after M draw lines
        if op == "Z" and i < len(tokens) and not tokens[i].isalpha():
            raise ShapeError("numbers after Z")
    return tuple(tuple(piece) for piece in pieces if piece)


def _step(op: str, rel: bool, args: list[float], at: Point, out: list[Point]) -> Point:
    """Apply one path command, appending outline points; returns the new current point."""
    if op == "Z":
        return out[0] if out else at
    if op == "H":
        args = [args[0] + (at[0] if rel else 0), at[1]]
    elif op == "V":
        args = [at[0], args[0] + (at[1] if rel else 0)]
    elif rel:
        args = [a + at[k % 2] for k, a in enumerate(args)]
    pts = [(args[k], args[k + 1]) for k in range(0, len(args), 2)]
    if op == "Q":
        out.extend(_quad(at, pts[0], pts[1]))
    elif op == "C":
        out.extend(_cubic(at, pts[0], pts[1], pts[2]))
    else:
        out.append(pts[0])
    return pts[-1]


def rect_points(el: ET.Element) -> Polygon:
    """A <rect>'s outline (rounded corners are ignored: they only trim the very ends)."""
    x, y = float(el.get("x", 0)), float(el.get("y", 0))
    w, h = float(el.get("width", 0)), float(el.get("height", 0))
    rx = min(float(el.get("rx", 0)), w / 2)
    # Stay rx in from the short ends so a point in the corner is not counted inside.
    return ((x, y + rx), (x + w, y + rx), (x + w, y + h - rx), (x, y + h - rx))


def _transformed(points: Polygon, transform: str | None) -> Polygon:
    if not transform:
        return points
    match = re.fullmatch(r"\s*matrix\(([^)]*)\)\s*", transform)
    if not match:
        raise ShapeError(f"transform '{transform}' is not supported (use matrix(...))")
    a, b, c, d, e, f = (float(v) for v in re.split(r"[\s,]+", match.group(1).strip()))
    return tuple((a * x + c * y + e, b * x + d * y + f) for x, y in points)


def ellipse_points(el: ET.Element) -> Polygon:
    """An <ellipse>'s (or <circle>'s) outline."""
    cx, cy = float(el.get("cx", 0)), float(el.get("cy", 0))
    rx = float(el.get("rx", el.get("r", 0)))
    ry = float(el.get("ry", el.get("r", 0)))
    steps = 4 * CURVE_STEPS
    turns = [2 * math.pi * k / steps for k in range(steps)]
    return tuple((cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in turns)


def _outline(el: ET.Element) -> tuple[Polygon, ...]:
    tag = el.tag.removeprefix(_SVG)
    if tag == "rect":
        pieces: tuple[Polygon, ...] = (rect_points(el),)
    elif tag in ("ellipse", "circle"):
        pieces = (ellipse_points(el),)
    elif tag == "path":
        pieces = subpaths(el.get("d", ""))
    else:
        raise ShapeError(f"<{tag}> cannot outline a region")
    return tuple(_transformed(p, el.get("transform")) for p in pieces)


def parse_map(text: str, view: str) -> dict[str, RegionShape]:
    """Every region drawn in one body-map SVG, by region id."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        raise ShapeError(f"not valid SVG: {err}") from None
    width = float((root.get("viewBox") or "0 0 0 0").split()[2])
    shapes = {}
    for el in root.iter():
        region = el.get("data-region")
        if not region:
            continue
        if el.tag.removeprefix(_SVG) == "g":
            pieces = {
                side: _outline(child)
                for child in el
                for side in (child.get("class", ""),)
                if side in ("left", "right")
            }
            if set(pieces) != {"left", "right"}:
                raise ShapeError(f"region '{region}' needs a left and a right piece")
        else:
            pieces = {"whole": _outline(el)}
        shapes[region] = RegionShape(region, view, pieces, width)
    return shapes


def map_files(folder: Path = MAP_DIR) -> list[tuple[str, Path]]:
    """The body-map drawings and their views: bodymap.svg is the back, bodymap-NAME.svg NAME."""
    found = []
    for path in sorted(folder.glob("bodymap*.svg")):
        view = path.stem.removeprefix("bodymap").lstrip("-") or "back"
        found.append((view, path))
    return found


def load_shapes(files: Iterable[tuple[str, Path]]) -> dict[str, dict[str, RegionShape]]:
    """Region outlines from every drawing, by view and region."""
    return {view: parse_map(path.read_text(encoding="utf-8"), view) for view, path in files}


@cache
def shipped_shapes() -> dict[str, dict[str, RegionShape]]:
    """The outlines of every region on the shipped body maps, by view ("back", "front")."""
    return load_shapes(map_files())


def default_view(region: str, shapes: dict[str, dict[str, RegionShape]]) -> str | None:
    """The view a region is shown on unless a position says otherwise: the back, if drawn there."""
    return next(
        (view for view in ("back", *sorted(shapes)) if region in shapes.get(view, {})), None
    )
