"""Condition warnings said where the hands are (a therapist's reading of the plans): again as
the hands go on to another area a warning is about, unless it was said a moment before; the
start-of-session ones once; and the first side's finish, lying on the side, named as such."""

from __future__ import annotations

from dataclasses import replace

import pytest
from plan_pauses import pauses_before

from rubdown.core.catalogue import load_catalogue
from rubdown.core.cue_checks import repeats_warnings_at_their_areas
from rubdown.core.layout import JUST_SAID_S
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session

CAT = load_catalogue()
NERVE = "Stop straight away if pain, tingling or numbness spreads down a leg."
PREGNANCY_START = (
    "Lie on the side or sit up; never face down, and not flat on the back.",
    "If there is any pain, bleeding, swelling in one leg or a high-risk pregnancy, "
    "check with the midwife or doctor first.",
)


def plan(minutes, position, conditions):
    profile = Profile(conditions=conditions)
    return plan_session(CAT, PlanRequest(minutes=minutes, position=position, profile=profile))


def said_before(p, region):
    """The cautions of the pauses just before the first step on a region."""
    return [c for s in pauses_before(p, region) for c in s.cautions]


@pytest.mark.parametrize("minutes", [30, 45, 60])
def test_the_nerve_warning_goes_down_the_leg_with_the_hands(minutes):
    # Said at the low back only, before: the hips, buttocks and thighs it is about came after.
    p = plan(minutes, "lying", ("slipped-disc",))
    assert NERVE in said_before(p, "lower-back")
    assert NERVE in said_before(p, "thighs")
    assert repeats_warnings_at_their_areas(p, CAT) == []


def test_the_warnings_check_misses_a_warning_left_out_as_the_hands_move_on():
    p = plan(45, "lying", ("slipped-disc",))
    i = next(i for i, s in enumerate(p.segments) if s.kind == "step" and s.region == "thighs")
    lead = max(j for j in range(i) if NERVE in p.segments[j].cautions)
    cut = replace(p.segments[lead], cautions=())
    stripped = replace(p, segments=(*p.segments[:lead], cut, *p.segments[lead + 1 :]))
    assert any(
        "before thighs" in problem for problem in repeats_warnings_at_their_areas(stripped, CAT)
    )


def test_a_warning_said_a_moment_ago_is_not_said_again_on_the_next_area():
    p = plan(30, "side-lying", ("pregnancy",))
    text = "Keep the low back and hips light, and stop at once if there is any cramping."
    ends = [s.end_s for s in p.segments if text in s.cautions]
    starts = [s.start_s for s in p.segments if text in s.cautions]
    assert all(b - a > JUST_SAID_S for a, b in zip(ends, starts[1:], strict=False))


@pytest.mark.parametrize("minutes", [30, 60])
def test_how_to_lie_and_who_to_ask_are_said_once_at_the_start(minutes):
    p = plan(minutes, "side-lying", ("pregnancy",))
    for text in PREGNANCY_START:
        assert [s.start_s for s in p.segments if text in s.say] == [0.0]


def test_pregnancy_keeps_the_buttocks_as_light_as_the_low_back_and_hips():
    p = plan(45, "side-lying", ("pregnancy",))
    near = [s.pressure for s in p.steps if s.region in ("lower-back", "hips", "glutes")]
    assert near and max(near) <= 3


def test_lying_on_the_side_the_first_finish_says_the_session_is_half_done():
    p = plan(30, "side-lying", ())
    firsts = [i for i, s in enumerate(p.segments) if s.kind == "step" and s.role == "finish"]
    leads = [p.segments[i - 1].say for i in firsts]
    assert "for this side" in leads[0]
    assert "for this side" not in leads[1]
