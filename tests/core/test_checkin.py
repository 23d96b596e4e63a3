"""Check-in answers: what each one changes in the plan, and nothing else."""

from __future__ import annotations

import pytest

from rubdown.core import checkin
from rubdown.core.models import PlanRequest
from rubdown.core.planner import plan_session


@pytest.fixture(scope="module")
def plan(cat):
    return plan_session(cat, PlanRequest(minutes=20, position="lying"))


def a_check_in(plan) -> int:
    return next(i for i, s in enumerate(plan.segments) if s.kind == "check-in")


def test_good_changes_nothing(cat, plan) -> None:
    i = a_check_in(plan)
    new, note = checkin.apply_answer(cat=cat, plan=plan, answer="good", index=i, now_s=1)
    assert new is plan and "good" in note.lower()


@pytest.mark.parametrize(("answer", "delta"), [("lighter", -1), ("firmer", 1)])
def test_lighter_and_firmer_change_the_next_step(cat, plan, answer: str, delta: int) -> None:
    i = a_check_in(plan)
    target = checkin.answer_target(plan, i)
    assert target is not None and target > i
    new, note = checkin.apply_answer(plan, cat, answer, i, plan.segments[i].start_s)
    before = plan.segments[target].pressure
    assert new.segments[target].pressure in (before + delta, before)  # unless at a limit
    assert abs(new.total_seconds - plan.total_seconds) < 0.05
    assert answer in note.lower()


def test_stay_gives_the_next_step_more_time(cat, plan) -> None:
    i = a_check_in(plan)
    target = checkin.answer_target(plan, i)
    new, note = checkin.apply_answer(plan, cat, "stay", i, plan.segments[i].start_s)
    assert new.segments[target].reps > plan.segments[target].reps
    assert abs(new.total_seconds - plan.total_seconds) < 0.05
    assert "stay here" in note.lower()


def test_an_answer_outside_a_check_in_is_refused(cat, plan) -> None:
    step = next(i for i, s in enumerate(plan.segments) if s.kind == "step")
    with pytest.raises(checkin.NotACheckIn):
        checkin.apply_answer(plan, cat, "good", step, 0)
    with pytest.raises(ValueError, match="unknown answer"):
        checkin.apply_answer(plan, cat, "meh", a_check_in(plan), 0)
