"""Each planner rule lives once and is worked out once: warming, leaving an area, the area
tally of the grow rounds, and the minutes a refusal says the steps fill (issue 10)."""

from __future__ import annotations

import re
from dataclasses import replace

from rubdown.core import compose, craft, shape_checks
from rubdown.core.catalogue import check_files, load_catalogue
from rubdown.core.fit_window import full_minutes
from rubdown.core.models import PlanError, PlanRequest, Profile
from rubdown.core.planner import plan_session
from rubdown.core.safety import safety_limits
from rubdown.core.stepspec import StepSpec, make_spec

CAT = load_catalogue()


def test_warming_and_a_light_entry_share_one_ceiling():
    for kind in ("glide", "stroke"):
        top = craft.warm_limit(kind)
        assert craft.warms(kind, top) and not craft.warms(kind, top + 1)
    plan = plan_session(CAT, PlanRequest(minutes=30))
    entries = [s for s in plan.steps if s.role == "entry"]
    assert entries
    assert all((s.pressure or 0) <= craft.warm_limit(s.technique_kind) for s in entries)


def test_a_routine_may_leave_an_area_on_its_own_light_stroke_and_a_generated_plan_may_not():
    assert craft.leaves_area("glide", 3, routine=True)
    assert not craft.leaves_area("glide", 3, routine=False)
    assert craft.leaves_area("stroke", 2, routine=False)
    assert not craft.leaves_area("knead", 2, routine=True)


def test_a_routine_area_ending_on_its_light_stroke_at_3_gets_no_added_flush():
    profile = Profile()
    limits = safety_limits(CAT, profile)
    position = CAT.positions["seated"]
    work = make_spec(CAT, CAT.techniques["long-glide"], "upper-back", position, profile, limits)
    at_3 = replace(work, pressure=3)
    assert craft.enter_and_flush(CAT, position, profile, limits, [at_3], routine=True) == [at_3]
    generated = craft.enter_and_flush(CAT, position, profile, limits, [at_3])
    assert generated[-1].role == "flush"


def _firm_work_twice(plan):
    """The plan with each step firmer than a touch, but not deep, done twice running."""
    segments, extra = [], 1000
    for group in shape_checks.step_groups(plan):
        segments += group
        kind, pressure = group[0].technique_kind, group[0].pressure
        if craft.needs_warmth(kind, pressure) and not craft.is_deep(kind, pressure):
            extra += 1
            segments += [replace(s, step_index=extra) for s in group]
    return replace(plan, segments=tuple(segments))


def test_the_warming_check_works_out_the_receivers_limits_once_per_plan(monkeypatch):
    plan = _firm_work_twice(plan_session(CAT, PlanRequest(minutes=60, position="face-up")))
    calls = []

    def counted(cat, profile):
        calls.append(profile)
        return safety_limits(cat, profile)

    monkeypatch.setattr(shape_checks, "safety_limits", counted)
    shape_checks.warms_before_deep_work(plan, CAT)
    assert len(calls) == 1
    calls.clear()
    shape_checks.warms_before_deep_work(plan_session(CAT, PlanRequest(minutes=30)), CAT)
    assert len(calls) <= 1


def test_each_grow_round_reuses_a_steps_least_seconds(monkeypatch):
    profile = Profile()
    limits = safety_limits(CAT, profile)
    position = CAT.positions["lying"]
    specs = compose.from_catalogue(CAT, position, profile, limits, 45 * 60.0, None, [])
    first = compose._crowded_area(specs, profile, 45 * 60.0)
    asked = []
    least_first_reps = StepSpec.least_first_reps

    def counted(spec, side):
        asked.append(spec)
        return least_first_reps(spec, side)

    monkeypatch.setattr(StepSpec, "least_first_reps", counted)
    assert compose._crowded_area(specs, profile, 45 * 60.0) == first
    compose._least_seconds(specs, 45 * 60.0)
    assert asked == []


def test_full_minutes_rounds_down():
    assert full_minutes(20.9 * 60) == 20
    assert full_minutes(21 * 60) == 21
    assert full_minutes(59) == 0


def test_too_little_work_never_says_the_steps_fill_the_minutes_asked():
    said = []
    for rid, routine in CAT.routines.items():
        for minutes in range(routine.minutes, 91):
            try:
                plan_session(CAT, PlanRequest(minutes=minutes, routine=rid))
            except PlanError as err:
                found = re.search(
                    r"for (\d+) minutes here: these steps fill at most (\d+)", err.message
                )
                if found:
                    said.append((rid, *map(int, found.groups())))
                    break  # the longer requests say the same steps' most
    assert said
    assert [s for s in said if s[2] >= s[1]] == []


def test_a_routine_file_says_the_minutes_its_steps_fill_rounded_down(tmp_path):
    glide = CAT.techniques["long-glide"]
    most = 2 * glide.reps.max * glide.seconds_per_rep
    step = "  - technique: long-glide\n    region: upper-back\n"
    path = tmp_path / "short.yaml"
    path.write_text("id: mine\nname: Mine\nposition: seated\nminutes: 60\nsteps:\n" + step * 2)
    messages = [p.message for p in check_files([path], CAT) if "fill at most" in p.message]
    assert messages
    assert f"fill at most {int(most // 60)} minutes" in messages[0], messages
