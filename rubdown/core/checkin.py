"""Check-ins as a conversation: what each answer changes (the session's part: session.checkin)."""

from __future__ import annotations

from typing import ClassVar

from rubdown.core import adjust
from rubdown.core.models import Catalogue, Plan
from rubdown.core.words import CHECK_IN_ANSWERS

# Each answer the receiver (or the giver) can give, and the live change it makes, if any.
ANSWERS: dict[str, str | None] = {
    "good": None,
    "lighter": "lighter",
    "firmer": "firmer",
    "stay": "more",
}
WORDS = {
    "good": "That feels good.",
    "lighter": "A little lighter, please.",
    "firmer": "A little firmer, please.",
    "stay": "Perfect, stay here.",
}


assert tuple(ANSWERS) == tuple(WORDS) == CHECK_IN_ANSWERS


class NotACheckIn(ValueError):
    """An answer came when the session is not at a check-in."""

    # How the journal names this refusal (a resent answer is refused again); a subclass
    # without its own word is journalled under its parent's.
    word: ClassVar[str] = "not-a-check-in"


def answer_target(plan: Plan, index: int) -> int | None:
    """The step an answer at segment `index` changes: the next step after the check-in."""
    for j in range(index, len(plan.segments)):
        if plan.segments[j].kind == "step":
            return j
        if plan.segments[j].kind == "closing":
            return None
    return None


def apply_answer(
    plan: Plan, cat: Catalogue, answer: str, index: int, now_s: float
) -> tuple[Plan, str]:
    """The plan after an answer at check-in `index`, and what to tell the giver."""
    if answer not in ANSWERS:
        raise ValueError(f"unknown answer '{answer}' (choose from: {', '.join(ANSWERS)})")
    if plan.segments[index].kind != "check-in":
        raise NotACheckIn("answers are taken during a check-in")
    change = ANSWERS[answer]
    target = answer_target(plan, index)
    if change is None or target is None:
        return plan, f"{WORDS[answer]} Carry on as you are."
    new, note = adjust.apply_change(plan, cat, change, target, now_s)
    return new, f"{WORDS[answer]} {note}"
