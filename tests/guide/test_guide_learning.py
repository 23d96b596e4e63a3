"""What a session teaches: firmer/lighter and feedback shape the receiver's next plan."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from guide_helpers import run_scripted

from rubdown.cli.guide_cmd import new_plan
from rubdown.cli.guide_view import ask_feedback
from rubdown.cli.main import cli
from rubdown.core.models import PlanRequest
from rubdown.core.planner import plan_session
from rubdown.store.repos import FeedbackRepo, PeopleRepo

OPTIONS = {
    "minutes": 10,
    "position": "seated",
    "routine": None,
    "focus": ("shoulders",),
    "avoid": (),
    "pressure": None,
    "conditions": (),
    "vary": None,
}


def shoulders(plan):
    # The opening and finishing glides stay at 1-2, so learning shows on the work steps.
    return [s for s in plan.steps if s.region == "shoulders" and s.role == "work"]


def guided(store, cat, plan, receiver, presses):
    sid, _, sessions, _ = run_scripted(store, cat, plan, presses, receiver=receiver)
    return sid, sessions.events(sid)


def test_firmer_on_the_shoulders_makes_the_next_plan_start_firmer_there(store, cat):
    PeopleRepo(store).add("Ann")
    PeopleRepo(store).record_screen("Ann", [], datetime.now(UTC))
    first = new_plan(store, cat, None, "Ann", OPTIONS)
    step = shoulders(first)[0]
    assert step.pressure < step.max_pressure
    _, events = guided(store, cat, first, "Ann", [(step.start_s + 2.0, "f")])
    firmer = next(e for e in events if e.kind == "firmer")
    assert firmer.region == "shoulders" and firmer.data["pressure"] == step.pressure + 1

    second = new_plan(store, cat, None, "Ann", OPTIONS)
    assert shoulders(second)[0].pressure == step.pressure + 1
    note = next(n for n in second.notes if "shoulders pressure" in n)
    assert "Ann" in note and "firmer" in note

    result = CliRunner().invoke(
        cli,
        [
            "guide",
            "--for",
            "Ann",
            "--minutes",
            "5",
            "--speed",
            "1000",
            "--voice",
            "none",
            "--no-ticks",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Learned from Ann's past sessions: shoulders pressure" in result.output


def test_lighter_lowers_it_and_a_too_firm_verdict_lowers_every_region(store, cat):
    PeopleRepo(store).add("Ann")
    PeopleRepo(store).record_screen("Ann", [], datetime.now(UTC))
    first = new_plan(store, cat, None, "Ann", OPTIONS)
    step = shoulders(first)[0]
    sid, _ = guided(store, cat, first, "Ann", [(step.start_s + 2.0, "l")])
    assert shoulders(new_plan(store, cat, None, "Ann", OPTIONS))[0].pressure == max(
        1, step.pressure - 1
    )
    FeedbackRepo(store).save(sid, overall=3, pressure_verdict="too-firm")
    assert shoulders(new_plan(store, cat, None, "Ann", OPTIONS))[0].pressure == max(
        1, step.pressure - 2
    )


def test_a_favourite_gets_more_room_and_a_note(store, cat):
    PeopleRepo(store).add("Ann")
    first = new_plan(store, cat, None, "Ann", OPTIONS)
    favourite = shoulders(first)[0].technique
    sid, _ = guided(store, cat, first, "Ann", [])
    FeedbackRepo(store).save(
        sid, overall=5, pressure_verdict="right", favourite_technique=favourite
    )
    second = new_plan(store, cat, None, "Ann", OPTIONS)
    assert any("favourite" in n.lower() for n in second.notes)
    before = sum(s.duration_s for s in first.steps if s.technique == favourite)
    after = sum(s.duration_s for s in second.steps if s.technique == favourite)
    assert after >= before


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("4\nf\n1\n", (4, "too-firm", 0)),
        ("9\n2\nr\n\n", (2, "right", None)),
        ("\nl\n\n", (None, "too-light", None)),
        ("\n\n\n", None),
    ],
)
def test_the_feedback_prompt_reads_rating_verdict_and_favourite(store, cat, typed, expected):
    plan = new_plan(store, cat, None, None, OPTIONS)
    with CliRunner().isolation(input=typed):
        answers = ask_feedback(plan)
    if expected is not None and expected[2] == 0:
        expected = (*expected[:2], plan.steps[0].technique)
    assert answers == expected


def test_the_favourite_list_offers_a_technique_once_though_its_name_differs_by_region(cat):
    # The long leg glide is named for where it is done: "up the thigh", "up the calf".
    plan = plan_session(cat, PlanRequest(minutes=30, position="lying"))
    glides = {s.technique_name for s in plan.steps if s.technique == "leg-glide"}
    assert len(glides) > 1
    with CliRunner().isolation(input="\n\n\n") as (out, _err, _):
        ask_feedback(plan)
    listed = [line for line in out.getvalue().decode().splitlines() if line.startswith("  ")]
    assert sum(any(name in line for name in glides) for line in listed) == 1
    assert len(listed) == len({s.technique for s in plan.steps if s.technique})
