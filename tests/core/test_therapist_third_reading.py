"""What a therapist's third reading of the printed plans found (issue 10)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rubdown.core.catalogue import load_catalogue
from rubdown.core.choose import region_techniques
from rubdown.core.invariants import check_plan
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session

CAT = load_catalogue()


def plan(minutes=30, position="lying", **profile):
    return plan_session(
        CAT, PlanRequest(minutes=minutes, position=position, profile=Profile(**profile))
    )


def how_to(seg):
    t = CAT.techniques[seg.technique]
    return t.cue_for(seg.region)


@pytest.mark.parametrize("minutes", [20, 30, 45])
def test_side_lying_explains_each_stroke_on_the_first_side_only(minutes):
    p = plan(minutes, "side-lying")
    work = [s for s in p.steps if s.role not in ("opening", "finish")]
    explained = [s for s in work if how_to(s) in s.say]
    assert explained and {s.side for s in explained} == {"right"}
    second = [s for s in work if s.side == "left"]
    assert second and all(how_to(s) not in s.say for s in second)
    assert check_plan(p, CAT) == []


def test_the_explain_once_invariant_catches_the_how_to_again_after_turning_over():
    p = plan(30, "side-lying")
    first = next(s for s in p.steps if s.side == "right" and how_to(s) in s.say)
    mirror = next(
        s
        for s in p.steps
        if s.side == "left" and (s.technique, s.region) == (first.technique, first.region)
    )
    again = replace(mirror, say=first.say.replace("right side", "left side"))
    segs = tuple(again if s is mirror else s for s in p.segments)
    violations = check_plan(replace(p, segments=segs), CAT, ("explains_each_stroke_once",))
    assert len(violations) == 1 and f"{first.technique} explained again" in violations[0]


@pytest.mark.parametrize("position", ["lying", "seated", "side-lying"])
def test_the_towels_are_arranged_before_the_oil_is_warmed(position):
    p = plan(30, position)
    opening = p.segments[0]
    drape = CAT.positions[p.steps[0].position].drapes
    assert opening.kind == "oil"
    oil = opening.say.index("Warm a little oil")
    if drape:
        assert opening.say.index(drape[0].say) < oil
    assert oil < opening.say.index("Pressure runs")
    assert check_plan(p, CAT) == []


def test_the_towel_invariant_catches_the_oil_said_first():
    p = plan(30, "lying")
    opening = p.segments[0]
    drape = CAT.positions["lying"].drapes[0].say
    late = replace(opening, say=f"{opening.say.replace(drape, '').strip()} {drape}")
    segs = (late, *p.segments[1:])
    violations = check_plan(replace(p, segments=segs), CAT, ("arranges_the_towels_before_the_oil",))
    assert violations == [
        "arranges_the_towels_before_the_oil: the towels are arranged after the oil at 0 s"
    ]


@pytest.mark.parametrize(
    ("position", "leans_on"), [("seated", "cushion"), ("seated-forearms", "table")]
)
def test_a_seated_receiver_hears_what_to_lean_on_before_the_first_touch(position, leans_on):
    p = plan(20, position)
    support = CAT.positions[position].support
    assert leans_on in support and p.segments[0].kind == "oil"
    assert p.segments[0].say.startswith(support)
    assert check_plan(p, CAT) == []


def test_the_support_invariant_catches_a_plan_that_never_says_it():
    p = plan(20, "seated-forearms")
    support = CAT.positions["seated-forearms"].support
    opening = replace(p.segments[0], say=p.segments[0].say.replace(support, "").strip())
    violations = check_plan(
        replace(p, segments=(opening, *p.segments[1:])), CAT, ("says_what_the_receiver_leans_on",)
    )
    assert len(violations) == 1 and "seated-forearms at" in violations[0]


def thumb_work(p):
    return [s for s in p.steps if CAT.techniques[s.technique].strains("thumbs")]


@pytest.mark.parametrize("minutes", [10, 20, 45, 60])
def test_the_forearm_position_spares_the_thumbs_even_at_the_base_of_the_skull(minutes):
    p = plan(minutes, "seated-forearms")
    assert thumb_work(p) == []
    skull = [s for s in p.steps if s.region == "skull-base"]
    assert all(s.technique_kind != "stroke" or s.pressure <= 2 for s in skull)
    assert check_plan(p, CAT) == []


def test_the_spare_invariant_catches_thumb_steps_in_the_forearm_position():
    p = plan(30, "lying")
    assert thumb_work(p)
    moved = tuple(replace(s, position="seated-forearms") for s in p.segments)
    violations = check_plan(replace(p, segments=moved), CAT, ("spares_what_the_position_rests",))
    thumbs = [v for v in violations if "uses the thumbs in seated-forearms" in v]
    assert len(thumbs) == len({(s.technique, s.region) for s in thumb_work(p)})


def techniques_on(p, region):
    return {
        s.technique for s in p.steps if s.region == region and s.role not in ("opening", "finish")
    }


@pytest.mark.parametrize("minutes", [30, 45, 60])
def test_a_small_region_is_worked_with_a_few_techniques(minutes):
    p = plan(minutes, "seated-forearms")
    most = region_techniques(minutes) + 2  # its light way in and out
    assert all(len(techniques_on(p, s.region)) <= most for s in p.steps)
    # The therapist's reading: 7 different techniques on the shoulders in 45 minutes.
    assert 0 < len(techniques_on(p, "shoulders")) < 7
    assert check_plan(p, CAT) == []


def test_the_technique_count_invariant_catches_a_busy_region():
    p = plan(45, "seated-forearms")
    frames = ("opening", "finish")
    segs = tuple(
        replace(s, region="shoulders") if s.kind == "step" and s.role not in frames else s
        for s in p.segments
    )
    violations = check_plan(replace(p, segments=segs), CAT, ("few_techniques_per_region",))
    assert violations and "techniques on the shoulders" in violations[0]


@pytest.mark.parametrize("minutes", [10, 12, 15])
def test_a_short_forearm_session_gives_no_region_over_thirty_percent(minutes):
    p = plan(minutes, "seated-forearms")
    by_region = {}
    for s in p.steps[1:-1]:
        by_region[s.region] = by_region.get(s.region, 0.0) + s.duration_s
    assert max(by_region.values()) <= 0.3 * minutes * 60
    assert len(by_region) >= 4
    assert check_plan(p, CAT) == []


def test_the_region_share_invariant_applies_under_twenty_minutes():
    p = plan(10, "seated-forearms")
    region = p.steps[1].region
    segs = tuple(
        replace(s, region=region)
        if s.kind == "step" and s.region != region and s.role == "work"
        else s
        for s in p.segments
    )
    violations = check_plan(replace(p, segments=segs), CAT, ("balances_the_regions",))
    assert violations and f"the {region} take" in violations[0]
