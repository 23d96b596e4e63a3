"""Getting ready in the player: the prep timeline the sheet and calendar use, one step a screen."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from rubdown.core.models import Catalogue, Plan
from rubdown.core.prep import prep_timeline

PICTURES = Path(__file__).parent / "static" / "positions"
# Any fixed start will do: the player shows how long before, not the clock time.
ANY_START = datetime(2000, 1, 1, 12, 0)


def lead_text(minutes: int) -> str:
    """How long before the first touch a step is due, in words."""
    if minutes <= 0:
        return "Just before you begin"
    if minutes < 60:
        return f"{minutes} minutes ahead"
    hours, rest = divmod(minutes, 60)
    if rest:
        return f"{hours} h {rest} min ahead"
    return "1 hour ahead" if hours == 1 else f"{hours} hours ahead"


@cache
def position_picture(position: str) -> str:
    """The drawing of a position for inline use, or "" when none is drawn."""
    path = PICTURES / f"{position}.svg"
    return path.read_text(encoding="utf-8").strip() if path.is_file() else ""


def ready_steps(cat: Catalogue, plan: Plan) -> dict[str, Any]:
    """The get-ready sequence for a plan: its position, its picture and each step."""
    position = cat.positions.get(plan.position)
    steps = [
        {"lead": lead_text(item.minutes_before), "what": item.what, "why": item.why}
        for item in prep_timeline(cat, plan, ANY_START)
    ]
    return {
        "position": position.name if position else plan.position,
        "picture": position_picture(plan.position),
        "steps": steps,
    }
