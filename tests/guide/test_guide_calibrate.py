"""`rubdown guide --calibrate`: the pressure check answered by key or voice, simulated clock."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from guide_helpers import ListDisplay, run_scripted

from rubdown.core.calibrate import CHECK_ROUNDS, check_index, check_pressure
from rubdown.core.models import PlanRequest
from rubdown.core.planner import plan_session
from rubdown.session.engine import RunningSession


@pytest.fixture(scope="module")
def plan(cat):
    return plan_session(cat, PlanRequest(minutes=20, position="lying", calibrate=True, vary=3))


def at_check(plan, into):
    """A moment `into` seconds into the plan's pressure check."""
    return plan.segments[check_index(plan)].start_s + into


def work_pressures(plan):
    """The pressures of the working steps after the check."""
    start = check_index(plan)
    return [s.pressure for s in plan.segments[start:] if s.kind == "step" and s.role == "work"]


def checked(store, cat, plan, presses):
    """Run the plan with presses; the runner, its pressure-checked events, and the session id."""
    display = ListDisplay()
    sid, runner, sessions, _ = run_scripted(store, cat, plan, presses, display=display)
    events = [e for e in sessions.events(sid) if e.kind == "pressure-checked"]
    return runner, events, sid, display


def test_the_check_tells_the_giver_the_first_working_pressure(plan):
    say = plan.segments[check_index(plan)].say
    assert f"at a {check_pressure(plan)}," in say and "less, more, or right" in say


@pytest.mark.parametrize(
    ("keys", "shift", "by"),  # the first working step (a 3) has room both ways
    [
        (("l", "r"), -1, "receiver"),
        (("m", "m", "r"), +2, "receiver"),
        (("f",), +1, "receiver"),
        (("voice:lighter", "voice:lighter", "voice:good"), -2, "voice"),
        (("voice:firmer", "voice:good"), +1, "voice"),
    ],
)
def test_answers_at_the_check_shift_the_work_and_are_journalled(store, cat, plan, keys, shift, by):
    presses = [(at_check(plan, 2 + 6 * n), key) for n, key in enumerate(keys)]
    runner, events, _sid, _ = checked(store, cat, plan, presses)
    assert runner.outcome == "finished"
    assert runner.plan.total_seconds == pytest.approx(plan.total_seconds, abs=0.01)
    before, after = work_pressures(plan), work_pressures(runner.plan)
    # Within the first working step's own limit (its plan changes as the rules do).
    first = next(
        s for s in plan.segments[check_index(plan) :] if s.kind == "step" and s.role == "work"
    )
    assert after[0] == min(max(before[0] + shift, 1), first.max_pressure)
    assert all(
        new <= old + shift if shift > 0 else new < old or new == 1
        for old, new in zip(before, after, strict=True)
    )
    assert [e.data["by"] for e in events] == [by] * len(keys)
    assert [e.data["round"] for e in events] == list(range(1, len(keys) + 1))
    assert events[-1].data["done"] == (keys[-1] in ("r", "voice:good"))
    assert all(e.segment_index == check_index(plan) for e in events)


def test_a_resumed_session_rebuilds_the_checked_plan(store, cat, plan):
    runner, _events, sid, _ = checked(store, cat, plan, [(at_check(plan, 3), "m")])
    assert work_pressures(runner.plan) != work_pressures(plan)
    assert RunningSession.load(store, cat, sid).plan == runner.plan


def test_answers_after_right_or_the_last_round_change_nothing(store, cat, plan):
    keys = ["m"] * (CHECK_ROUNDS + 2)
    presses = [(at_check(plan, 2 + 4 * n), key) for n, key in enumerate(keys)]
    runner, events, _sid, _ = checked(store, cat, plan, presses)
    assert len(events) == CHECK_ROUNDS and events[-1].data["done"]
    first = next(s for s in plan.segments[check_index(plan) :] if s.role == "work")
    top = first.max_pressure or 10
    assert work_pressures(runner.plan)[0] == min(first.pressure + CHECK_ROUNDS, top)

    presses = [(at_check(plan, 2), "r"), (at_check(plan, 8), "l")]
    runner, events, _sid, _ = checked(store, cat, plan, presses)
    assert [e.data["answer"] for e in events] == ["right"]
    assert runner.plan.segments == plan.segments


def test_the_pressure_keys_change_steps_again_once_the_check_is_over(store, cat, plan):
    step = next(s for s in plan.segments[check_index(plan) :] if s.role == "work")
    runner, events, _sid, _ = checked(store, cat, plan, [(step.start_s + 3, "l")])
    assert events == []
    assert any(e.kind == "lighter" for e in runner.session.repo.events(runner.session.session_id))


def test_guide_calibrate_runs_the_check_from_the_command_line(data_dir):
    from rubdown.cli.main import cli

    args = ["guide", "--minutes", "10", "--calibrate", "--speed", "1000", "--voice", "none"]
    result = CliRunner().invoke(cli, [*args, "--no-ticks"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Pressure check" in result.output and "less, more, or right" in result.output
