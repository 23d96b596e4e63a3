"""The printable routine sheet: set-up, then every step with a body map (HTML, and PDF)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rubdown.core.prep import prep_timeline
from rubdown.core.shapes import Box
from rubdown.web.bodymap import VIEW_HEIGHT, VIEW_WIDTH, bodymap_svg
from rubdown.web.motionmap import zoomed_motion_map

if TYPE_CHECKING:
    from rubdown.core.models import Catalogue, Plan, Segment
    from rubdown.core.motion import StepMotion

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAP_HEIGHT = 100

RULE_TEXT = {
    "firm-down-light-up": "lean in one way, barely touch coming back",
    "even": "",  # steady pressure is the norm, so it needs no reminder on paper
    "growing": "start soft and build a little each pass",
    "press-release": "press, hold a moment, let go",
}
# Shipped techniques whose hands travel one clear way although their rule does not say so.
# "up" is up the page: toward the shoulder on an arm, toward the hip on a leg (the heart).
TRAVEL = {
    "arm-squeeze-down": "up",
    "forearm-thumb-circles": "up",
    "side-arm-squeeze": "up",
    "leg-glide": "up",
}


@dataclass(frozen=True)
class SheetStep:
    """One step of the plan as the sheet shows it, split segments merged."""

    number: int
    region: str
    region_name: str
    technique_name: str
    count: str
    pressure: str
    pressure_word: str
    starts: str
    length: str
    stroke: str
    rule: str
    direction: str | None
    cautions: tuple[str, ...]
    view: str = "back"
    motion: StepMotion | None = None  # every side's hands of the step, for one drawing


def clock(seconds: float) -> str:
    """Seconds as m:ss."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def pressure_word(value: int) -> str:
    """A 1-10 pressure in a word."""
    return "light" if value <= 3 else "medium" if value <= 5 else "firm"


def _count(parts: list[Segment]) -> str:
    """Repetitions of a step: a total, or per side when it is done on each side."""
    by_side: dict[str, int] = {}
    for seg in parts:
        side = seg.side or "both"
        by_side[side] = by_side.get(side, 0) + (seg.reps or 0)
    if set(by_side) == {"both"}:
        return f"{by_side['both']}×"
    left, right = by_side.get("left", 0), by_side.get("right", 0)
    if left == right:
        return f"{left}× each side"
    return f"{left}× left, {right}× right"


def _pressure(parts: list[Segment]) -> tuple[str, str]:
    """The step's pressure as text ("4" or "3–4") and a word for its highest value."""
    values = sorted({seg.pressure or 0 for seg in parts})
    text = str(values[0]) if len(values) == 1 else f"{values[0]}–{values[-1]}"
    return text, pressure_word(values[-1])


def direction_of(technique: str | None, rule: str | None) -> str | None:
    """Which way the arrow on the body map points, if the stroke has a firm direction."""
    if rule == "firm-down-light-up":
        return "down"
    return TRAVEL.get(technique or "")


def _both_sides(parts: list[Segment]) -> StepMotion | None:
    """The step's motion with the hands of every side it works, for one drawing."""
    motions = [seg.motion for seg in parts if seg.motion is not None]
    if not motions:
        return None
    strokes = tuple(dict.fromkeys(s for m in motions for s in m.strokes))
    return replace(motions[0], strokes=strokes)


def step_map(step: SheetStep) -> str:
    """The step's small body map: the motion's numbered arrows on a close-up, or the old arrow."""
    prefix = f"step{step.number}-"
    if step.motion is None:
        return bodymap_svg(step.region, step.direction, MAP_HEIGHT, prefix, step.view)
    svg = bodymap_svg(step.region, None, MAP_HEIGHT, prefix, step.view)
    base = Box(0, 0, VIEW_WIDTH, VIEW_HEIGHT)
    return zoomed_motion_map(svg, step.region, step.motion, base)


def said_before(plan: Plan) -> dict[int, tuple[str, ...]]:
    """The cautions and warnings said as the hands come to each step, by step index."""
    pending: list[str] = []
    out: dict[int, tuple[str, ...]] = {}
    for seg in plan.segments:
        if seg.kind != "step":
            pending.extend(seg.cautions)
        elif pending:
            key = seg.step_index if seg.step_index is not None else -1
            out[key] = (*out.get(key, ()), *dict.fromkeys(pending))
            pending = []
    return out


def sheet_steps(plan: Plan, cat: Catalogue) -> list[SheetStep]:
    """The plan's steps, one per step index, in order, each with the cautions said before it."""
    groups: dict[int, list[Segment]] = {}
    for seg in plan.steps:
        groups.setdefault(seg.step_index if seg.step_index is not None else -1, []).append(seg)
    cautions = said_before(plan)
    steps = []
    for number, (index, parts) in enumerate(groups.items(), 1):
        first = parts[0]
        technique = cat.techniques.get(first.technique or "")
        pressure, word = _pressure(parts)
        steps.append(
            SheetStep(
                number=number,
                region=first.region or "",
                region_name=first.region_name or first.region or "",
                technique_name=first.technique_name or first.technique or "",
                count=_count(parts),
                pressure=pressure,
                pressure_word=word,
                starts=clock(first.start_s),
                length=clock(sum(seg.duration_s for seg in parts)),
                stroke=technique.stroke_text if technique else "",
                rule=RULE_TEXT.get(first.stroke_rule or "", ""),
                direction=direction_of(first.technique, first.stroke_rule),
                cautions=cautions.get(index, ()),
                view=cat.positions[first.position].view
                if first.position in cat.positions
                else "back",
                motion=_both_sides(parts),
            )
        )
    return steps


def sheet_title(plan: Plan, cat: Catalogue) -> str:
    """The sheet's heading: the routine's name, or what kind of session it is."""
    if plan.routine and plan.routine in cat.routines:
        return cat.routines[plan.routine].name
    return f"{plan.minutes}-minute massage, {cat.positions[plan.position].name.lower()}"


def sheet_context(plan: Plan, cat: Catalogue) -> dict[str, Any]:
    """Everything the sheet template shows."""
    position = cat.positions[plan.position]
    conditions = [cat.conditions[c] for c in plan.request.profile.conditions if c in cat.conditions]
    # Only the lead times matter on paper, so any start will do.
    setup = prep_timeline(cat, plan, datetime(2000, 1, 1, 12, 0))
    steps = sheet_steps(plan, cat)
    maps = {s.number: step_map(s) if s.region in cat.regions else "" for s in steps}
    routine = cat.routines.get(plan.routine or "")
    return {
        "title": sheet_title(plan, cat),
        "description": routine.description if routine else "",
        "minutes": plan.minutes,
        "position": position,
        "conditions": conditions,
        "notes": [*plan.notes, *(f"Safety: {w}" for w in plan.warnings)],
        "setup": setup,
        "steps": steps,
        "maps": maps,
        # Only focus areas the plan really works on: a short session may leave one out.
        "focus": [
            cat.regions[r].name
            for r in plan.request.profile.focus
            if r in cat.regions and any(s.region == r for s in plan.steps)
        ],
        "avoid": [cat.regions[r].name for r in plan.request.profile.avoid if r in cat.regions],
        **along_the_way(plan),
    }


def along_the_way(plan: Plan) -> dict[str, Any]:
    """When to check in and oil again between the steps, and the still hold and closing words
    (the rest, getting up slowly, water): on paper as the voice says them."""
    first = next((i for i, s in enumerate(plan.segments) if s.kind == "step"), 0)
    later = plan.segments[first:]
    return {
        "check_ins": [clock(s.start_s) for s in later if s.kind == "check-in"],
        "oil_again": [clock(s.start_s) for s in later if s.kind == "oil"],
        "ending": [(clock(s.start_s), s.say) for s in later if s.kind in ("hold", "closing")],
    }


def sheet_html(plan: Plan, cat: Catalogue) -> str:
    """The sheet as a standalone, print-ready HTML page (A4)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    context = sheet_context(plan, cat)
    # The drawings come from our own static file, not from user input, so they are safe.
    context["maps"] = {k: Markup(v) for k, v in context["maps"].items()}
    return env.get_template("sheet.html").render(**context)


def sheet_pdf(plan: Plan, cat: Catalogue) -> bytes:
    """The sheet rendered to PDF by weasyprint (the 'pdf' extra)."""
    import logging

    from rubdown.extras import require

    require("pdf")
    from weasyprint import HTML

    # weasyprint logs every CSS property it skips; that is noise for a command-line user.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    data: bytes = HTML(string=sheet_html(plan, cat), base_url=str(TEMPLATES)).write_pdf()
    return data
