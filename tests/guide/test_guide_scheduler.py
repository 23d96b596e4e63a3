"""CueScheduler: order, absolute times (no drift), speed, pause, jump and plan replacement."""

from __future__ import annotations

import random

import pytest
from guide_helpers import FakeClock

from rubdown.core import adjust
from rubdown.core.models import PlanRequest
from rubdown.core.planner import plan_session
from rubdown.core.scheduler import CUE, END, SEGMENT, TICK, CueScheduler, plan_events


@pytest.fixture(scope="module")
def plan(cat):
    return plan_session(cat, PlanRequest(minutes=10, position="seated", vary=3))


def drain(sched, clock, handling=lambda: 0.0):
    """Run the scheduler to the end like the runner: sleep to next_due, pop, spend time handling."""
    out = []
    while not sched.finished:
        due = sched.next_due()
        clock.now = max(clock.now, due)
        for event in sched.pop_due():
            out.append((event, clock.now - sched.due_time(event)))
            clock.now += handling()
    return out


def test_events_come_in_time_order_with_segment_before_its_cues(plan):
    clock = FakeClock()
    sched = CueScheduler(plan, clock)
    sched.start()
    got = [e for e, _ in drain(sched, clock)]
    assert got == plan_events(plan)
    assert [e.at_s for e in got] == sorted(e.at_s for e in got)
    starts = [e for e in got if e.kind == SEGMENT]
    assert [e.segment for e in starts] == list(range(len(plan.segments)))
    for seg_event in starts:
        first_at_that_time = next(e for e in got if e.at_s == seg_event.at_s)
        assert first_at_that_time.kind == SEGMENT
    assert got[-1].kind == END and got[-1].at_s == pytest.approx(plan.total_seconds)


@pytest.mark.parametrize(("ticks", "expect"), [(True, True), (False, False)])
def test_ticks_can_be_left_out(plan, ticks, expect):
    clock = FakeClock()
    sched = CueScheduler(plan, clock, ticks=ticks)
    sched.start()
    assert any(e.kind == TICK for e, _ in drain(sched, clock)) is expect


def test_slow_handling_does_not_drift_the_schedule(plan):
    clock = FakeClock()
    sched = CueScheduler(plan, clock)
    sched.start()
    origin = clock.now
    rng = random.Random(1)
    handled = drain(sched, clock, handling=lambda: rng.uniform(0.0, 0.004))
    # Each event is due at origin + at_s exactly, however late the ones before it were.
    for event, _ in handled:
        assert sched.due_time(event) == pytest.approx(origin + event.at_s, abs=1e-9)
    end = handled[-1][0]
    assert sched.due_time(end) - origin == pytest.approx(plan.total_seconds, abs=1e-9)
    # Lateness stays bounded by the handling of one instant's batch, it never accumulates.
    assert max(late for _, late in handled) < 0.2


@pytest.mark.parametrize("speed", [1.0, 2.5, 30.0, 600.0])
def test_speed_runs_the_session_clock_faster(plan, speed):
    clock = FakeClock()
    sched = CueScheduler(plan, clock, speed=speed)
    sched.start()
    start = clock.now
    drain(sched, clock)
    assert clock.now - start == pytest.approx(plan.total_seconds / speed)


def test_pause_stops_the_clock_and_resume_shifts_every_later_event(plan):
    clock = FakeClock()
    sched = CueScheduler(plan, clock)
    sched.start()
    start = clock.now
    clock.now += 20.0
    sched.pop_due()
    sched.pause()
    clock.now += 300.0
    assert sched.pop_due() == [] and sched.next_due() is None
    assert sched.position_s == pytest.approx(20.0)
    sched.resume()
    drain(sched, clock)
    assert clock.now - start == pytest.approx(plan.total_seconds + 300.0)


def test_jump_moves_the_clock_to_a_segment_start(plan):
    clock = FakeClock()
    sched = CueScheduler(plan, clock)
    sched.start()
    sched.jump(3)
    first = sched.pop_due()
    assert first[0].kind == SEGMENT and first[0].segment == 3
    assert sched.position_s == pytest.approx(plan.segments[3].start_s)


def test_starting_mid_segment_announces_that_segment_now(plan):
    step = next(i for i, s in enumerate(plan.segments) if s.kind == "step" and i > 0)
    at = plan.segments[step].start_s + 5.0
    clock = FakeClock()
    sched = CueScheduler(plan, clock)
    sched.start(at)
    first = sched.pop_due()
    assert [(e.kind, e.segment, e.at_s) for e in first[:2]] == [
        (SEGMENT, step, at),
        (CUE, step, at),
    ]
    assert all(e.at_s >= at for e in first)


def test_a_pressure_change_keeps_the_current_segment_without_reannouncing(plan):
    clock = FakeClock()
    sched = CueScheduler(plan, clock)
    sched.start()
    step = next(i for i, s in enumerate(plan.segments) if s.kind == "step")
    clock.now += plan.segments[step].start_s + 1.0
    sched.pop_due()
    new, _ = adjust.change_pressure(plan, step, +1)
    sched.replace_plan(new)
    rest = drain(sched, clock)
    assert not any(e.kind == SEGMENT and e.segment == step for e, _ in rest)
    assert rest[-1][0].at_s == pytest.approx(plan.total_seconds)


def test_a_skip_starts_the_next_step_at_once_and_ends_on_time(plan, cat):
    clock = FakeClock()
    sched = CueScheduler(plan, clock)
    sched.start()
    step = next(i for i, s in enumerate(plan.segments) if s.kind == "step")
    clock.now += plan.segments[step].start_s + 4.0
    sched.pop_due()
    new, _ = adjust.skip(plan, cat, step, sched.position_s)
    sched.replace_plan(new)
    now = clock.now
    first = sched.pop_due()
    assert first and first[0].kind == SEGMENT and clock.now == now
    assert new.segments[first[0].segment].technique != plan.segments[step].technique or (
        new.segments[first[0].segment].start_s > plan.segments[step].start_s
    )
    rest = drain(sched, clock)
    assert rest[-1][0].at_s == pytest.approx(plan.total_seconds)


def test_speed_must_be_positive(plan):
    with pytest.raises(ValueError, match="speed"):
        CueScheduler(plan, FakeClock(), speed=0)


def _renumbered_by_more(cat):
    """A plan and a step that 'more' one second in gives a new step number."""
    for position in ("side-lying", "lying", "seated-forearms", "face-up"):
        p = plan_session(cat, PlanRequest(minutes=30, position=position))
        for i, seg in enumerate(p.segments):
            if seg.kind != "step":
                continue
            new, _ = adjust.more_time(p, cat, i)
            if new is not p and new.segments[i].step_index != seg.step_index:
                return p, i, new
    raise AssertionError("no renumbering re-fit found")


def test_more_time_on_a_renumbered_step_does_not_announce_it_again(cat):
    plan, step, new = _renumbered_by_more(cat)
    clock = FakeClock()
    sched = CueScheduler(plan, clock)
    sched.start()
    clock.now += plan.segments[step].start_s + 1.0
    sched.pop_due()
    sched.replace_plan(new)
    rest = [e for e, _ in drain(sched, clock)]
    assert not any(e.segment == step and (e.kind == SEGMENT or e.name == "intro") for e in rest)
