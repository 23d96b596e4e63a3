"""After a live skip, back or more, the rest of the session still says what the plan would
have: cautions the first time the hands reach an area, the towel moves, each stroke's
how-to, and what to do before standing (found by a sweep of live changes)."""

from __future__ import annotations

import pytest

from rubdown.core import adjust
from rubdown.core.catalogue import load_catalogue
from rubdown.core.invariants import check_plan
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session

CAT = load_catalogue()
# What a re-fit must keep saying; the shape checks (sides, order) a live change may bend.
SAID = (
    "says_cautions_where_they_matter",
    "never_works_under_the_towel",
    "explains_each_stroke_once",
    "explains_each_pressure_number",
    "says_what_to_do_before_rising",
    "keeps_oil_off_the_hair_and_face",
)


def plan(minutes, position, conditions=()):
    profile = Profile(conditions=conditions)
    return plan_session(CAT, PlanRequest(minutes=minutes, position=position, profile=profile))


@pytest.mark.parametrize("change", ["skip", "more"])
@pytest.mark.parametrize(
    ("minutes", "position", "conditions"),
    [
        (30, "lying", ()),
        (15, "lying", ("varicose-veins",)),
        (30, "face-up", ()),
        (30, "side-lying", ()),
        (20, "seated-forearms", ()),
        (45, "any", ("osteoporosis",)),
    ],
)
def test_a_live_change_keeps_saying_what_the_rest_needs(change, minutes, position, conditions):
    p = plan(minutes, position, conditions)
    steps = [i for i, s in enumerate(p.segments) if s.kind == "step"]
    assert check_plan(p, CAT, SAID) == []
    for i in steps[1:4]:
        now = p.segments[i].start_s + 1
        new, _ = adjust.apply_change(p, CAT, change, i, now)
        assert check_plan(new, CAT, SAID) == [], (change, i)


def test_a_skip_before_the_legs_still_folds_the_towel_for_them():
    p = plan(30, "lying")
    i = [j for j, s in enumerate(p.segments) if s.kind == "step"][2]
    new, _ = adjust.skip(p, CAT, i, p.segments[i].start_s + 1)
    towel = lambda segs: sum("towel" in s.say.lower() for s in segs)  # noqa: E731
    assert towel(new.segments[i:]) == towel(p.segments[i:])


def test_the_feet_done_before_a_change_still_get_wiped_before_standing():
    p = plan(60, "any")
    feet = max(i for i, s in enumerate(p.segments) if s.kind == "step" and s.region == "feet")
    later = next(i for i, s in enumerate(p.segments) if i > feet and s.kind == "step")
    new, _ = adjust.more_time(p, CAT, later)
    assert "soles" in p.segments[-1].say and "soles" in new.segments[-1].say
