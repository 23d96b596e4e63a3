"""What a therapist found missing from the spoken guidance of the printed plans (issue 10)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rubdown.core.catalogue import load_catalogue
from rubdown.core.invariants import check_plan
from rubdown.core.models import PARTNER_MAX_PRESSURE, PlanRequest, Profile
from rubdown.core.planner import plan_session
from rubdown.core.talk_checks import says_the_stop_rule

CAT = load_catalogue()


def plan(minutes=30, position="lying", **profile):
    return plan_session(
        CAT, PlanRequest(minutes=minutes, position=position, profile=Profile(**profile))
    )


@pytest.mark.parametrize(
    ("minutes", "position"), [(30, "lying"), (20, "seated-forearms"), (15, "seated")]
)
def test_the_giver_hears_when_to_stop_before_any_deeper_work(minutes, position):
    p = plan(minutes, position)
    opening = p.segments[0].say.lower()
    assert "sharp pain" in opening and "tingling" in opening and "numbness" in opening
    assert "stop, lift your hands off, ask" in opening
    assert check_plan(p, CAT) == []


def test_a_plan_that_never_says_the_stop_rule_breaks_its_invariant():
    p = plan(30, "lying")
    first = p.segments[0]
    silent = replace(first, say=first.say.split(" Any sharp pain")[0])
    broken = replace(p, segments=(silent, *p.segments[1:]))
    assert says_the_stop_rule(p, CAT) == []
    assert says_the_stop_rule(broken, CAT) != []


@pytest.mark.parametrize("position", ["lying", "seated-forearms"])
def test_the_opening_says_what_the_top_of_the_partner_range_feels_like(position):
    # "Partners stay at 7 or under" named a 7 long before (or without) any step explaining it.
    opening = plan(20, position).segments[0].say
    assert f"a {PARTNER_MAX_PRESSURE} is firm but never painful" in opening


def test_the_top_of_the_range_is_described_without_contradicting_osteoporosis():
    p = plan(20, "lying", conditions=("osteoporosis",))
    assert "firm but never painful" in p.segments[0].say
    assert check_plan(p, CAT) == []


def test_face_down_the_giver_is_told_how_to_place_the_head_and_prop_the_lower_legs():
    # Face down with "one pillow under the head" says nothing of turning it or of breathing room.
    opening = plan(30, "lying").segments[0].say
    assert "head to one side" in opening and "rolled towel" in opening
    assert "under the lower legs" in opening
    assert opening.index("head to one side") < opening.index("oil")


def test_face_down_set_up_on_the_sheet_props_the_ankles():
    setup = CAT.positions["lying"].setup
    assert "turned to one side" in setup and "under the ankles" in setup


def test_the_hips_drape_folds_the_towel_only_to_just_below_the_waistband():
    # "A hand's width lower" left how far, and how modestly, to the giver's guess.
    drape = next(d for d in CAT.positions["lying"].drapes if d.area == "hips and buttocks")
    assert "only to just below the waistband" in drape.say and "hand's width" not in drape.say
