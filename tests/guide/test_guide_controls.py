"""The runner's controls on a simulated clock: re-fitted plans keep the end time, all journalled."""

from __future__ import annotations

import pytest
from guide_helpers import FakeClock, ScriptedKeys, run_scripted

from rubdown.cli.guide_runner import GuideRunner
from rubdown.core.models import PlanRequest
from rubdown.core.planner import plan_session
from rubdown.session.engine import RunningSession


@pytest.fixture(scope="module")
def plan(cat):
    return plan_session(cat, PlanRequest(minutes=10, position="seated", vary=5))


def step_time(plan, nth=2, into=3.0):
    """A moment `into` seconds into the nth step (counting from 0), and its index.

    The third step by default: past the opening glides (which stay at 1-2 whatever is asked)
    and past the first work, whose pressure may not climb further from the opening's.
    """
    index = [i for i, s in enumerate(plan.segments) if s.kind == "step"][nth]
    return plan.segments[index].start_s + into, index


def run_with_keys(store, plan, cat, presses):
    """Run the whole plan with keys pressed at clock offsets; returns runner, events, clock."""
    sid, runner, sessions, elapsed = run_scripted(store, cat, plan, presses)
    return runner, sessions.events(sid), elapsed, sessions.get(sid)


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("l", "lighter"),
        ("f", "firmer"),
        ("m", "more-time"),
        ("s", "segment-skipped"),
        ("b", "back"),
        ("n", "segment-finished"),
    ],
)
def test_each_control_refits_the_plan_and_keeps_the_end_time(store, plan, cat, key, kind):
    at, _index = step_time(plan)
    runner, events, elapsed, record = run_with_keys(store, plan, cat, [(at, key)])
    assert runner.outcome == "finished" and record.status == "finished"
    assert runner.plan.total_seconds == pytest.approx(plan.total_seconds, abs=0.01)
    assert elapsed == pytest.approx(plan.total_seconds, abs=0.01)
    pressed = [e for e in events if e.kind == kind and e.data and "plan" in e.data]
    assert len(pressed) == 1 and pressed[0].clock_s == pytest.approx(at)
    assert pressed[0].data["plan"]["total_seconds"] == pytest.approx(plan.total_seconds, abs=0.01)
    assert runner.plan != plan
    assert events[-1].kind == "finished"


@pytest.mark.parametrize(("key", "delta"), [("l", -1), ("f", +1)])
def test_lighter_and_firmer_change_this_and_later_steps_on_the_region(store, plan, cat, key, delta):
    at, index = step_time(plan)
    region = plan.segments[index].region
    runner, events, _, _ = run_with_keys(store, plan, cat, [(at, key)])
    here = [s for s in plan.segments[index:] if s.region == region and s.kind == "step"]
    after = [
        s.pressure for s in runner.plan.segments[index:] if s.region == region and s.kind == "step"
    ]
    assert after[0] == min(max(here[0].pressure + delta, 1), here[0].max_pressure)
    pressed = next(e for e in events if e.kind in ("lighter", "firmer"))
    assert pressed.region == region and pressed.data["pressure"] == after[0]


def test_more_time_makes_the_current_step_longer(store, plan, cat):
    at, index = step_time(plan)
    runner, _, _, _ = run_with_keys(store, plan, cat, [(at, "m")])
    assert runner.plan.segments[index].duration_s > plan.segments[index].duration_s


def test_space_pauses_and_resumes_and_the_session_ends_that_much_later(store, plan, cat):
    _runner, events, elapsed, _ = run_with_keys(store, plan, cat, [(30.0, " "), (90.0, " ")])
    assert elapsed == pytest.approx(plan.total_seconds + 60.0)
    kinds = [e.kind for e in events]
    assert kinds.count("paused") == 1 and kinds.count("resumed") == 1
    paused = next(e for e in events if e.kind == "paused")
    assert paused.clock_s == pytest.approx(30.0)


@pytest.mark.parametrize("key", ["x", "\x1b", "?", "1"])
def test_any_unknown_key_pauses(store, plan, cat, key):
    _runner, events, elapsed, _ = run_with_keys(
        store, plan, cat, [(20.0, key), (21.0, key), (50.0, " ")]
    )
    assert [e.kind for e in events].count("paused") == 1
    assert elapsed == pytest.approx(plan.total_seconds + 30.0)


def test_quit_needs_confirming(store, plan, cat):
    runner, events, _, record = run_with_keys(
        store, plan, cat, [(20.0, "q"), (25.0, "x"), (40.0, "q"), (41.0, "y")]
    )
    assert runner.outcome == "quit" and record.status == "quit"
    assert events[-1].kind == "quit"
    assert events[-1].clock_s == pytest.approx(40.0 - 5.0)  # paused 5 s at the first q


def test_next_on_the_last_segment_ends_the_session(store, plan, cat):
    last = plan.segments[-1]
    runner, events, elapsed, _ = run_with_keys(store, plan, cat, [(last.start_s + 2.0, "n")])
    assert runner.outcome == "finished"
    assert elapsed == pytest.approx(last.start_s + 2.0)
    assert [e.kind for e in events[-2:]] == ["segment-finished", "finished"]


def test_every_segment_start_is_journalled_in_order(store, plan, cat):
    _, events, _, _ = run_with_keys(store, plan, cat, [])
    starts = [e.segment_index for e in events if e.kind == "segment-started"]
    assert starts == list(range(len(plan.segments)))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))


class Recorder:
    """Sound, journal and display in one log, to check what happens in which order."""

    def __init__(self, clock, session):
        self.clock, self.session, self.log = clock, session, []
        self.refresh_s = None

    def __getattr__(self, name):
        return getattr(self.session, name)

    def speak(self, text):
        self.log.append(("speak", text, self.clock.now))

    def tick(self, kind):
        self.log.append(("tick", kind, self.clock.now))

    def say_soon(self, text):
        self.log.append(("say-soon", text, self.clock.now))

    def learn(self, plan):
        pass

    def record(self, kind, *args, **kwargs):
        event = self.session.record(kind, *args, **kwargs)
        self.log.append(("recorded", event.seq, self.clock.now))
        return event

    def finish(self, status, clock_s):
        self.session.finish(status, clock_s)

    def event(self, record, text):
        self.log.append(("shown", record.seq, self.clock.now))

    def cue(self, at_s, text):
        self.log.append(("cue-shown", text, self.clock.now))

    def message(self, text):
        pass

    def refresh(self, state, force):
        pass


def recorded_run(store, plan, cat, ticks=True):
    clock = FakeClock()
    rec = Recorder(clock, RunningSession.start(store, cat, plan))
    runner = GuideRunner(
        rec, rec, sound=rec, keys=ScriptedKeys(clock, []), clock=clock, ticks=ticks
    )
    start = clock.now
    runner.run()
    return rec.log, start


def test_sound_goes_first_and_every_event_is_recorded_before_it_is_shown(store, plan, cat):
    log, _ = recorded_run(store, plan, cat)
    recorded = set()
    for what, key, _ in log:
        if what == "recorded":
            recorded.add(key)
        elif what == "shown":
            assert key in recorded
    first_record = next(i for i, entry in enumerate(log) if entry[0] == "recorded")
    assert log[first_record - 1][0] in ("speak", "tick")
    spoken = [text for what, text, _ in log if what == "speak"]
    assert spoken[0] == plan.segments[0].say


def test_ticks_keep_the_technique_pace_down_then_up(store, plan, cat):
    log, start = recorded_run(store, plan, cat)
    ticks = [(kind, at - start) for what, kind, at in log if what == "tick"]
    step = plan.steps[0]
    mine = [(k, t) for k, t in ticks if step.start_s <= t < step.end_s - 1e-6]
    assert len(mine) == 2 * step.reps
    for rep in range(step.reps):
        (down, t_down), (up, t_up) = mine[2 * rep], mine[2 * rep + 1]
        assert (down, up) == ("down", "up")
        assert t_down == pytest.approx(step.start_s + rep * step.seconds_per_rep)
        assert t_up - t_down == pytest.approx(step.seconds_per_rep / 2)


def test_no_ticks_means_no_tick_sounds(store, plan, cat):
    log, _ = recorded_run(store, plan, cat, ticks=False)
    assert not any(what == "tick" for what, _, _ in log)


@pytest.mark.parametrize("seed", range(12))
def test_random_key_mashing_never_breaks_the_session_or_its_end_time(store, cat, seed):
    import random

    rng = random.Random(seed)
    plan = plan_session(cat, PlanRequest(minutes=rng.choice([5, 10, 20]), vary=seed))
    keys = "lfmsbn"
    presses = sorted((rng.uniform(0, plan.total_seconds), rng.choice(keys)) for _ in range(8))
    runner, events, elapsed, record = run_with_keys(store, plan, cat, presses)
    assert runner.outcome == "finished" and record.status == "finished"
    assert runner.plan.total_seconds == pytest.approx(plan.total_seconds, abs=0.01)
    assert elapsed <= plan.total_seconds + 0.01
    starts = [e.clock_s for e in events if e.kind == "segment-started"]
    assert starts == sorted(starts)


def checkin_time(plan):
    """A moment inside the first check-in."""
    seg = next(s for s in plan.segments if s.kind == "check-in")
    return seg.start_s + min(1.0, seg.duration_s / 2)


def test_saying_thats_good_at_a_check_in_goes_through_the_engine_by_voice(store, plan, cat):
    at = checkin_time(plan)
    runner, events, _elapsed, _record = run_with_keys(store, plan, cat, [(at, "voice:good")])
    answered = [e for e in events if e.kind == "check-in-answered"]
    assert len(answered) == 1 and answered[0].data["answer"] == "good"
    assert answered[0].data["by"] == "voice" and answered[0].clock_s == pytest.approx(at)
    assert runner.plan.total_seconds == pytest.approx(plan.total_seconds, abs=0.01)


def test_thats_good_outside_a_check_in_changes_and_journals_nothing(store, plan, cat):
    at, _index = step_time(plan)
    runner, events, _elapsed, _record = run_with_keys(store, plan, cat, [(at, "voice:good")])
    assert not [e for e in events if e.kind == "check-in-answered"]
    assert runner.plan == plan
