"""After a live skip, back or more, the rest of the session still says what the plan would
have: cautions the first time the hands reach an area, the towel moves, each stroke's
how-to, what to do before standing, and the halfway turn of the head (found by sweeps of
live changes)."""

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
    "says_the_halfway_change",
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


def _step_after_opening(p):
    return [j for j, s in enumerate(p.segments) if s.kind == "step"][1]


@pytest.mark.parametrize(
    ("minutes", "position", "conditions"),
    [(11, "lying", ("fibromyalgia",)), (35, "seated-forearms", ("blood-thinners",))],
)
def test_going_back_to_the_opening_glides_names_them_again_not_a_new_beginning(
    minutes, position, conditions
):
    p = plan(minutes, position, conditions)
    i = _step_after_opening(p)
    new, _ = adjust.back(p, CAT, i, p.segments[i].start_s + 1)
    again = [s for s in new.segments[i + 1 :] if s.kind == "step" and s.role == "opening"]
    assert again and again[0].say.startswith("Again: ")
    assert not any(s.say.startswith("To begin") for s in new.segments[i + 1 :])
    # Light glides over everything: a region's cautions wait for its own steps.
    assert check_plan(new, CAT, SAID) == []


@pytest.mark.parametrize("change", ["skip", "back", "more"])
@pytest.mark.parametrize(
    ("minutes", "position", "steps_before"), [(26, "any", 1), (38, "lying", 4)]
)
def test_a_live_change_before_halfway_still_says_turn_the_head_once(
    minutes, position, steps_before, change
):
    p = plan(minutes, position)
    words = CAT.positions["lying"].halfway
    said = next(j for j, s in enumerate(p.segments) if words in s.say)
    i = [j for j, s in enumerate(p.segments[:said]) if s.kind == "step"][-steps_before]
    new, _ = adjust.apply_change(p, CAT, change, i, p.segments[i].start_s + 1)
    assert sum(words in s.say for s in new.segments) == 1
    assert check_plan(new, CAT, ("says_the_halfway_change",)) == []


def test_halfway_words_said_before_a_live_change_are_not_said_again():
    p = plan(40, "lying")
    words = CAT.positions["lying"].halfway
    said = next(j for j, s in enumerate(p.segments) if words in s.say)
    i = next(j for j, s in enumerate(p.segments) if j > said + 2 and s.kind == "step")
    new, _ = adjust.skip(p, CAT, i, p.segments[i].start_s + 1)
    assert sum(words in s.say for s in new.segments) == 1


def _turns(p):
    words = CAT.positions["side-lying"].turn
    return [k for k, s in enumerate(p.segments) if s.kind != "step" and words[:30] in s.say]


@pytest.mark.parametrize("minutes", [15, 20, 30])
@pytest.mark.parametrize(
    ("change", "side", "role"), [("skip", "right", "finish"), ("more", "left", "opening")]
)
def test_side_lying_still_turns_over_once_before_the_second_side(minutes, change, side, role):
    p = plan(minutes, "side-lying")
    i = next(j for j, s in enumerate(p.segments) if s.side == side and s.role == role)
    new, _ = adjust.apply_change(p, CAT, change, i, p.segments[i].start_s + 1)
    steps = [(k, s.side) for k, s in enumerate(new.segments) if s.kind == "step"]
    last_right = max(k for k, side in steps if side == "right")
    first_left = min(k for k, side in steps if side == "left")
    turns = _turns(new)
    assert len(turns) == 1 and last_right < turns[0] < first_left
