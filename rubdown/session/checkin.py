"""Check-in answers in a running session: the plan after one, its note, and its journal event.

At a check-in the receiver answers (the remote's buttons, later a voice command, or the giver);
core.checkin says which change an answer asks for. An answer that changes nothing ("that's
good", "perfect", or a wish the rules leave as it was) is journalled as check-in-answered, so
every edge and the journal know the check-in is over and the session goes on as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rubdown.core import checkin
from rubdown.core.models import Catalogue, Plan
from rubdown.session.changes import (
    CHANGE_EVENTS,
    change_data,
    is_journalled,
    keeping_the_end,
)

if TYPE_CHECKING:
    from rubdown.store.records import EventRecord

# After its own time, a check-in holds the clock this long for an answer, then goes on.
WAIT_LIMIT_S = 30.0
# The event of an answer that leaves the plan as it is: no change, go on.
ANSWERED = "check-in-answered"
# The event of an answer to the pressure check at the start (less, more, right).
PRESSURE_CHECKED = "pressure-checked"
# Which question an answer's event answers ("to" in its data, stamped by the engine as it
# journals): a client id names one request, so an answer to the one cannot stand for the other.
TO_CHECK_IN, TO_PRESSURE_CHECK = "check-in", "pressure-check"
CHECK_OVER = 1_000_000  # a round past any check's last: a 'right' has ended it


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
        data = {"by": by, "note": note, "answer": answer}
        return Answered(new, note, ANSWERED, index, data)
    data = {**change_data(change, by, note, new, target, changed), "answer": answer}
    return Answered(new, note, CHANGE_EVENTS[change], target, data)


def answer_pressure_check(
    plan: Plan, answer: str, index: int, events: Iterable[EventRecord], by: str
) -> Answered:
    """The answer at the pressure check, its round counted from the journal (core.calibrate)."""
    from rubdown.core.calibrate import check_answer
    from rubdown.core.planjson import plan_to_json

    checks = [e for e in events if e.kind == PRESSURE_CHECKED]
    over = any((e.data or {}).get("done") for e in checks)
    rounds = CHECK_OVER if over else len(checks) + 1
    new, note, done = check_answer(plan, answer, index, rounds)
    data: dict[str, Any] = {"by": by, "note": note, "answer": answer, "round": rounds}
    data["done"] = done
    if new is not plan:
        data["plan"] = plan_to_json(new)  # what rebuilds the plan in force (resume, reload)
    return Answered(new, note, PRESSURE_CHECKED, index, data)
