"""Oil comes as the hands reach new skin, not only on a ten-minute clock (a therapist's
reading: the first bare leg skin and the arms got none, and the other side after the turn
began its oil-spreading glides with none), and never just before the hairline."""

from __future__ import annotations

from dataclasses import replace

import pytest
from plan_pauses import pauses_before

from rubdown.core.catalogue import load_catalogue
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session
from rubdown.core.refit import _cursor, specs_from_segments
from rubdown.core.talk_checks import keeps_oil_off_the_hair_and_face, oils_new_skin

CAT = load_catalogue()


def plan(minutes, position, conditions=()):
    profile = Profile(conditions=conditions)
    return plan_session(CAT, PlanRequest(minutes=minutes, position=position, profile=profile))


def kinds_before(p, region):
    """The kinds of the pauses just before the first step on a region."""
    return [s.kind for s in pauses_before(p, region)]


@pytest.mark.parametrize("region", ["thighs", "upper-arms"])
def test_the_legs_and_arms_take_oil_as_the_hands_reach_them(region):
    assert "oil" in kinds_before(plan(30, "lying"), region)


@pytest.mark.parametrize(("minutes", "position"), [(30, "lying"), (20, "seated"), (45, "any")])
def test_no_oil_is_called_for_just_before_the_base_of_the_skull(minutes, position):
    p = plan(minutes, position)
    if any(s.region == "skull-base" for s in p.steps):
        assert "oil" not in kinds_before(p, "skull-base")
    assert keeps_oil_off_the_hair_and_face(p, CAT) == []
    assert oils_new_skin(p, CAT) == []


@pytest.mark.parametrize(("minutes", "conditions"), [(30, ()), (30, ("pregnancy",)), (60, ())])
def test_the_side_turned_to_takes_oil_before_its_glides(minutes, conditions):
    p = plan(minutes, "side-lying", conditions)
    turn = next(i for i, s in enumerate(p.segments) if "Time to turn over" in s.say)
    after = p.segments[turn : turn + 4]
    first = next(k for k, s in enumerate(after) if s.kind == "step")
    assert "oil" in [s.kind for s in after[:first]]
    assert oils_new_skin(p, CAT) == []


def test_the_invariant_misses_oil_left_out_before_new_skin():
    p = plan(30, "lying")
    i = next(i for i, s in enumerate(p.segments) if s.kind == "step" and s.region == "thighs")
    k = max(j for j in range(i) if p.segments[j].kind == "oil")
    shifted = [
        replace(s, start_s=s.start_s - p.segments[k].duration_s) for s in p.segments[k + 1 :]
    ]
    broken = replace(p, segments=(*p.segments[:k], *shifted))
    assert any("thighs" in problem for problem in oils_new_skin(broken, CAT))


def test_after_the_turn_the_hands_are_still_oily_and_the_other_side_owes_oil():
    # A re-fit just after the turn: the hands were not wiped (oil on them still needs wiping
    # before the hair or the face), yet the side turned to still owes its oil.
    p = plan(30, "side-lying")
    turn = next(i for i, s in enumerate(p.segments) if "Time to turn over" in s.say)
    done = list(p.segments[: turn + 1])
    cursor = _cursor(done, specs_from_segments(CAT, list(p.segments[turn + 1 :])), CAT.regions)
    assert (cursor.hands, cursor.oil_due) == ("oily", True)


def test_the_hair_wipes_the_hands_and_the_next_bare_skin_takes_oil():
    p = plan(45, "side-lying")
    scalp = next(i for i, s in enumerate(p.segments) if s.kind == "step" and s.region == "scalp")
    done = list(p.segments[: scalp + 1])
    cursor = _cursor(done, specs_from_segments(CAT, list(p.segments[scalp + 1 :])), CAT.regions)
    assert (cursor.hands, cursor.oil_due) == ("wiped", True)
