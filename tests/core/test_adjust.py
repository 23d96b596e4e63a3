"""Live adjustments re-fit the plan and keep the end time; the timeline of cues."""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from rubdown.core import adjust
from rubdown.core.catalogue import load_catalogue
from rubdown.core.fit_window import TooLittleWork
from rubdown.core.invariants import INVARIANTS
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session
from rubdown.core.stepspec import TURN_SIDES
from rubdown.core.timeline import (
    MIN_REPS_FOR_HALFWAY,
    build_cues,
    build_ticks,
    segment_at,
    spoken_texts,
)

CAT = load_catalogue()


@pytest.fixture(scope="module")
def plan(cat):
    return plan_session(cat, PlanRequest(minutes=20, position="lying"))


def a_middle_step(plan):
    # The start of a step (a change during its right side leaves the left side done).
    steps = [i for i, s in enumerate(plan.segments) if s.kind == "step" and s.side != "right"]
    return steps[len(steps) // 2]


def back_to_back(plan):
    return all(
        abs(a.end_s - b.start_s) < 0.01
        for a, b in zip(plan.segments, plan.segments[1:], strict=False)
    )


@pytest.mark.parametrize("change", ["more", "skip", "back"])
def test_changes_keep_the_end_time_and_the_timeline_whole(cat, plan, change):
    i = a_middle_step(plan)
    now = plan.segments[i].start_s + 5
    new, note = {
        "more": lambda: adjust.more_time(plan, cat, i),
        "skip": lambda: adjust.skip(plan, cat, i, now),
        "back": lambda: adjust.back(plan, cat, i, now),
    }[change]()
    assert abs(new.total_seconds - plan.total_seconds) <= 10
    assert back_to_back(new)
    assert note in new.notes
    assert new.segments[:i] == plan.segments[:i]


def test_more_time_makes_the_current_step_longer(cat, plan):
    i = a_middle_step(plan)
    new, _ = adjust.more_time(plan, cat, i)
    assert new.segments[i].duration_s > plan.segments[i].duration_s
    assert new.segments[i].reps > plan.segments[i].reps


def test_skip_gives_the_freed_time_to_the_rest(cat, plan):
    i = a_middle_step(plan)
    new, _ = adjust.skip(plan, cat, i, plan.segments[i].start_s + 1)
    later_old = sum(s.duration_s for s in plan.segments[i + 1 :] if s.kind == "step")
    later_new = sum(s.duration_s for s in new.segments[i:] if s.kind == "step")
    assert later_new > later_old - 1


def test_back_repeats_the_previous_step(cat, plan):
    i = a_middle_step(plan)
    new, note = adjust.back(plan, cat, i, plan.segments[i].start_s)
    current = plan.segments[i].step_index
    previous = [s for s in plan.segments[:i] if s.kind == "step" and s.step_index != current][-1]
    first_new_step = next(s for s in new.segments[i:] if s.kind == "step")
    assert first_new_step.technique == previous.technique
    assert "Back to" in note


@pytest.mark.parametrize(("delta", "word"), [(-1, "Lighter"), (1, "Firmer")])
def test_lighter_and_firmer_change_this_and_later_steps_on_the_region(plan, delta, word):
    i = next(
        i
        for i, s in enumerate(plan.segments)
        if s.kind == "step" and 2 <= s.pressure < s.max_pressure
    )
    region = plan.segments[i].region
    new, note = adjust.change_pressure(plan, i, delta)
    assert note.startswith(word)
    for old, seg in zip(plan.segments, new.segments, strict=False):
        moved = seg.start_s >= plan.segments[i].start_s and seg.region == region
        expected = old.pressure + delta if moved and old.kind == "step" else old.pressure
        if moved and old.kind == "step":
            expected = min(max(expected, 1), old.max_pressure)
            # Firmer never jumps more than 2 above the steps either side.
            steps = [s for s in plan.segments if s.kind == "step"]
            k = next(k for k, s in enumerate(steps) if s.start_s == old.start_s)
            near = [steps[j].pressure for j in (k - 1, k + 1) if 0 <= j < len(steps)]
            expected = min([expected, *(p + 2 for p in near)]) if delta > 0 else expected
        assert seg.pressure == expected


def test_firmer_never_goes_past_the_safe_limit(plan):
    i = next(i for i, s in enumerate(plan.segments) if s.kind == "step")
    current = plan
    for _ in range(12):
        current, _ = adjust.change_pressure(current, i, 1)
    assert current.segments[i].pressure == plan.segments[i].max_pressure
    again, note = adjust.change_pressure(current, i, 1)
    assert again is current and "limit" in note


def _long_step_plan(cat):
    """The shortest lying session with a step long enough for 'halfway' (and 'last three')."""
    for minutes in range(30, 61, 5):
        plan = plan_session(cat, PlanRequest(minutes=minutes, position="lying"))
        if any(s.reps >= MIN_REPS_FOR_HALFWAY for s in plan.steps):
            return plan
    raise AssertionError("no lying session of 30 to 60 minutes has a step of 10 or more")


def test_cues_and_ticks_follow_the_plan(cat):
    plan = _long_step_plan(cat)
    cues = build_cues(plan)
    assert [c.at_s for c in cues] == sorted(c.at_s for c in cues)
    assert sum(c.kind == "intro" for c in cues) == len(plan.segments)
    long = {i for i, s in enumerate(plan.segments) if (s.reps or 0) >= MIN_REPS_FOR_HALFWAY}
    assert {c.segment for c in cues if c.kind == "halfway"} == long
    assert any(c.kind == "last-three" for c in cues)
    ticks = build_ticks(plan)
    reps = sum(s.reps for s in plan.steps)
    assert len(ticks) == 2 * reps
    assert {t.kind for t in ticks} == {"down", "up"}
    assert len(spoken_texts(plan)) == len(set(spoken_texts(plan)))


def test_segment_at_finds_the_running_segment(plan):
    for i, seg in enumerate(plan.segments):
        assert segment_at(plan, seg.start_s + seg.duration_s / 2) == i


ACTIONS = st.sampled_from(["lighter", "firmer", "more", "skip", "back"])


@settings(deadline=None)
@given(
    minutes=st.integers(5, 60),
    position=st.sampled_from(sorted(CAT.positions)),
    conditions=st.lists(
        st.sampled_from(["slipped-disc", "varicose-veins", "osteoporosis"]), max_size=2, unique=True
    ),
    actions=st.lists(st.tuples(ACTIONS, st.floats(0, 1)), min_size=1, max_size=4),
)
# Found: going back onto a low back with under a stroke's time left still gave it one stroke.
@example(
    56,
    "seated",
    ["slipped-disc", "osteoporosis"],
    [("back", 0.5176), ("back", 0.5364), ("back", 0.5445)],
)
@example(
    56,
    "seated",
    ["slipped-disc", "osteoporosis"],
    [("more", 0.4766), ("more", 0.5048), ("back", 0.5342)],
)
@example(
    56,
    "seated",
    ["slipped-disc", "osteoporosis"],
    [("skip", 0.4036), ("more", 0.4289), ("back", 0.4634)],
)
# Found: side-lying re-fits put the steps done on the first side after the finish, so the
# limit left out a low-back step and the second side lost its order.
@example(
    20,
    "side-lying",
    ["slipped-disc"],
    [("back", 0.27), ("more", 0.56), ("back", 0.9972)],
)
@example(45, "side-lying", ["slipped-disc"], [("skip", 0.1414)])
# Found: a skip late in the words before the finish, said again, left no time for the
# finish; it is now done shorter rather than left out.
@example(29, "lying", ["slipped-disc"], [("skip", 1.0)])
# Found: re-fits renumber steps, so "back" by step number went back across the turn.
@example(
    16,
    "side-lying",
    [],
    [("back", 0.4034), ("skip", 0.0), ("more", 0.9943), ("more", 0.0673), ("back", 0.5931)],
)
def test_any_chain_of_changes_ends_on_time_and_stays_safe(minutes, position, conditions, actions):
    cat = CAT
    request = PlanRequest(
        minutes=minutes, position=position, profile=Profile(conditions=tuple(conditions))
    )
    try:
        plan = plan_session(cat, request)
    except TooLittleWork:
        # A chair session with few safe techniques cannot fill every length: a clear refusal.
        assume(False)
    end, finish = plan.total_seconds, plan.steps[-1]
    for action, where in actions:
        now = where * end * 0.95
        index = segment_at(plan, now)
        if action == "skip" and plan.segments[index].step_index == plan.steps[-1].step_index:
            finish = None  # the finish itself skipped: the step before ends the session
        plan, note = adjust.apply_change(plan, CAT, action, index, now)
        assert note
        assert plan.total_seconds == pytest.approx(end, abs=0.01)
        assert back_to_back(plan) and all(s.duration_s > 0 for s in plan.segments)
        for name in ("within_safety_limits", "never_presses_the_spine", "ends_with_closing"):
            assert INVARIANTS[name](plan, cat) == [], name
        # The light finish stays the last step, and a turning position turns over once.
        last = plan.steps[-1]
        assert finish is None or (last.technique, last.region) == (finish.technique, finish.region)
        if cat.positions[position].turns:
            sides = [s.side for s in plan.steps]
            assert sides == sorted(sides, key=TURN_SIDES.index), sides


def test_a_change_during_the_right_side_does_not_do_the_left_side_again(cat, plan):
    i = next(
        k
        for k, s in enumerate(plan.segments)
        if s.kind == "step" and s.side == "right" and plan.segments[k - 1].side == "left"
    )
    step = plan.segments[i].step_index
    new, _ = adjust.more_time(plan, cat, i)
    assert new.segments[:i] == plan.segments[:i]
    again = [s.side for s in new.segments[i:] if s.kind == "step" and s.step_index == step]
    assert again and "left" not in again, again
    assert new.segments[i].side == "right" and new.segments[i].reps > plan.segments[i].reps


def test_more_on_a_region_kept_short_adds_the_strokes_it_says_and_stays_under_the_cap(cat):
    profile = Profile(conditions=("slipped-disc", "osteoporosis"))
    plan = plan_session(cat, PlanRequest(minutes=56, position="seated", profile=profile))
    i = next(
        k for k, s in enumerate(plan.segments) if s.region == "lower-back" and s.kind == "step"
    )
    for _ in range(4):
        before = plan.segments[i].reps or 0
        plan, note = adjust.more_time(plan, cat, i)
        if "stays short" in note:
            break
        added = (plan.segments[i].reps or 0) - before
        assert f": {added} more stroke{'s' if added > 1 else ''};" in note and added > 0, note
        assert INVARIANTS["within_safety_limits"](plan, cat) == []
    assert "stays short" in note


@pytest.fixture(scope="module")
def side_lying(cat):
    return plan_session(cat, PlanRequest(minutes=30, position="side-lying"))


def _passes(steps, side):
    return [(s.technique, s.region) for s in steps if s.side == side]


@pytest.mark.parametrize("change", ["more", "skip", "back"])
def test_a_change_on_the_first_side_keeps_the_second_side_in_its_planned_order(
    cat, side_lying, change
):
    first, second = TURN_SIDES
    starts = [i for i, s in enumerate(side_lying.segments) if s.kind == "step" and s.side == first]
    i = starts[len(starts) // 2]
    new, _ = adjust.apply_change(side_lying, cat, change, i, side_lying.segments[i].start_s + 2)
    planned = _passes(side_lying.steps, second)
    after = _passes(new.steps, second)
    # Re-fitted steps may drop out, never move: the second side is the plan's, in order.
    assert after == [p for p in planned if p in after] and after[-1] == planned[-1]
    assert len(after) >= len(planned) - 2


def test_back_lying_on_one_side_repeats_the_step_on_that_side_only(cat, side_lying):
    first, second = TURN_SIDES
    segs = side_lying.segments
    steps = [i for i, s in enumerate(segs) if s.kind == "step"]
    # Where a step begins (not a later part of a step split in two), on each side.
    begins = [
        k for j, k in enumerate(steps) if j and segs[steps[j - 1]].step_index != segs[k].step_index
    ]
    for side in (first, second):
        i = [k for k in begins if segs[k].side == side][3]
        new, note = adjust.back(side_lying, cat, i, segs[i].start_s + 2)
        previous = segs[[k for k in steps if k < i][-1]]
        again = next(s for s in new.segments[i + 1 :] if s.kind == "step")  # i: the part done
        assert "Back to" in note and again.side == side
        assert (again.technique, again.region) == (previous.technique, previous.region)
        assert _passes(new.steps, first).count((again.technique, again.region)) == _passes(
            side_lying.steps, first
        ).count((again.technique, again.region)) + (side == first)
