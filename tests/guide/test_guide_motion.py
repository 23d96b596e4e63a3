"""The terminal guide says where the hands go, in words, and which part of the stroke is on."""

from __future__ import annotations

import pytest

from rubdown.cli.guide_view import describe_start, stroke_now
from rubdown.core.models import PlanRequest
from rubdown.core.planner import plan_session


@pytest.fixture
def outward(cat):
    plan = plan_session(cat, PlanRequest(routine="quick-neck-shoulders"))
    return plan, next(s for s in plan.steps if s.technique == "shoulder-outward-strokes")


def test_a_step_starts_with_the_way_in_words(outward):
    plan, seg = outward
    assert describe_start(seg, plan).endswith(
        "With the palms: firm outward from the neck to the point of the shoulder, "
        "light back toward the neck."
    )


@pytest.mark.parametrize(
    ("into", "label"),
    [(0.0, "Firm outward"), (0.49, "Firm outward"), (0.5, "Light back toward the neck"),
     (0.99, "Light back toward the neck"), (1.2, "Firm outward")],
)  # fmt: skip
def test_the_label_follows_the_part_of_the_repetition(outward, into, label):
    _, seg = outward
    assert stroke_now(seg, seg.start_s + into * seg.seconds_per_rep) == label


def test_a_pause_between_steps_has_no_stroke(outward):
    plan, _ = outward
    pause = next(s for s in plan.segments if s.kind != "step")
    assert stroke_now(pause, pause.start_s) is None
    assert describe_start(pause, plan) == describe_start(pause)
