"""A fifth therapist's reading: body weight kept off fragile ribs and a bulging disc, the
buttocks kept short with a slipped disc, and the calves' own cautions (issue 10)."""

from __future__ import annotations

import pytest
from plan_pauses import pauses_before

from rubdown.core.catalogue import load_catalogue
from rubdown.core.invariants import check_plan
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session
from rubdown.core.safety import safety_limits
from rubdown.core.wording import step_label

CAT = load_catalogue()
BACK = ("shoulder-blades", "upper-back", "mid-back", "lower-back")
DISC = {"conditions": ("slipped-disc", "sciatica"), "pressure": "light", "focus": ("lower-back",)}


def plan(minutes, position="any", **profile):
    return plan_session(
        CAT, PlanRequest(minutes=minutes, position=position, profile=Profile(**profile))
    )


def forearm_steps(p, regions):
    return [
        (s.technique, s.region)
        for s in p.steps
        if s.region in regions and CAT.techniques[s.technique].uses("forearm")
    ]


@pytest.mark.parametrize(
    ("conditions", "position", "regions"),
    [
        (("osteoporosis",), "lying", BACK),
        (("osteoporosis",), "seated-forearms", BACK),
        (("slipped-disc",), "lying", ("mid-back", "lower-back", "hips", "glutes")),
        (("slipped-disc",), "seated-forearms", ("mid-back", "lower-back")),
    ],
)
def test_no_forearm_brings_body_weight_onto_fragile_ribs_or_a_bulging_disc(
    conditions, position, regions
):
    # Osteoporosis said "never lean your body weight onto the back or ribs", then had a
    # forearm glide down the middle of the back "letting the pressure come from your body".
    p = plan(30, position, conditions=conditions)
    assert forearm_steps(p, regions) == []
    assert check_plan(p, CAT) == []


def test_without_a_condition_the_forearm_still_works_the_back():
    assert forearm_steps(plan(30, "seated-forearms"), BACK)


def test_a_forearm_cap_is_checked_by_the_safety_invariant():
    limits = safety_limits(CAT, Profile(conditions=("osteoporosis",)))
    glide = CAT.techniques["forearm-back-glide"]
    assert not limits.allows(glide, "mid-back")
    assert limits.allows(CAT.techniques["long-glide"], "mid-back")


def test_a_slipped_disc_keeps_the_hips_and_buttocks_short_and_does_not_dwell_there():
    # The buttocks had 3:16, two minutes of it "slowing where it feels tight", over the nerve.
    p = plan(30, **DISC)
    for region in ("hips", "glutes"):
        assert sum(s.duration_s for s in p.steps if s.region == region) <= 120 + 10
    assert not [s for s in p.segments if "where it feels tight" in s.say]
    assert check_plan(p, CAT) == []


def test_a_focus_a_condition_keeps_short_is_not_promised_more_time():
    notes = plan(30, **DISC).notes
    assert not [n for n in notes if n.startswith("More time on the lower back")]
    assert any("even as a focus" in n for n in notes)
    # The reason is given once, not again with each region the condition keeps short.
    assert sum(1 for n in notes if "A bulging disc" in n) == 1


def announcement_before(p, region):
    """Everything said in the pauses between the last step and the region's first."""
    return " ".join(s.say for s in pauses_before(p, region))


@pytest.mark.parametrize(
    ("conditions", "said"),
    [
        ((), "the knee"),
        (("varicose-veins",), "the knee"),
        (("varicose-veins",), "vein"),
    ],
)
def test_the_calves_get_their_own_cautions_when_the_hands_reach_them(conditions, said):
    # The knee and vein warnings came at the thighs only, minutes before the calves.
    p = plan(30, "lying", conditions=conditions)
    assert said in announcement_before(p, "calves")
    assert check_plan(p, CAT) == []


@pytest.mark.parametrize(
    ("name", "region", "side", "label"),
    [
        ("Thumb steps down the neck", "Neck", "both", "Thumb steps down the neck"),
        (
            "Long palm strokes over the buttocks",
            "Buttocks",
            "both",
            "Long palm strokes over the buttocks",
        ),
        (
            "Palm circles beside the spine",
            "Lower back",
            "both",
            "Palm circles beside the spine, lower back",
        ),
        ("Thumb steps down the neck", "Neck", "left", "Thumb steps down the neck, left side"),
    ],
)
def test_a_step_name_that_says_its_region_is_not_followed_by_it_again(name, region, side, label):
    assert step_label(name, region, side) == label


def test_no_spoken_step_repeats_its_region_or_its_area():
    # "Thumb steps down the neck, neck", "To begin: long glide along the back over the back".
    for position in ("lying", "side-lying", "face-up", "seated"):
        for seg in plan(30, position).segments:
            assert ", neck." not in seg.say and "the back over the back" not in seg.say
            assert "buttocks, buttocks" not in seg.say
