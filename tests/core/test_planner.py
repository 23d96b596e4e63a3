"""The planner: fitting, flow, focus, determinism, and its invariants over random profiles."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rubdown.core.catalogue import load_catalogue
from rubdown.core.invariants import INVARIANTS, check_plan
from rubdown.core.models import PlanError, PlanRequest, Profile, Refusal
from rubdown.core.planjson import plan_from_json, plan_to_json
from rubdown.core.planner import plan_session

CAT = load_catalogue()
REGIONS = sorted(CAT.regions)
SAFE_CONDITIONS = sorted(
    c for c, v in CAT.conditions.items() if not v.refuse and not v.requires_avoid
)


def test_the_issue_example_fits_and_is_safe():
    profile = Profile(focus=("shoulders",), conditions=("slipped-disc",))
    plan = plan_session(CAT, PlanRequest(minutes=30, position="lying", profile=profile))
    assert abs(plan.total_seconds - 1800) <= 10
    assert check_plan(plan, CAT) == []
    assert any("slipped" in n.lower() and "lower back" in n for n in plan.notes)
    assert all(s.pressure <= 3 for s in plan.steps if s.region == "lower-back")


@pytest.mark.parametrize("minutes", [5, 10, 22, 30, 41, 60, 90])
@pytest.mark.parametrize("position", ["lying", "any"])
def test_plans_last_the_minutes_asked_for(minutes, position):
    plan = plan_session(CAT, PlanRequest(minutes=minutes, position=position))
    assert abs(plan.total_seconds - minutes * 60) <= 10
    assert check_plan(plan, CAT) == []


@pytest.mark.parametrize("routine", sorted(CAT.routines))
def test_every_routine_plans_at_its_own_length_and_others(routine):
    for minutes in (CAT.routines[routine].minutes, 20):
        plan = plan_session(CAT, PlanRequest(minutes=minutes, routine=routine))
        assert plan.routine == routine
        assert check_plan(plan, CAT) == []


def test_routine_steps_keep_their_order():
    routine = CAT.routines["seated-shoulders-back"]
    plan = plan_session(CAT, PlanRequest(routine=routine.id))
    planned = list(dict.fromkeys((s.step_index, s.technique, s.region) for s in plan.steps))
    assert [(t, r) for _, t, r in planned] == [(s.technique, s.region) for s in routine.steps]


def region_share(plan, region):
    steps = plan.steps
    return sum(s.duration_s for s in steps if s.region == region) / sum(s.duration_s for s in steps)


@pytest.mark.parametrize("region", ["shoulders", "neck", "lower-back", "upper-back", "calves"])
@pytest.mark.parametrize("minutes", [15, 30, 60])
def test_focus_regions_get_clearly_more_time(region, minutes):
    plain = plan_session(CAT, PlanRequest(minutes=minutes, position="lying"))
    focused = plan_session(
        CAT, PlanRequest(minutes=minutes, position="lying", profile=Profile(focus=(region,)))
    )
    assert region_share(focused, region) >= 1.5 * region_share(plain, region)
    assert any("focus" in n for n in focused.notes)


def test_avoided_and_unreachable_regions_get_no_time():
    plan = plan_session(
        CAT,
        PlanRequest(
            minutes=30, position="seated", profile=Profile(avoid=("neck",), focus=("calves",))
        ),
    )
    regions = {s.region for s in plan.steps}
    assert "neck" not in regions and "calves" not in regions
    assert any("cannot be reached" in n for n in plan.notes)


def test_the_same_request_gives_the_same_plan_and_vary_gives_variety():
    request = PlanRequest(minutes=45, position="lying")
    assert plan_session(CAT, request) == plan_session(CAT, request)
    varied = {
        tuple(
            s.technique
            for s in plan_session(CAT, PlanRequest(minutes=45, position="lying", vary=seed)).steps
        )
        for seed in range(6)
    }
    assert len(varied) > 1


def test_check_ins_announcements_oil_and_closing_are_all_there():
    plan = plan_session(CAT, PlanRequest(minutes=40, position="lying"))
    kinds = [s.kind for s in plan.segments]
    assert kinds[-1] == "closing"
    assert kinds.count("oil") >= 2 and kinds.count("check-in") >= 7 and "announce" in kinds


def test_learned_pressure_and_favourites_shape_the_plan():
    profile = Profile(
        learned_pressure=(("shoulders", 2),),
        favourites=("petrissage",),
        learned_notes=("Shoulders at 2: asked for lighter last time.",),
    )
    plan = plan_session(CAT, PlanRequest(minutes=30, position="seated", profile=profile))
    assert all(s.pressure <= 2 for s in plan.steps if s.region == "shoulders")
    assert "Shoulders at 2: asked for lighter last time." in plan.notes
    assert any(s.technique == "petrissage" for s in plan.steps)


def test_plan_json_round_trips_and_has_the_contract_fields():
    plan = plan_session(CAT, PlanRequest(minutes=20))
    data = plan_to_json(plan)
    assert {"minutes", "total_seconds", "position", "segments", "notes"} <= set(data)
    assert {
        "start_s",
        "duration_s",
        "kind",
        "region",
        "technique",
        "technique_kind",
        "pressure",
        "reps",
        "side",
        "say",
    } <= set(data["segments"][0])
    assert plan_from_json(data) == plan


@pytest.mark.parametrize(
    "bad", [[], {"minutes": 5}, {"minutes": 5, "position": "x", "segments": [{"kind": "step"}]}]
)
def test_malformed_plan_json_is_a_plan_error(bad):
    with pytest.raises(PlanError):
        plan_from_json(bad)


def test_an_impossible_fit_is_a_clear_error():
    profile = Profile(avoid=tuple(r for r in REGIONS if r not in ("shoulders",)))
    with pytest.raises(PlanError) as err:
        plan_session(CAT, PlanRequest(minutes=90, position="seated", profile=profile))
    assert "minutes" in err.value.message


profiles = st.builds(
    Profile,
    pressure=st.sampled_from([None, "light", "medium", "firm"]),
    focus=st.lists(st.sampled_from(REGIONS), max_size=3, unique=True).map(tuple),
    avoid=st.lists(st.sampled_from(REGIONS), max_size=4, unique=True).map(tuple),
    conditions=st.lists(st.sampled_from(SAFE_CONDITIONS), max_size=3, unique=True).map(tuple),
)
requests = st.builds(
    PlanRequest,
    minutes=st.integers(5, 90),
    position=st.sampled_from(["any", *sorted(CAT.positions)]),
    routine=st.sampled_from([None, None, None, *sorted(CAT.routines)]),
    profile=profiles,
    vary=st.one_of(st.none(), st.integers(0, 10_000)),
)


def fits_at_most(request):
    """The most a session could hold: every usable step at its maximum repetitions."""
    return any(
        word in request
        for word in (
            "not enough",
            "need at least",
            "need more than",
            "nothing is left",
            "is done",
            "no position",
            "no light stroke",
        )
    )


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests)
# Found: the check left out the forearm sweeps the planner counts as forearm work (49.7 %).
@example(
    PlanRequest(
        minutes=28,
        routine="desk-neck-shoulders",
        profile=Profile(conditions=("anxiety", "blood-thinners")),
    )
)
# Found: room for the low back's words took it past slipped disc's 180 s (184 s).
@example(
    PlanRequest(
        minutes=19,
        routine="pregnancy-side-lying",
        profile=Profile(avoid=("mid-back", "shoulder-blades"), conditions=("slipped-disc",)),
    )
)
# Found: the forearm could not fill half, yet one forearm step stopped short of its longest.
@example(
    PlanRequest(
        minutes=63,
        position="seated-forearms",
        vary=898562,
        profile=Profile(
            pressure="medium",
            focus=("shoulders", "mid-back"),
            avoid=("hips", "skull-base"),
            conditions=("osteoporosis", "headache-migraine"),
        ),
    )
)
# Found: 8 side-lying minutes hold two regions, so each takes more than 30 % (ruled from 10).
@example(
    PlanRequest(
        minutes=8,
        position="side-lying",
        vary=272230,
        profile=Profile(
            pressure="light", avoid=("shins",), conditions=("pregnancy", "fibromyalgia")
        ),
    )
)
# Found: each region kept the same two forearm techniques, so the 45 minutes used 8 of 9.
@example(
    PlanRequest(
        minutes=45,
        position="seated-forearms",
        vary=2,
        profile=Profile(avoid=("calves", "eyes", "shoulders")),
    )
)
# Found: filling 70 minutes piled 10 techniques on the upper back before any other region.
@example(
    PlanRequest(minutes=70, profile=Profile(avoid=("glutes", "lower-back", "calves", "shoulders")))
)
# Found: the slipped disc's 2 minutes on the hips left them out once their words had room,
# and their two strokes with them, so the 45 minutes used 9 techniques of the 10 wanted.
@example(
    PlanRequest(
        minutes=45,
        profile=Profile(
            avoid=("calves", "scalp", "lower-back"),
            conditions=("high-blood-pressure", "slipped-disc"),
        ),
    )
)
# Found: with the shoulders and shoulder blades left out, the forearm sweep's only region was
# the upper back, which already had its two forearm strokes: the sweep was dropped, and the
# 30 minutes used 7 techniques of the 8 wanted.
@example(
    PlanRequest(
        minutes=30,
        position="seated-forearms",
        profile=Profile(avoid=("shoulder-blades", "shoulders")),
    )
)
def test_every_plan_keeps_every_invariant_or_says_clearly_why_not(request):
    try:
        plan = plan_session(CAT, request)
    except Refusal:
        raise AssertionError("no refusing condition was given") from None
    except PlanError as err:
        assert fits_at_most(err.message), err.message
        return
    assert check_plan(plan, CAT) == []


@settings(deadline=None)
@given(st.integers(5, 90), st.sampled_from(["any", "lying"]), profiles)
# Found: the low back's steps with their words need 184 s of slipped disc's 180 s: left out.
@example(
    15,
    "any",
    Profile(focus=("calves", "thighs", "lower-back"), conditions=("slipped-disc", "pregnancy")),
)
def test_whole_body_positions_always_fit_without_avoided_regions(minutes, position, profile):
    profile = Profile(pressure=profile.pressure, focus=profile.focus, conditions=profile.conditions)
    try:
        plan = plan_session(CAT, PlanRequest(minutes=minutes, position=position, profile=profile))
    except PlanError as err:
        # Worked one side at a time (pregnancy: on the side), a very short session cannot hold
        # an opening, a turn, both sides and a finish; and with few safe strokes (arthritis: no
        # press or knead) and run limits, a very long one can run out of varied work. Both are
        # said clearly.
        assert minutes <= 8 or "not enough to do" in err.message, err.message
        return
    assert abs(plan.total_seconds - minutes * 60) <= 10


def test_every_invariant_catches_what_it_is_named_for():
    from dataclasses import replace

    plan = plan_session(CAT, PlanRequest(minutes=20, position="lying"))
    steps = [i for i, s in enumerate(plan.segments) if s.kind == "step"]
    broken = list(plan.segments)
    broken[steps[1]] = replace(broken[steps[1]], pressure=7)
    violations = check_plan(replace(plan, segments=tuple(broken)), CAT)
    assert any(v.startswith("gentle_pressure_ramps") for v in violations)
    assert any(v.startswith("within_safety_limits") for v in violations)
    assert len(INVARIANTS) >= 10


def test_every_focus_area_gets_in_even_a_short_session():
    # Seven minutes: a session also opens with glides and ends with glides, a hold and words.
    focus = ("shoulders", "neck", "shoulder-blades")
    plan = plan_session(
        CAT, PlanRequest(minutes=7, position="seated", profile=Profile(focus=focus))
    )
    assert set(focus) <= {s.region for s in plan.steps}


def test_focus_areas_that_cannot_fit_are_named_in_the_notes():
    focus = (
        "skull-base",
        "neck",
        "shoulders",
        "upper-arms",
        "forearms",
        "hands",
        "shoulder-blades",
        "upper-back",
        "mid-back",
        "lower-back",
    )
    plan = plan_session(
        CAT, PlanRequest(minutes=5, position="seated", profile=Profile(focus=focus))
    )
    missing = [r for r in focus if r not in {s.region for s in plan.steps}]
    assert missing
    note = next(n for n in plan.notes if n.startswith("No time for"))
    assert all(CAT.regions[r].name.lower() in note for r in missing)


@pytest.mark.parametrize(("answer", "delta"), [("less", -1), ("right", 0), ("more", 1)])
def test_the_pressure_check_shifts_the_plans_pressures(answer, delta):
    from rubdown.core.calibrate import calibrate

    plan = plan_session(CAT, PlanRequest(minutes=30, position="lying", calibrate=True))
    check = next(i for i, s in enumerate(plan.segments) if s.kind == "calibrate")
    assert plan.segments[check].duration_s >= 30 and check <= 3
    new, note = calibrate(plan, answer)
    assert note
    for old, seg in zip(plan.segments[check:], new.segments[check:], strict=True):
        if old.kind == "step" and old.role == "work":
            assert seg.pressure == min(max(old.pressure + delta, 1), old.max_pressure)
            if "of 10" in old.say:  # a step's continuation after a check-in names no number
                assert f"pressure {seg.pressure} of 10" in seg.say
    assert all(s.pressure <= 2 for s in new.steps if s.role in ("opening", "finish"))
    assert check_plan(plan, CAT) == []


def test_a_routine_too_long_to_shorten_says_plainly_how_many_minutes_it_needs(cat):
    request = PlanRequest(minutes=5, routine="feet-before-bed", profile=Profile())
    with pytest.raises(PlanError) as refused:
        plan_session(cat, request)
    assert "need more than 5 minutes; ask for more minutes" in refused.value.message
