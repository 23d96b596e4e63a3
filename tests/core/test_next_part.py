"""The giver's "next" ends this part of a step, not the step: the other side still comes
(found by a therapist's reading: "next" near the end of the left side dropped the right)."""

from __future__ import annotations

import pytest

from rubdown.core.catalogue import load_catalogue
from rubdown.core.invariants import check_plan
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session
from rubdown.session.changes import plan_change

CAT = load_catalogue()
SAID = (
    "says_cautions_where_they_matter",
    "explains_each_stroke_once",
    "says_the_stop_rule",
)


def plan(minutes, position):
    return plan_session(CAT, PlanRequest(minutes=minutes, position=position, profile=Profile()))


def left_sides(p):
    """Indices of a step's left side whose right side follows in the plan."""
    segs = p.segments
    return [
        i
        for i, s in enumerate(segs)
        if s.kind == "step"
        and s.side == "left"
        and any(
            t.kind == "step" and (t.step_index, t.side) == (s.step_index, "right")
            for t in segs[i + 1 :]
        )
    ]


def next_step(p, i):
    return next(s for s in p.segments[i + 1 :] if s.kind == "step")


@pytest.mark.parametrize("position", ["lying", "face-up", "seated", "seated-forearms"])
def test_next_on_the_left_side_goes_on_to_the_right_side_of_the_same_step(position):
    p = plan(30, position)
    lefts = left_sides(p)
    assert lefts
    for i in lefts:
        seg = p.segments[i]
        new, note = plan_change(p, CAT, "next", i, seg.end_s - 2)
        assert note == "Next step."
        after = next_step(new, i)
        assert (after.technique, after.region, after.side) == (seg.technique, seg.region, "right")
        assert new.total_seconds == pytest.approx(p.total_seconds)
        assert check_plan(new, CAT, SAID) == [], i


def test_skip_on_the_left_side_still_moves_on_from_the_whole_step():
    p = plan(30, "lying")
    i = left_sides(p)[0]
    seg = p.segments[i]
    new, _ = plan_change(p, CAT, "skip", i, seg.start_s + 2)
    assert not any(
        s.kind == "step" and (s.technique, s.region) == (seg.technique, seg.region)
        for s in new.segments[i + 1 :]
    )


def test_next_keeps_a_true_note_in_the_plan():
    p = plan(30, "lying")
    i = left_sides(p)[1]
    new, note = plan_change(p, CAT, "next", i, p.segments[i].start_s + 3)
    assert new.notes[-1] == note == "Next step."
