"""A condition's warning is said again at a check-in while the hands stay on its areas."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rubdown.core.catalogue import load_catalogue
from rubdown.core.cue_checks import reminds_where_the_hands_stay
from rubdown.core.cursor import REMIND_AFTER_S
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session

CAT = load_catalogue()
RIBS = "Never lean your body weight onto the back or ribs."
BACK = {"shoulder-blades", "upper-back", "mid-back", "lower-back"}


def _plan(minutes=45, position="lying", conditions=("osteoporosis",)):
    return plan_session(
        CAT, PlanRequest(minutes=minutes, position=position, profile=Profile(conditions=conditions))
    )


def _mentions(plan, text):
    return [s for s in plan.segments if text in s.cautions]


def test_ten_minutes_on_the_back_with_osteoporosis_hears_the_ribs_warning_again():
    plan = _plan()
    said = _mentions(plan, RIBS)
    reminders = [s for s in said if s.kind == "check-in"]
    assert reminders, [(s.start_s, s.kind) for s in said]
    reminder = reminders[0]
    before = max(s.end_s for s in said if s.start_s < reminder.start_s)
    assert reminder.start_s - before >= REMIND_AFTER_S
    assert f"Remember: {RIBS}" in reminder.say
    assert reminder.region in BACK


@pytest.mark.parametrize(
    ("position", "conditions"),
    [("lying", ("osteoporosis",)), ("seated", ("osteoporosis",)), ("lying", ("slipped-disc",))],
)
def test_a_reminder_never_comes_sooner_than_its_interval_nor_away_from_its_areas(
    position, conditions
):
    plan = _plan(60, position, conditions)
    reminded = 0
    for text in {c for s in plan.segments for c in s.cautions}:
        ends = []
        for s in plan.segments:
            if _reminds(s, text):
                reminded += 1
                assert not ends or s.start_s - ends[-1] >= REMIND_AFTER_S, (text, s.start_s)
                assert position != "lying" or text != RIBS or s.region in BACK
            if text in s.cautions:
                ends.append(s.end_s)
    assert reminded


def _reminds(seg, text):
    """Whether a check-in says a warning again as a reminder (not as the next area's lead)."""
    return (
        seg.kind == "check-in"
        and "Remember: " in seg.say
        and text in seg.say.split("Remember: ")[-1]
    )


def test_the_invariant_finds_a_reminder_left_out():
    plan = _plan()
    assert reminds_where_the_hands_stay(plan, CAT) == []
    stripped = tuple(
        replace(
            s,
            say=s.say.replace(f" Remember: {RIBS}", ""),
            cautions=tuple(c for c in s.cautions if c != RIBS),
        )
        if s.kind == "check-in"
        else s
        for s in plan.segments
    )
    problems = reminds_where_the_hands_stay(replace(plan, segments=stripped), CAT)
    assert problems and all(RIBS in p for p in problems)


def test_without_a_condition_no_check_in_reminds():
    plan = _plan(conditions=())
    assert not any("Remember:" in s.say for s in plan.segments)
