"""After a live change the words still leave most of each step for the work: a step with few
strokes left is named with its count, not explained again in full."""

from __future__ import annotations

import pytest

from rubdown.core import wording
from rubdown.core.adjust import apply_change
from rubdown.core.catalogue import load_catalogue
from rubdown.core.guidance import INTRO_SHARE, speech_seconds
from rubdown.core.layout import Chunk
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session
from rubdown.core.safety import safety_limits
from rubdown.core.stepspec import make_spec

CAT = load_catalogue()
PLANS = {
    "lying-30": PlanRequest(minutes=30, position="lying"),
    "forearms-20": PlanRequest(minutes=20, position="seated-forearms"),
    "face-up-30": PlanRequest(minutes=30, position="face-up"),
}


def _overlong(plan, now_s):
    return [
        s
        for s in plan.segments
        if s.start_s >= now_s - 1e-6
        and speech_seconds(s.say) > s.duration_s * (INTRO_SHARE if s.kind == "step" else 1) + 0.05
    ]


@pytest.mark.parametrize("name", sorted(PLANS))
@pytest.mark.parametrize("change", ["back", "skip", "more"])
def test_every_step_after_a_live_change_leaves_most_of_it_for_the_work(name, change):
    plan = plan_session(CAT, PLANS[name])
    steps = [i for i, s in enumerate(plan.segments) if s.kind == "step"]
    for i in steps[1::2]:
        seg = plan.segments[i]
        for share in (0.3, 0.9):
            now = seg.start_s + share * seg.duration_s
            new, _ = apply_change(plan, CAT, change, i, now)
            assert not _overlong(new, now), [
                (s.start_s, s.duration_s, s.say) for s in _overlong(new, now)
            ]


def _chunk(technique, region, reps, intro_reps):
    t, profile = CAT.techniques[technique], Profile()
    position = CAT.positions["face-up"]
    spec = make_spec(CAT, t, region, position, profile, safety_limits(CAT, profile))
    return Chunk(spec, reps, "left", 0, intro_reps)


def test_a_step_with_room_is_introduced_in_full():
    chunk = _chunk("foot-knead", "feet", 10, 10)
    spec = chunk.spec
    assert chunk.words("Foot kneading", "Feet") == spec.intro(10, "left")


@pytest.mark.parametrize(
    ("reps", "said"),
    [
        (3, "Foot kneading, left side: 10 times, pressure 3 of 10."),
        (1, "Foot kneading, left side: 10 times."),
    ],
)
def test_a_step_cut_short_is_named_with_its_count_in_words_that_fit(reps, said):
    chunk = _chunk("foot-knead", "feet", reps, 10)
    words = chunk.words("Foot kneading", "Feet")
    assert words == said.replace("pressure 3", f"pressure {chunk.spec.pressure}")
    assert speech_seconds(words) <= INTRO_SHARE * reps * chunk.spec.technique.seconds_per_rep


def test_carrying_on_with_one_stroke_left_says_only_the_count():
    chunk = _chunk("foot-knead", "feet", 1, None)
    assert chunk.words("Foot kneading", "Feet") == "Carry on: 1 more time."
    assert _chunk("foot-knead", "feet", 6, None).words("Foot kneading", "Feet") == (
        "Carry on with the foot kneading, 6 more times."
    )


def test_the_shortest_form_names_the_stroke_alone():
    assert wording.brief_forms(
        "Palm glide over the foot", "Palm glide over the foot, left side", 1, 2
    ) == (
        "Palm glide over the foot, left side: once, pressure 2 of 10.",
        "Palm glide over the foot, left side: once.",
        "Palm glide over the foot: once.",
    )
