"""What the pages show: plan timeline rows, clock text and the body map markup."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from rubdown.core.models import Catalogue, Plan

KIND_LABELS = {
    "check-in": "Check in with your partner",
    "oil": "Warm some oil",
    "announce": "Say where your hands go next",
    "closing": "Closing rest",
    "hold": "Still hold",
    "calibrate": "Pressure check",
}
SIDES = {"left": "left side", "right": "right side"}


def clock(seconds: float) -> str:
    """Seconds as m:ss."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def plan_rows(plan: Plan) -> list[dict[str, Any]]:
    """One row per segment: when, how long, what, where, pressure and count."""
    rows = []
    for seg in plan.segments:
        step = seg.kind == "step"
        area = seg.region_name or ""
        if step and seg.side in SIDES:
            area = f"{area}, {SIDES[seg.side]}"
        rows.append(
            {
                "start": clock(seg.start_s),
                "length": clock(seg.duration_s),
                "kind": seg.kind,
                "step": step,
                "region": seg.region or "",
                "what": seg.technique_name if step else KIND_LABELS.get(seg.kind, seg.kind),
                "area": area,
                "pressure": seg.pressure,
                "reps": seg.reps,
                "say": seg.say,
                "role": seg.role,
                "cautions": list(seg.cautions),
            }
        )
    return rows


def plan_summary(plan: Plan, cat: Catalogue) -> dict[str, Any]:
    """What the plan page shows first: the position and why, the total, the areas, the cautions."""
    position = cat.positions.get(plan.position)
    why = next((n for n in plan.notes if n.startswith("Position:")), "")
    reason = why[why.find("(") + 1 : why.rfind(")")] if "(" in why else ""
    areas = list(dict.fromkeys(s.region_name for s in plan.segments if s.kind == "step"))
    cautions = list(plan.warnings)
    for seg in plan.segments:
        for caution in getattr(seg, "cautions", ()) or ():
            text = caution if isinstance(caution, str) else getattr(caution, "text", "")
            if text and text not in cautions:
                cautions.append(text)
    return {
        "position": position.name if position else plan.position,
        "reason": reason,
        "total": f"{round(plan.total_seconds / 60)} minutes",
        "areas": [a for a in areas if a],
        "cautions": cautions,
    }


@cache
def bodymap_markup(view: str = "back", id_prefix: str | None = None) -> str:
    """A body-map drawing for inline use, with its own print colours left out.

    The back view keeps its plain ids; the front view's are prefixed "front-" so both can sit
    on one page (another prefix keeps a third copy apart). Every region also carries
    data-region, which is what the scripts use.
    """
    from rubdown.web.bodymap import bodymap_svg

    if id_prefix is None:
        id_prefix = "front-" if view == "front" else ""
    svg = bodymap_svg(view=view, id_prefix=id_prefix)
    # The page's stylesheet colours the map for the dark theme, and a strict CSP forbids
    # inline <style> anyway.
    svg = re.sub(r"<style>.*?</style>", "", svg, flags=re.S)
    svg = re.sub(r' width="\d+" height="\d+"', "", svg, count=1)
    return svg.replace("<svg ", f'<svg data-view="{view}" ', 1)


@cache
def arrow_anchors(view: str = "back") -> str:
    """Where stroke arrows go on each region of a view, as JSON for the player script."""
    from rubdown.web.bodymap import CENTRES, VIEW_WIDTH, is_single

    anchors = {}
    for region, (x, y, length) in CENTRES[view].items():
        xs = [x] if is_single(region, view) else [x, VIEW_WIDTH - x]
        anchors[region] = {"xs": xs, "y": y, "len": length}
    return json.dumps(anchors, separators=(",", ":"))


def map_views(cat: Catalogue) -> str:
    """Which drawing shows each position, as JSON: the player switches with the step."""
    return json.dumps({p.id: p.view for p in cat.positions.values()}, separators=(",", ":"))


def motion_maps(id_prefix: str) -> str:
    """Both body maps for a step's motion preview, each marked with its view; the front hidden."""
    return "".join(
        f'<div class="view-map" data-view="{view}"{" hidden" if view != "back" else ""}>'
        f"{bodymap_markup(view, f'{id_prefix}{view}-')}"
        "</div>"
        for view in ("back", "front")
    )
