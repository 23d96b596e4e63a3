"""Live changes by name: the plan after one, the note to show and say, the event to journal."""

from __future__ import annotations

from typing import Any

from rubdown.core import adjust
from rubdown.core.models import Catalogue, Plan
from rubdown.core.planjson import plan_to_json
from rubdown.core.words import CHANGES, PRESSURE_CHANGES

# A re-fitted plan must end when the original did (to rounding).
END_TOLERANCE_S = 0.05
LEFT_AS_IT_WAS = "Left as it was: that would move the end of the session."
CLOSING_REST = "This is the closing rest: nothing left to change."
# The journal event each change is recorded as ("next" is a skip because the step was done).
CHANGE_EVENTS = {
    "lighter": "lighter",
    "firmer": "firmer",
    "more": "more-time",
    "skip": "segment-skipped",
    "next": "segment-finished",
    "back": "back",
    "pause": "paused",
    "stop": "paused",
    "resume": "resumed",
}
# The core change behind each change that re-fits the plan.
PLAN_CHANGES = {
    "lighter": "lighter",
    "firmer": "firmer",
    "more": "more",
    "skip": "skip",
    "next": "next",  # this part is done: the step's other side still comes
    "back": "back",
}
# Said first when someone other than the giver asks (the remote, a voice command).
ASKS = {
    "lighter": "Your partner would like a softer touch.",
    "firmer": "Your partner would like a bit more pressure.",
    "more": "Your partner would like you to stay on this spot.",
    "skip": "Your partner would like to move on.",
    "next": "Your partner would like to move on.",
    "back": "Your partner would like the last part again.",
    "pause": "Your partner asked for a pause.",
    "stop": "Your partner asked you to stop. Rest your hands and ask what they need.",
    "resume": "Your partner would like to go on.",
}
NOTES = {"pause": "Paused.", "stop": "Paused.", "resume": "Going on."}
assert set(CHANGE_EVENTS) == set(CHANGES) == set(ASKS)


def plan_change(
    plan: Plan, cat: Catalogue, change: str, index: int, now_s: float
) -> tuple[Plan, str]:
    """The plan after one change at segment index, and the note; the same plan if refused."""
    if change not in CHANGE_EVENTS:
        raise ValueError(f"unknown change {change!r} (choose from: {', '.join(CHANGES)})")
    if change in NOTES:
        return plan, NOTES[change]
    if change in ("skip", "next", "back", "more") and plan.segments[index].kind == "closing":
        return plan, CLOSING_REST
    new, note = keeping_the_end(
        plan, *adjust.apply_change(plan, cat, PLAN_CHANGES[change], index, now_s)
    )
    return new, note


def keeping_the_end(plan: Plan, new: Plan, note: str) -> tuple[Plan, str]:
    """The re-fitted plan and its note, or plan left as it was if new would end elsewhere."""
    if abs(new.total_seconds - plan.total_seconds) > END_TOLERANCE_S:
        return plan, LEFT_AS_IT_WAS
    return new, note


def is_journalled(change: str, changed: bool) -> bool:
    """Whether a change goes into the journal: a wish about pressure always, others if done."""
    return changed or change in PRESSURE_CHANGES or CHANGE_EVENTS[change] in ("paused", "resumed")


def change_data(
    change: str, by: str, note: str, plan: Plan, index: int, changed: bool
) -> dict[str, Any]:
    """The event data of a change: who, the note, the pressure now, and any re-fitted plan."""
    data: dict[str, Any] = {"by": by, "note": note}
    if change in PRESSURE_CHANGES:
        data["pressure"] = plan.segments[index].pressure
    if changed:
        data["plan"] = plan_to_json(plan)  # what rebuilds the plan in force (resume, reload)
    return data


def spoken(change: str, by: str, note: str) -> str:
    """What the giver hears: the partner's wish first when it was not the giver's own press."""
    return note if by == "giver" else f"{ASKS[change]} {note}"
