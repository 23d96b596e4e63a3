"""Every region is stroked lightly before the hands knead, press or squeeze it (issue 10)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rubdown.core import craft
from rubdown.core.catalogue import load_catalogue
from rubdown.core.invariants import check_plan
from rubdown.core.models import PlanRequest, Profile, is_light
from rubdown.core.planner import plan_session

CAT = load_catalogue()


def plan(minutes, position, pressure=None):
    return plan_session(
        CAT, PlanRequest(minutes=minutes, position=position, profile=Profile(pressure=pressure))
    )


def cold_deep_work(p):
    """Deep steps on a region that neither the opening glide nor any light step has touched."""
    opening = p.steps[0]
    touched = set(CAT.techniques[opening.technique].regions)
    cold = []
    for s in p.steps[1:]:
        if craft.is_deep(s.technique_kind, s.pressure) and s.region not in touched:
            cold.append((s.technique, s.region))
        if is_light(s.technique_kind, s.pressure):
            touched.add(s.region)
    return cold


# Each of these kneaded or pressed a region no stroke had reached yet: the buttocks right after
# a glide over the hips, the calves after the thighs, the hands after a glide on the upper arm.
@pytest.mark.parametrize(
    ("minutes", "position", "pressure"),
    [
        (30, "lying", None),
        (45, "lying", "firm"),
        (30, "face-up", "firm"),
        (45, "side-lying", "firm"),
    ],
)
def test_each_region_is_stroked_lightly_before_it_is_kneaded_or_pressed(
    minutes, position, pressure
):
    p = plan(minutes, position, pressure)
    assert any(craft.is_deep(s.technique_kind, s.pressure) for s in p.steps)
    assert cold_deep_work(p) == []
    assert check_plan(p, CAT) == []


def test_the_warm_up_invariant_catches_buttocks_kneaded_after_only_the_hips_were_stroked():
    p = plan(30, "lying")
    glide = next(s.step_index for s in p.steps if s.region == "glutes" and s.role == "entry")
    segs = tuple(s for s in p.segments if s.kind != "step" or s.step_index != glide)
    violations = check_plan(replace(p, segments=segs), CAT, ("warms_before_deep_work",))
    assert violations == ["warms_before_deep_work: petrissage at 4 on cold glutes"]


def test_a_face_up_shoulder_press_with_no_light_stroke_to_warm_it_stays_light():
    p = plan(30, "face-up", "firm")
    sinks = [s.pressure for s in p.steps if s.technique == "shoulder-sink"]
    assert sinks and max(sinks) <= 3


def first_step_on(p, region):
    return next(s for s in p.steps if s.region == region)


# A therapist's reading of the 30-minute lying plan: the calves were kneaded at 3 and the skull
# base worked with the thumbs at 3 before any glide reached them (neither counted as deep).
@pytest.mark.parametrize("region", ["calves", "neck", "feet"])
def test_each_region_of_a_lying_plan_is_entered_with_a_glide_before_kneading_or_thumb_work(
    region,
):
    p = plan(30, "lying")
    first = first_step_on(p, region)
    assert first.technique_kind == "glide" and first.pressure <= 3
    assert any(not craft.warms(s.technique_kind, s.pressure) for s in p.steps if s.region == region)


def test_the_skull_base_is_entered_with_a_palm_glide_not_thumb_steps():
    first = first_step_on(plan(30, "lying"), "skull-base")
    assert (first.technique, first.technique_kind) == ("shoulder-neck-glide", "glide")


def test_the_warm_up_invariant_catches_calves_kneaded_gently_before_any_glide():
    p = plan(30, "lying")
    glide = first_step_on(p, "calves").step_index
    segs = tuple(s for s in p.segments if s.kind != "step" or s.step_index != glide)
    violations = check_plan(replace(p, segments=segs), CAT, ("warms_before_deep_work",))
    assert violations == ["warms_before_deep_work: leg-knead at 3 on cold calves"]


def test_a_thumb_stroke_at_3_does_not_warm_a_region_but_a_glide_or_a_soft_stroke_does():
    assert not craft.warms("stroke", 3) and craft.needs_warmth("stroke", 3)
    assert craft.warms("glide", 3) and craft.warms("stroke", 2)
    assert craft.needs_warmth("knead", 1) and not craft.needs_warmth("circles", 2)


def test_warming_every_arm_region_in_a_short_seated_plan_keeps_the_arms_within_their_share():
    # Firm, the forearm and palm circles go to 3 and each arm region gets its own glide first:
    # with room for their words the arms then passed 30 % (31 %) until composing eased them.
    p = plan(20, "seated", "firm")
    assert check_plan(p, CAT) == []
