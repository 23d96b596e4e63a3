"""The conditions couples really have, side-lying and face-up: each rule applied and explained."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rubdown.core.catalogue import load_catalogue
from rubdown.core.invariants import check_plan
from rubdown.core.models import PlanError, PlanRequest, Profile, Refusal
from rubdown.core.planner import plan_session
from rubdown.core.prep import prep_timeline

CAT = load_catalogue()
LEGS = {"thighs", "front-thighs", "knees", "calves", "shins", "feet"}


def plan(conditions=(), position="any", minutes=30, avoid=(), focus=()):
    profile = Profile(conditions=tuple(conditions), avoid=tuple(avoid), focus=tuple(focus))
    return plan_session(CAT, PlanRequest(minutes=minutes, position=position, profile=profile))


def notes(p):
    return " ".join(p.notes).lower()


def on(p, regions):
    return [s for s in p.steps if s.region in regions]


# (condition, position asked, minutes, avoided areas, what the plan must show)
RULES = [
    ("pregnancy", "lying", 30, (), lambda p: p.position == "side-lying"),
    ("pregnancy", "any", 30, (), lambda p: p.position == "side-lying"),
    ("pregnancy", "face-up", 45, (), lambda p: p.position == "side-lying"),
    ("pregnancy", "any", 10, (), lambda p: p.position == "side-lying"),
    ("pregnancy", "seated", 20, (), lambda p: p.position == "seated"),
    ("cancer", "face-up", 30, ("hands",), lambda p: all(s.pressure <= 2 for s in p.steps)),
    ("cancer", "lying", 30, ("lower-back",), lambda p: not on(p, {"lower-back"})),
    (
        "diabetes",
        "face-up",
        30,
        (),
        lambda p: all(s.pressure <= 3 and s.technique_kind != "knead" for s in on(p, LEGS)),
    ),
    ("high-blood-pressure", "lying", 30, (), lambda p: p.position != "lying"),
    ("high-blood-pressure", "lying", 15, (), lambda p: p.position == "lying"),
    (
        "arthritis",
        "face-up",
        30,
        (),
        lambda p: all(
            s.technique_kind not in ("press", "knead") and s.pressure <= 3
            for s in on(p, {"hands", "feet", "knees", "neck", "forearms"})
        ),
    ),
    ("fibromyalgia", "lying", 30, (), lambda p: all(s.pressure <= 3 for s in p.steps)),
    ("anxiety", "seated", 30, (), lambda p: all(s.pressure <= 4 for s in p.steps)),
    ("heart-condition", "face-up", 20, (), lambda p: all(s.pressure <= 3 for s in p.steps)),
    ("lymphoedema", "face-up", 30, ("forearms",), lambda p: not on(p, {"forearms"})),
    ("sunburn", "lying", 30, ("shoulders", "upper-back"), lambda p: not on(p, {"shoulders"})),
    (
        "recent-surgery",
        "face-up",
        30,
        ("hands",),
        lambda p: all(s.technique_kind == "glide" and s.pressure <= 2 for s in on(p, LEGS)),
    ),
    (
        "recent-surgery",
        "lying",
        30,
        ("lower-back",),
        lambda p: (
            on(p, LEGS)
            and all(s.technique_kind == "glide" and s.pressure <= 2 for s in on(p, LEGS))
        ),
    ),
    (
        "slipped-disc",
        "lying",
        45,
        (),
        lambda p: all(
            s.technique_kind != "knead" and s.pressure <= 3
            for s in on(p, {"hips", "glutes", "thighs", "calves", "lower-back"})
        ),
    ),
]
# (condition, position, minutes, avoided, words the notes must contain)
EXPLAINED = [
    ("pregnancy", "lying", 30, (), "pregnancy rules it out"),
    ("pregnancy", "any", 30, (), "kindest position with pregnancy"),
    ("cancer", "face-up", 30, ("hands",), "before you start (cancer"),
    ("diabetes", "face-up", 30, (), "diabetes"),
    ("high-blood-pressure", "lying", 30, (), "at most 20 minutes"),
    ("arthritis", "face-up", 30, (), "no press/knead"),
    ("fibromyalgia", "lying", 30, (), "shorter session"),
    ("anxiety", "seated", 30, (), "stop word"),
    ("heart-condition", "face-up", 20, (), "ask the doctor"),
    ("lymphoedema", "face-up", 30, ("forearms",), "lymphoedema specialist"),
    ("sunburn", "lying", 30, ("shoulders",), "left out: sunburn"),
    ("nut-allergy", "lying", 30, (), "nut-free"),
    ("recent-surgery", "lying", 30, ("hips",), "glide only"),
    ("slipped-disc", "lying", 45, (), "no knead"),
]


@pytest.mark.parametrize(("condition", "position", "minutes", "avoid", "holds"), RULES)
def test_each_condition_rule_shapes_the_plan(condition, position, minutes, avoid, holds):
    p = plan([condition], position, minutes, avoid)
    assert holds(p), [(s.region, s.technique_kind, s.pressure) for s in p.steps]
    assert check_plan(p, CAT) == []


@pytest.mark.parametrize(("condition", "position", "minutes", "avoid", "words"), EXPLAINED)
def test_each_condition_rule_is_explained_in_the_notes(condition, position, minutes, avoid, words):
    assert words in notes(plan([condition], position, minutes, avoid))


@pytest.mark.parametrize("condition", ["infectious-skin"])
def test_infectious_skin_refuses_with_what_to_do(condition):
    with pytest.raises(Refusal) as err:
        plan([condition, "anxiety"])
    assert err.value.exit_code == 3 and err.value.condition == condition
    assert "no massage" in err.value.instead.lower()


def test_widespread_sunburn_refuses_but_a_patch_is_left_out():
    many = ("shoulders", "upper-back", "mid-back", "lower-back")
    with pytest.raises(Refusal) as err:
        plan(["sunburn"], "lying", avoid=many)
    assert err.value.condition == "sunburn" and "cool" in err.value.instead.lower()
    assert not on(plan(["sunburn"], "lying", avoid=many[:2]), set(many[:2]))


@pytest.mark.parametrize("condition", ["cancer", "lymphoedema", "sunburn"])
def test_conditions_with_sites_to_avoid_ask_for_them(condition):
    with pytest.raises(PlanError, match="needs the affected area"):
        plan([condition])


@pytest.mark.parametrize(
    ("condition", "first"),
    [("cancer", "cancer care team"), ("heart-condition", "doctor"), ("anxiety", "stop word")],
)
def test_ask_first_comes_before_every_other_note(condition, first):
    p = plan([condition], "face-up", avoid=("hands",) if condition == "cancer" else ())
    assert p.notes[0].startswith("Before you start") and first in p.notes[0]


def test_a_nut_allergy_names_a_nut_free_oil_in_the_oil_cues_and_the_set_up():
    p = plan(["nut-allergy"], "lying", 45)
    oil = [s.say for s in p.segments if s.kind == "oil"]
    assert len(oil) >= 2 and all("nut-free" in say for say in oil)
    setup = [i.what for i in prep_timeline(CAT, p, datetime(2026, 1, 1, 20))]
    assert any("nut-free" in what for what in setup)
    assert any("almond" in w for w in p.warnings)


def test_controlled_blood_pressure_says_get_up_slowly():
    assert any("sit up slowly" in w for w in plan(["high-blood-pressure"], "seated").warnings)


def test_fibromyalgia_does_not_nag_about_a_short_session():
    assert "shorter session" not in notes(plan(["fibromyalgia"], "seated", 15))


def test_face_up_reaches_scalp_face_hands_and_feet():
    p = plan([], "face-up", 45)
    assert {"scalp", "face", "hands", "feet"} <= {s.region for s in p.steps}
    assert not on(p, {"eyes", "front-neck"})
    assert all(s.technique_kind == "glide" and s.pressure <= 2 for s in on(p, {"knees"}))


def test_face_up_reaches_focus_areas_the_back_positions_cannot():
    p = plan([], "any", 30, focus=("face", "shins"))
    assert p.position == "face-up" and {"face", "shins"} <= {s.region for s in p.steps}


def test_side_lying_works_one_side_turns_once_then_does_the_same_on_the_other():
    p = plan([], "side-lying", 30)
    sides = [s.side for s in p.steps]
    half = sides.index("left")
    assert set(sides[:half]) == {"right"} and set(sides[half:]) == {"left"}
    turns = [s for s in p.segments if "turn over" in s.say.lower()]
    # The turn is its own pause, or a check-in due there says it too.
    assert len(turns) == 1 and turns[0].kind in ("announce", "check-in")
    first, second = p.steps[:half], p.steps[half:]
    work = lambda steps: Counter((s.step_index, s.technique) for s in steps for _ in range(s.reps))  # noqa: E731
    assert work(first) == work(second)


def test_pregnancy_side_lying_keeps_every_cap_and_the_turn():
    p = plan(["pregnancy"], "lying", 45)
    assert all(s.pressure <= 2 for s in on(p, {"thighs", "calves", "feet"}))
    assert all(s.pressure <= 3 for s in on(p, {"lower-back"}))
    assert any("turn over" in s.say.lower() for s in p.segments)


SAFE = sorted(c for c, v in CAT.conditions.items() if not v.refuse and not v.requires_avoid)
AREAS = sorted(CAT.regions)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=150)
@given(
    st.lists(st.sampled_from(SAFE), max_size=3, unique=True),
    st.sampled_from(["any", "side-lying", "face-up", "lying"]),
    st.integers(5, 90),
    st.lists(st.sampled_from(AREAS), max_size=3, unique=True),
)
def test_new_positions_and_conditions_keep_every_invariant(conditions, position, minutes, avoid):
    try:
        p = plan(conditions, position, minutes, avoid)
    except Refusal:
        raise AssertionError("no refusing condition was given") from None
    except PlanError as err:
        assert "minutes" in err.message or "nothing is left" in err.message, err.message
        return
    assert check_plan(p, CAT) == []
    if "pregnancy" in conditions:
        assert p.position not in ("lying", "face-up")
        assert all(s.position not in ("lying", "face-up") for s in p.steps)
    if CAT.positions[p.position].turns:
        steps = p.steps
        per_side = Counter((s.step_index, s.side) for s in steps for _ in range(s.reps))
        for index in {s.step_index for s in steps}:
            assert per_side[(index, "left")] == per_side[(index, "right")]


PURPOSES = [
    ("sleep-wind-down", "face-up"),
    ("desk-neck-shoulders", "seated-forearms"),
    ("tension-headache", "face-up"),
    ("runners-legs", "lying"),
    ("pregnancy-side-lying", "side-lying"),
    ("five-minute-hands", "face-up"),
    ("feet-before-bed", "face-up"),
    ("full-body-hour", "lying"),
]


@pytest.mark.parametrize(("routine", "position"), PURPOSES)
def test_each_themed_routine_plans_in_its_position_and_keeps_every_invariant(routine, position):
    p = plan_session(CAT, PlanRequest(routine=routine))
    assert p.routine == routine and p.position == position
    assert p.minutes == CAT.routines[routine].minutes
    assert check_plan(p, CAT) == []


def test_the_full_body_hour_turns_the_receiver_once_to_face_up():
    p = plan_session(CAT, PlanRequest(routine="full-body-hour"))
    positions = [s.position for s in p.steps]
    assert positions[0] == "lying" and positions[-1] == "face-up"
    assert sum(1 for a, b in itertools.pairwise(positions) if a != b) == 1


def test_the_pregnancy_routine_keeps_its_position_with_the_condition():
    profile = Profile(conditions=("pregnancy",))
    p = plan_session(CAT, PlanRequest(routine="pregnancy-side-lying", profile=profile))
    assert p.routine == "pregnancy-side-lying" and p.position == "side-lying"
    assert any("turn over" in s.say.lower() for s in p.segments)


def test_there_are_at_least_twelve_routines():
    assert len(CAT.routines) >= 12
