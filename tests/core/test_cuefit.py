"""Cues fit their moment: none talks over the next, optional ones give way, less talking."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rubdown.core.catalogue import load_catalogue
from rubdown.core.cuefit import (
    GAP_S,
    OPTIONAL_KINDS,
    fit_cues,
    less_talking,
    overruns,
    plan_cues,
)
from rubdown.core.models import Plan, PlanRequest
from rubdown.core.planner import plan_session
from rubdown.core.timeline import Cue, build_cues
from rubdown.core.wording import step_label

CAT = load_catalogue()
MINUTES = st.sampled_from([5, 10, 15, 20, 30, 45, 60])
POSITION = st.sampled_from(["any", "lying", "seated"])


def plan_for(minutes: int, position: str, vary: int) -> Plan:
    return plan_session(CAT, PlanRequest(minutes=minutes, position=position, vary=vary))


def test_an_announcement_waits_for_the_sentence_before_it() -> None:
    cues = [Cue(0.0, 0, "intro", "long"), Cue(5.0, 1, "intro", "next")]
    placed = fit_cues(cues, {"long": 6.0, "next": 2.0}.get, end_s=60.0)
    assert [c.at_s for c in placed] == [0.0, 6.0 + GAP_S]
    assert overruns(placed) == []


@pytest.mark.parametrize(
    ("halfway_at", "kept"),
    [(20.0, True), (9.5, False), (29.0, False)],  # clear / still talking / runs into the next
)
def test_optional_cues_give_way_to_announcements(halfway_at: float, kept: bool) -> None:
    cues = [
        Cue(0.0, 0, "intro", "intro"),
        Cue(halfway_at, 0, "halfway", "Halfway."),
        Cue(30.0, 1, "intro", "next"),
    ]
    placed = fit_cues(cues, {"intro": 10.0, "Halfway.": 1.0, "next": 3.0}.get, end_s=60.0)
    assert ("halfway" in [c.kind for c in placed]) is kept
    assert [c.at_s for c in placed if c.kind == "intro"] == [0.0, 30.0]


def test_slots_run_to_the_next_cue_and_the_last_to_the_end() -> None:
    cues = [Cue(0.0, 0, "intro", "a"), Cue(10.0, 1, "intro", "b")]
    placed = fit_cues(cues, lambda _: 1.0, end_s=25.0)
    assert [c.slot_s for c in placed] == [10.0, 15.0]


def test_less_talking_explains_a_technique_once() -> None:
    plan = plan_for(30, "lying", 1)
    full, brief = build_cues(plan), less_talking(plan, build_cues(plan))
    seen: set[str] = set()
    for a, b in zip(full, brief, strict=True):
        seg = plan.segments[a.segment]
        first_time = seg.technique not in seen
        if a.kind == "intro" and seg.kind == "step" and seg.technique:
            seen.add(seg.technique)
            if first_time:
                assert b.text == a.text
        if b.text != a.text:
            assert not first_time and len(b.text) < len(a.text) / 2
            label = step_label(seg.technique_name or "", seg.region_name or "", seg.side)
            assert b.text.startswith(f"{label}:")
            assert f"{seg.reps} times" in b.text
    assert any(a.text != b.text for a, b in zip(full, brief, strict=True))


def test_without_durations_the_timeline_is_unchanged() -> None:
    plan = plan_for(20, "any", 2)
    assert plan_cues(plan) == build_cues(plan)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    minutes=MINUTES,
    position=POSITION,
    vary=st.integers(0, 50),
    pace=st.floats(0.02, 0.12),
    less=st.booleans(),
)
def test_no_cue_talks_over_the_next_whatever_the_durations(
    minutes: int, position: str, vary: int, pace: float, less: bool
) -> None:
    plan = plan_for(minutes, position, vary)
    cues = less_talking(plan, build_cues(plan)) if less else build_cues(plan)

    def seconds(text: str) -> float:
        return len(text) * pace  # from brisk (50 chars/s) to slow (8 chars/s)

    placed = fit_cues(cues, seconds, plan.total_seconds)
    assert [c for c in placed[:-1] if c.seconds + GAP_S > c.slot_s + 0.002] == []
    majors = [c.at_s for c in placed if c.kind not in OPTIONAL_KINDS]
    for cue in placed:
        if cue.kind in OPTIONAL_KINDS:  # "halfway" and "last three" never talk over one
            assert not any(cue.at_s <= t < cue.at_s + cue.seconds + GAP_S for t in majors)
    kept_majors = [c for c in placed if c.kind not in OPTIONAL_KINDS]
    assert len(kept_majors) == sum(c.kind not in OPTIONAL_KINDS for c in cues)


@pytest.mark.parametrize(
    ("clock_s", "expected"), [(0.5, "a"), (2.5, None), (10.2, "b"), (30, None)]
)
def test_speaking_at_names_the_cue_being_said(clock_s: float, expected: str | None) -> None:
    from rubdown.core.cuefit import speaking_at

    placed = fit_cues(
        [Cue(0.0, 0, "intro", "a"), Cue(10.0, 1, "intro", "b")], {"a": 2.0, "b": 1.0}.get, 40.0
    )
    found = speaking_at(placed, clock_s)
    assert (found.text if found else None) == expected
