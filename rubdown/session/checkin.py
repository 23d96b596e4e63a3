"""Check-in answers in a running session: the plan after one, its note, and its journal event.

At a check-in the receiver answers (the remote's buttons, later a voice command, or the giver);
core.checkin says which change an answer asks for. An answer that changes nothing ("that's
good", "perfect", or a wish the rules leave as it was) is journalled as check-in-answered, so
every edge and the journal know the check-in is over and the session goes on as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rubdown.core import checkin
from rubdown.core.models import Catalogue, Plan
from rubdown.session.changes import (
    CHANGE_EVENTS,
    change_data,
    is_journalled,
    keeping_the_end,
)

# After its own time, a check-in holds the clock this long for an answer, then goes on.
WAIT_LIMIT_S = 30.0
# The event of an answer that leaves the plan as it is: no change, go on.
ANSWERED = "check-in-answered"


@dataclass(frozen=True)
class Answered:
    """What one answer does: the plan after it, the note, and the event to journal."""

    plan: Plan
    note: str
    kind: str
    index: int  # the segment the event is about: the step changed, else the check-in
    data: dict[str, Any]


def answer_check_in(
    plan: Plan, cat: Catalogue, answer: str, index: int, now_s: float, by: str
) -> Answered:
    """The answer at check-in index (NotACheckIn elsewhere), as a change of the plan, or none."""
    new, note = keeping_the_end(plan, *checkin.apply_answer(plan, cat, answer, index, now_s))
    change, target = checkin.ANSWERS[answer], checkin.answer_target(new, index)
    changed = new is not plan
    if change is None or target is None or not is_journalled(change, changed):
        return Answered(new, note, ANSWERED, index, {"by": by, "note": note, "answer": answer})
    data = {**change_data(change, by, note, new, target, changed), "answer": answer}
    return Answered(new, note, CHANGE_EVENTS[change], target, data)
