"""The sheet draws each step's motion as numbered arrows on a close-up of its body map."""

from __future__ import annotations

import re

import pytest

from rubdown.core.models import PlanRequest
from rubdown.core.planner import plan_session
from rubdown.core.shapes import Box
from rubdown.paper import sheet_html
from rubdown.paper.sheet import sheet_context, sheet_steps
from rubdown.web.motionmap import focus_box, offset


@pytest.mark.parametrize("position", ["lying", "seated", "face-up"])
def test_every_step_map_shows_its_motion_as_arrows_one_and_two(cat, position):
    plan = plan_session(cat, PlanRequest(minutes=30, position=position))
    context = sheet_context(plan, cat)
    for step in context["steps"]:
        drawing = context["maps"][step.number]
        assert step.motion is not None
        arrows = re.findall(r'class="motion-arrow part-(\d)', drawing)
        assert arrows == ["1", "2"] * len(step.motion.strokes)
        # The map comes closer than the whole body, and keeps its proportions.
        view_box = re.search(r'viewBox="([^"]*)"', drawing)[1]
        width, height = (float(v) for v in view_box.split()[2:])
        assert height < 420 and width / height == pytest.approx(200 / 420, abs=0.01)


def test_the_sheet_names_both_parts_of_each_step(cat):
    plan = plan_session(cat, PlanRequest(routine="quick-neck-shoulders"))
    html = sheet_html(plan, cat)
    step = next(s for s in sheet_steps(plan, cat) if s.technique_name == "Outward shoulder strokes")
    assert step.motion.labels == ("Firm outward", "Light back toward the neck")
    assert '<span class="mark">1</span> Firm outward <span class="mark">2</span> Light back' in html


def test_a_per_side_step_draws_the_hands_of_both_sides(cat):
    plan = plan_session(cat, PlanRequest(minutes=30, position="lying"))
    step = next(s for s in sheet_steps(plan, cat) if s.count.endswith("each side"))
    assert len(step.motion.strokes) == 2


def test_a_return_along_the_same_line_is_drawn_beside_it():
    line = ((0.0, 0.0), (10.0, 0.0))
    assert offset(line, 2) == ((0.0, 2.0), (10.0, 2.0))


def test_the_close_up_stays_on_the_map():
    base = Box(0, 0, 200, 420)
    box = focus_box([Box(190, 400, 10, 20)], base)
    assert box.x + box.width <= 200.1 and box.y + box.height <= 420.1
