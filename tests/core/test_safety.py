"""Each condition rule, applied alone."""

from __future__ import annotations

import pytest

from rubdown.core.models import PlanError, PlanRequest, Profile, Refusal
from rubdown.core.planner import plan_session
from rubdown.core.safety import CONDITION_RULES, safety_limits


def steps_on(plan, regions):
    return [s for s in plan.steps if s.region in regions]


@pytest.mark.parametrize(
    "condition", ["fever", "contagious-illness", "blood-clot", "uncontrolled-high-blood-pressure"]
)
def test_refusing_conditions_refuse_with_reason_and_advice(cat, condition):
    with pytest.raises(Refusal) as err:
        plan_session(cat, PlanRequest(minutes=30, profile=Profile(conditions=(condition,))))
    assert err.value.exit_code == 3
    assert err.value.reason and err.value.instead and err.value.condition == condition


def test_refusal_wins_even_alongside_other_conditions(cat):
    profile = Profile(conditions=("sciatica", "fever"))
    with pytest.raises(Refusal):
        plan_session(cat, PlanRequest(minutes=30, profile=profile))


CAPS = [
    # (condition, regions, highest pressure allowed there)
    ("slipped-disc", {"lower-back", "mid-back", "spine"}, 3),
    ("sciatica", {"lower-back", "glutes", "thighs", "calves"}, 3),
    ("pregnancy", {"lower-back"}, 3),
    ("pregnancy", {"thighs", "calves", "feet"}, 2),
    ("varicose-veins", {"thighs", "calves", "feet"}, 2),
    ("blood-thinners", None, 3),
    ("osteoporosis", None, 3),
]


@pytest.mark.parametrize(("condition", "regions", "top"), CAPS)
@pytest.mark.parametrize("minutes", [15, 45])
def test_conditions_cap_pressure_on_their_regions(cat, condition, regions, top, minutes):
    profile = Profile(conditions=(condition,), pressure="firm")
    plan = plan_session(cat, PlanRequest(minutes=minutes, position="any", profile=profile))
    touched = steps_on(plan, regions or set(cat.regions))
    assert all(s.pressure <= top for s in touched)
    # The note explains the cap wherever the plan works on a capped region.
    assert not touched or any(
        condition.split("-")[0] in n.lower() or "kept light" in n.lower() for n in plan.notes
    )


def test_slipped_disc_never_kneads_the_back_and_warns_about_leg_pain(cat):
    profile = Profile(conditions=("slipped-disc",), focus=("lower-back",))
    plan = plan_session(cat, PlanRequest(minutes=30, position="lying", profile=profile))
    back = steps_on(plan, {"lower-back", "mid-back", "spine"})
    assert back and all(s.technique_kind != "knead" and s.pressure <= 3 for s in back)
    assert any("leg" in w for w in plan.warnings)
    # The stop rule is said as the hands come to the lower back, not once at a check-in.
    segments = list(plan.segments)
    first = next(
        i
        for i, s in enumerate(segments)
        if s.kind == "step" and s.region == "lower-back" and s.role not in ("opening", "finish")
    )
    lead = next(s for s in reversed(segments[:first]) if s.kind != "oil")  # oil tops up after
    assert lead.kind != "step" and any("leg" in c and c in lead.say for c in lead.cautions)


def test_varicose_veins_only_glides_on_the_legs(cat):
    profile = Profile(conditions=("varicose-veins",), focus=("calves",))
    plan = plan_session(cat, PlanRequest(minutes=40, position="lying", profile=profile))
    legs = steps_on(plan, {"thighs", "calves", "feet"})
    assert legs and all(s.technique_kind == "glide" for s in legs)


def test_pregnancy_moves_off_lying_face_down_and_says_why(cat):
    profile = Profile(conditions=("pregnancy",))
    plan = plan_session(cat, PlanRequest(minutes=30, position="lying", profile=profile))
    assert plan.position != "lying"
    assert all(s.position != "lying" for s in plan.steps)
    assert any("pregnan" in n.lower() and "lying" in n.lower() for n in plan.notes)


def test_osteoporosis_keeps_the_spine_untouched(cat):
    plan = plan_session(
        cat,
        PlanRequest(minutes=30, position="lying", profile=Profile(conditions=("osteoporosis",))),
    )
    assert not steps_on(plan, {"spine"})


@pytest.mark.parametrize("condition", ["recent-injury", "skin-irritation"])
def test_injuries_need_the_area_named(cat, condition):
    with pytest.raises(PlanError) as err:
        plan_session(cat, PlanRequest(minutes=20, profile=Profile(conditions=(condition,))))
    assert "--avoid" in err.value.message
    plan = plan_session(
        cat,
        PlanRequest(
            minutes=20,
            position="lying",
            profile=Profile(conditions=(condition,), avoid=("calves",)),
        ),
    )
    assert not steps_on(plan, {"calves"})


@pytest.mark.parametrize(("word", "top"), [("light", 3), ("medium", 5), ("firm", 7)])
def test_pressure_preference_is_a_ceiling(cat, word, top):
    plan = plan_session(cat, PlanRequest(minutes=30, profile=Profile(pressure=word)))
    assert max(s.pressure for s in plan.steps) <= top


def test_each_rule_is_a_named_function_that_works_alone(cat):
    limits = safety_limits(cat, Profile())
    CONDITION_RULES["caps"](cat.conditions["sciatica"], Profile(), cat, limits)
    assert limits.cap_for("glutes") == 3 and limits.cap_for("neck") == 5
    with pytest.raises(Refusal):
        CONDITION_RULES["refuse"](cat.conditions["fever"], Profile(), cat, limits)


@pytest.mark.parametrize(
    "profile", [Profile(focus=("elbow",)), Profile(avoid=("knee",)), Profile(conditions=("flu",))]
)
def test_unknown_names_list_the_valid_choices(cat, profile):
    with pytest.raises(PlanError) as err:
        plan_session(cat, PlanRequest(minutes=30, profile=profile))
    assert err.value.choices and err.value.exit_code == 2
