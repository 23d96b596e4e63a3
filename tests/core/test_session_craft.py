"""The examples of issue 10: a session a massage therapist would sign."""

from __future__ import annotations

import itertools

import pytest

from rubdown.core.catalogue import load_catalogue
from rubdown.core.guidance import speech_seconds
from rubdown.core.invariants import check_plan
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session

CAT = load_catalogue()


def plan(minutes=30, position="lying", **profile):
    return plan_session(
        CAT, PlanRequest(minutes=minutes, position=position, profile=Profile(**profile))
    )


@pytest.mark.parametrize("minutes", [15, 30, 60])
@pytest.mark.parametrize("position", ["lying", "seated"])
def test_a_session_opens_with_spreading_glides_not_thumb_work(minutes, position):
    p = plan(minutes, position)
    first = [s for s in p.steps if s.step_index == p.steps[0].step_index]
    assert first[0].technique_kind == "glide" and first[0].pressure <= 2
    assert sum(s.duration_s for s in first) >= 45
    assert "breathe" in p.segments[0].say.lower()


def test_a_session_finishes_with_glides_a_hold_and_get_up_slowly_and_water():
    p = plan(30, "lying")
    kinds = [s.kind for s in p.segments]
    assert kinds[-2:] == ["hold", "closing"]
    closing = p.segments[-1].say.lower()
    assert "get up slowly" in closing and "water" in closing and "rest" in closing


def test_sixty_minutes_has_variety_and_no_long_run():
    p = plan(60, "lying")
    assert len({s.technique for s in p.steps}) >= 10
    assert check_plan(p, CAT) == []


def test_the_forearm_position_is_mostly_forearm_work():
    p = plan(20, "seated-forearms")
    inner = [s for s in p.steps if s.role == "work"]
    forearm = sum(s.duration_s for s in inner if "forearm" in CAT.techniques[s.technique].hand_part)
    assert forearm >= 0.5 * sum(s.duration_s for s in inner)


def test_an_avoided_lower_back_is_never_named():
    p = plan(30, "lying", avoid=("lower-back",))
    assert not any("low back" in s.say.lower() or "lower back" in s.say.lower() for s in p.segments)


def test_calves_feet_and_shoulder_blades_cues_name_only_their_own_part():
    p = plan(45, "lying")
    for seg in p.steps:
        if seg.region == "calves":
            assert "thigh" not in seg.say.lower()
        if seg.region == "feet":
            assert "hip" not in seg.say.lower()
        if seg.region == "shoulder-blades" and seg.side in ("left", "right"):
            assert "then the other" not in seg.say


def test_the_kidney_caution_comes_before_the_lower_back():
    p = plan(30, "lying")
    said = []
    for seg in p.segments:
        if seg.kind == "step" and seg.region == "lower-back" and seg.role != "opening":
            break
        said.extend(seg.cautions)
    assert any("kidney" in c for c in said)


def test_the_varicose_vein_warning_is_said_again_when_the_hands_reach_the_legs():
    p = plan(30, "lying", conditions=("varicose-veins",))
    i = next(i for i, s in enumerate(p.segments) if s.kind == "step" and s.region == "thighs")
    # The announcement leads the legs in (an oil top-up may come between it and the stroke).
    lead = next(s for s in reversed(p.segments[:i]) if s.kind != "oil")
    assert any("vein" in c for c in lead.cautions) and lead.start_s > 60


def test_osteoporosis_never_hears_lean_your_weight():
    p = plan(30, "seated-forearms", conditions=("osteoporosis",))
    assert not any("lean your weight" in s.say for s in p.segments)
    assert check_plan(p, CAT) == []


def test_every_check_in_fits_its_slot_at_a_calm_pace():
    p = plan(45, "lying", conditions=("slipped-disc", "sciatica", "varicose-veins"))
    for seg in p.segments:
        if seg.kind != "step":
            assert speech_seconds(seg.say) <= seg.duration_s


def test_the_readers_case_is_short_light_and_warns_at_the_lower_back():
    p = plan(
        20,
        "any",
        pressure="light",
        focus=("lower-back",),
        conditions=("slipped-disc", "sciatica"),
    )
    sensitive = {"lower-back", "hips", "glutes", "thighs", "calves"}
    work = [s for s in p.steps if s.region in sensitive]
    assert all(s.technique_kind != "knead" and s.pressure <= 3 for s in work)
    lower = [s for s in p.steps if s.region == "lower-back" and s.role not in ("opening", "finish")]
    assert sum(s.duration_s for s in lower) <= 180
    assert any("even as a focus" in n and "long spells on the low back" in n for n in p.notes)
    first = p.segments.index(lower[0])
    lead = []
    for seg in reversed(p.segments[:first]):
        if seg.kind == "step":
            break
        lead.extend(seg.cautions)
    assert any("leg" in c for c in lead)
    assert check_plan(p, CAT) == []


def test_the_source_routine_keeps_its_counts_and_order():
    p = plan_session(CAT, PlanRequest(routine="seated-shoulders-back"))
    counted = {}
    for seg in p.steps:
        counted.setdefault((seg.step_index, seg.technique, seg.region), 0)
        counted[(seg.step_index, seg.technique, seg.region)] += (
            seg.reps if seg.side != "right" else 0
        )
    order = [(t, r, n) for (_, t, r), n in counted.items()]
    source = [
        ("shoulder-outward-strokes", "shoulders"),
        ("shoulder-blade-thumb-rolls", "shoulder-blades"),
        ("arm-squeeze-down", "upper-arms"),
        ("skull-base-thumb-steps", "skull-base"),
        ("palm-circles-beside-spine", "mid-back"),
    ]
    found = [(t, r) for t, r, _ in order if (t, r) in source]
    assert found == source


BACK = {"shoulder-blades", "upper-back", "mid-back", "lower-back"}


@pytest.mark.parametrize(("position", "areas"), [("lying", BACK), ("seated", BACK | {"shoulders"})])
def test_the_finish_glides_over_the_whole_back_then_holds_on_the_back(position, areas):
    p = plan(30, position)
    last = [s for s in p.steps if s.step_index == p.steps[-1].step_index]
    assert areas <= set(CAT.techniques[last[0].technique].regions)
    assert sum(s.duration_s for s in last) >= 30 and all(1 <= s.pressure <= 2 for s in last)
    hold = next(s for s in p.segments if s.kind == "hold")
    assert "on the back" in hold.say and "legs" not in hold.say


def test_no_area_but_the_back_takes_more_than_thirty_percent_counting_all_its_regions():
    p = plan(30, "lying")
    by_area: dict[str, float] = {}
    for s in p.steps[1:-1]:
        area = CAT.regions[s.region].area_name
        by_area[area] = by_area.get(area, 0.0) + s.duration_s
    assert all(seconds <= 0.3 * 1800 + 1 for area, seconds in by_area.items() if area != "back")


def test_the_full_back_routine_does_not_repeat_the_hip_stroke_at_two_pressures():
    p = plan_session(CAT, PlanRequest(routine="lying-full-back"))
    groups = [
        [s for s in p.steps if s.step_index == i]
        for i in dict.fromkeys(s.step_index for s in p.steps)
    ]
    for a, b in itertools.pairwise(groups):
        same = (a[0].technique, a[0].region) == (b[0].technique, b[0].region)
        assert not (same and a[0].pressure != b[0].pressure), (a[0].technique, a[0].region)


@pytest.mark.parametrize("position", ["seated", "seated-forearms"])
def test_a_chair_session_works_the_middle_of_the_back(position):
    p = plan(20, position)
    assert any(s.region == "mid-back" and s.role == "work" for s in p.steps)


@pytest.mark.parametrize("minutes", [72, 75, 80])
def test_a_long_forearm_session_may_use_every_forearm_technique_to_fill_its_time(minutes):
    p = plan(minutes, "seated-forearms")
    assert abs(p.total_seconds - minutes * 60) <= 10
    assert check_plan(p, CAT) == []
