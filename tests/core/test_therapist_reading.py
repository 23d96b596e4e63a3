"""What a therapist's reading of the printed plans found (issue 10, second reading)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rubdown.core.catalogue import load_catalogue
from rubdown.core.choose import least_wanted
from rubdown.core.guidance import speech_seconds
from rubdown.core.invariants import check_plan
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.pauses import ANSWER_S
from rubdown.core.planner import plan_session

CAT = load_catalogue()


def plan(minutes=30, position="lying", **profile):
    return plan_session(
        CAT, PlanRequest(minutes=minutes, position=position, profile=Profile(**profile))
    )


def first_work(p, area):
    """When the hands first work an area (the opening and finish glides aside)."""
    ends = {p.steps[0].step_index, p.steps[-1].step_index}
    return next(
        s.start_s
        for s in p.steps
        if s.step_index not in ends and CAT.regions[s.region].area_name == area
    )


@pytest.mark.parametrize("minutes", [20, 30, 60])
def test_lying_works_the_back_then_hips_and_legs_before_the_arms(minutes):
    p = plan(minutes)
    back, arms = first_work(p, "back"), first_work(p, "arms")
    assert back < first_work(p, "hips and buttocks") < arms
    assert check_plan(p, CAT) == []


def test_seated_works_the_back_before_the_arms():
    p = plan(30, "seated")
    assert first_work(p, "back") < first_work(p, "arms")


def test_the_body_flow_invariant_catches_arms_before_the_back():
    p = plan(30)
    steps = [i for i, s in enumerate(p.segments) if s.kind == "step"]
    segs = list(p.segments)
    arm = next(i for i in steps if segs[i].region == "upper-arms" and segs[i].role == "work")
    back = next(i for i in steps if segs[i].region == "mid-back" and segs[i].role == "work")
    segs[arm], segs[back] = (
        replace(segs[back], start_s=segs[arm].start_s),
        replace(segs[arm], start_s=segs[back].start_s),
    )
    violations = check_plan(replace(p, segments=tuple(segs)), CAT, ("follows_the_body_flow",))
    assert violations and all(v.startswith("follows_the_body_flow") for v in violations)


def buttock_kneading(p):
    return [
        (s.pressure, s.role)
        for s in p.steps
        if s.region == "glutes" and s.technique_kind == "knead"
    ]


@pytest.mark.parametrize("minutes", [15, 20, 30, 45])
def test_lying_plans_knead_the_buttocks_at_four(minutes):
    p = plan(minutes)
    assert buttock_kneading(p) and all(pressure == 4 for pressure, _ in buttock_kneading(p))
    assert check_plan(p, CAT) == []


def test_a_region_only_glided_is_left_out_before_one_with_kneading():
    chosen = {
        "shoulders": [CAT.techniques["shoulder-outward-strokes"]],
        "lower-back": [CAT.techniques["palm-circles-beside-spine"]],
        "hips": [CAT.techniques["fan-palm-glide"]],
        "glutes": [CAT.techniques["petrissage"]],
    }
    assert least_wanted(chosen, Profile()) == "hips"


@pytest.mark.parametrize("profile", [{"pressure": "light"}, {"conditions": ("slipped-disc",)}])
def test_a_light_touch_or_a_condition_keeps_the_buttocks_under_four(profile):
    p = plan(30, **profile)
    assert any(s.region == "glutes" and s.role == "work" for s in p.steps)
    assert all(pressure < 4 for pressure, _ in buttock_kneading(p))
    assert check_plan(p, CAT, ("works_the_big_muscles_deeper",)) == []


def test_the_big_muscle_invariant_catches_buttocks_only_stroked():
    p = plan(30)
    segs = [
        replace(s, technique_kind="stroke")
        if s.region == "glutes" and s.technique_kind == "knead"
        else s
        for s in p.segments
    ]
    violations = check_plan(
        replace(p, segments=tuple(segs)), CAT, ("works_the_big_muscles_deeper",)
    )
    assert violations == [
        "works_the_big_muscles_deeper: the glutes are worked but never kneaded at 4"
    ]


def forearm_techniques(p):
    by_region: dict[str, set[str]] = {}
    for s in p.steps:
        if CAT.techniques[s.technique].uses("forearm"):
            by_region.setdefault(s.region, set()).add(s.technique)
    return by_region


def share(p, region):
    return sum(s.duration_s for s in p.steps if s.region == region) / (p.minutes * 60)


@pytest.mark.parametrize("minutes", [10, 20, 30, 45])
def test_forearm_work_is_spread_at_most_two_techniques_a_region(minutes):
    p = plan(minutes, "seated-forearms")
    assert all(len(ts) <= 2 for ts in forearm_techniques(p).values()), forearm_techniques(p)
    assert len(forearm_techniques(p)) >= 2
    assert check_plan(p, CAT) == []


def test_the_twenty_minute_forearm_plan_does_not_pile_time_on_the_upper_back():
    p = plan(20, "seated-forearms")
    assert share(p, "upper-back") < 0.2
    assert len(forearm_techniques(p)) >= 4


def test_a_focus_region_may_take_every_forearm_technique():
    p = plan(30, "seated-forearms", focus=("upper-back",))
    assert len(forearm_techniques(p)["upper-back"]) > 2
    assert check_plan(p, CAT) == []


def test_the_tool_invariant_catches_three_forearm_techniques_on_one_region():
    p = plan(20, "seated-forearms")
    region = next(r for r, ts in forearm_techniques(p).items() if len(ts) == 2)
    other = next(
        t
        for ts in forearm_techniques(p).values()
        for t in ts
        if t not in forearm_techniques(p)[region]
    )
    seg = next(s for s in p.steps if s.region == region)
    extra = replace(seg, technique=other)
    segs = [extra if s is seg else s for s in p.segments]
    violations = check_plan(replace(p, segments=tuple(segs)), CAT, ("spreads_the_tool_work",))
    assert violations == [f"spreads_the_tool_work: 3 forearm techniques on the {region}"]


def how_to_said(p, technique, region):
    # Said on another region in the same words, the how-to is not said again here.
    how = CAT.techniques[technique].cue_for(region)
    return [s for s in p.steps if s.technique == technique and how in s.say]


def repeated_on(technique, region, steps):
    """Steps after the first of a technique on a region (the opening and finish aside)."""
    done = [s for s in steps if s.technique == technique and s.region == region]
    return [s for s in done if s.role not in ("opening", "finish")][1:]


@pytest.mark.parametrize(
    ("position", "technique", "region"),
    [("lying", "arm-glide", "upper-arms"), ("seated", "lay-on-hands", "shoulders")],
)
def test_a_stroke_is_explained_once_on_a_region_then_only_named(position, technique, region):
    # The first length whose plan does the stroke there more than once, whatever composing
    # chooses (it changes as the rules do).
    p = next(
        (
            p
            for minutes in (20, 30, 45, 60, 75)
            if repeated_on(technique, region, (p := plan(minutes, position)).steps)
        ),
        None,
    )
    assert p is not None, f"no plan does {technique} twice on the {region}"
    later = repeated_on(technique, region, p.steps)
    assert len(how_to_said(p, technique, region)) == 1
    name = CAT.techniques[technique].name_for(region).lower()
    assert later and all(s.say.lower().startswith((name, "again")) for s in later)
    assert all(CAT.techniques[technique].cue_for(region) not in s.say for s in later)
    assert check_plan(p, CAT) == []


def test_the_explain_once_invariant_catches_a_second_how_to():
    p = plan(20)
    first = how_to_said(p, "arm-glide", "upper-arms")[0]
    flush = next(s for s in p.steps if s.technique == "arm-glide" and s.role == "flush")
    segs = [replace(s, say=first.say) if s is flush else s for s in p.segments]
    violations = check_plan(replace(p, segments=tuple(segs)), CAT, ("explains_each_stroke_once",))
    assert len(violations) == 1 and "arm-glide explained again on the upper-arms" in violations[0]


@pytest.mark.parametrize(
    ("minutes", "position", "region", "label"),
    [
        (30, "lying", "hands", "Long glide over the hand, left side"),
        (30, "lying", "calves", "Gentle calf kneading, left side"),
        (30, "lying", "lower-back", "Palm circles beside the spine, lower back"),
    ],
)
def test_steps_are_named_technique_first_then_side_or_region(minutes, position, region, label):
    p = plan(minutes, position)
    assert any(s.say.startswith(label) for s in p.steps if s.region == region)
    # Each names where after the technique, unless the technique's name already says it.
    assert all(
        step_name(s.say).count(",") >= 1 or s.region_name.lower() in step_name(s.say).lower()
        for s in p.steps[1:-1]
    )


def step_name(say):
    """A step's name as said: before its how-to, or after the 'Again:' that repeats a stroke."""
    head = say.split(". ")[0]
    return head.split(": ", 1)[1] if head.startswith("Again") else head.split(": ")[0]


@pytest.mark.parametrize(
    ("position", "getting_up"),
    [("seated", "one hand on yours"), ("seated-forearms", "one hand on yours"),
     ("lying", "sitting for a moment first")],
)  # fmt: skip
def test_the_closing_says_how_to_get_up_from_where_the_receiver_is(position, getting_up):
    # A seated receiver is already sitting: "sitting for a moment first" is for lying down.
    closing = plan(20, position).segments[-1].say
    assert "get up slowly" in closing and getting_up in closing


@pytest.mark.parametrize("position", ["lying", "seated", "seated-forearms"])
def test_the_finish_is_announced_without_claiming_every_worked_area(position):
    # The finishing glides cover the main area (the back), not the legs or arms worked too.
    said = [s.say for s in plan(30, position).segments if s.kind in ("announce", "check-in")]
    assert any("the finish" in say.lower() for say in said)
    assert not any("everything you have worked" in say for say in said)


def test_the_kidney_caution_keeps_the_light_touch_under_the_ribs_not_the_whole_low_back():
    # Palm circles at 4 work the low back right after this caution: it must not forbid them.
    caution = next(c for c in CAT.regions["lower-back"].cautions if "kidney" in c.lower())
    assert "under the last ribs" in caution and "lower down" in caution
    assert "no pressing" not in caution.lower()


@pytest.mark.parametrize(("minutes", "position"), [(30, "lying"), (20, "seated-forearms")])
def test_every_check_in_leaves_the_receiver_time_to_answer(minutes, position):
    # A check-in said in 28 of its 30 s left no moment for "a little lighter, please".
    checkins = [s for s in plan(minutes, position).segments if s.kind == "check-in"]
    assert checkins
    assert all(s.duration_s - speech_seconds(s.say) >= ANSWER_S - 0.05 for s in checkins)


@pytest.mark.parametrize("position", ["lying", "seated", "seated-forearms"])
def test_the_opening_says_what_the_ends_of_the_pressure_scale_mean(position):
    # Each number is explained as it is first used; the scale's ends and the partner's ceiling
    # are said once, before the first touch.
    opening = plan(20, position).segments[0].say
    assert "from 1" in opening and "to 10" in opening and "7 or under" in opening


def test_thumbs_rolling_toward_the_spine_are_told_to_stop_short_of_it_first():
    # "Roll your thumbs down and in toward the spine" came minutes before the spine's own
    # caution: the stroke now carries its own, said before it begins.
    segments = plan(30, "lying").segments
    first = next(i for i, s in enumerate(segments) if s.technique == "shoulder-blade-thumb-rolls")
    said = " ".join(c for s in segments[:first] for c in s.cautions)
    assert "short of the spine" in said
