"""What the guide writes and asks: split steps, what comes next, the quit question, feedback."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from guide_helpers import run_scripted

from rubdown.cli.guide_cmd import feedback
from rubdown.cli.guide_view import _next_text, ask_feedback, describe
from rubdown.core import adjust
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session
from rubdown.store.repos import FeedbackRepo


@pytest.fixture(scope="module")
def plan(cat):
    # Check-ins come between steps; only a step stretched by "more here" past the time between
    # two is split around one.
    planned = plan_session(
        cat, PlanRequest(minutes=20, position="lying", profile=Profile(focus=("shoulders",)))
    )
    work = next(i for i, s in enumerate(planned.segments) if s.role == "work")
    return adjust.more_time(planned, cat, work, 240.0)[0]


class TextDisplay:
    """Keeps each event's kind and the text shown with it."""

    refresh_s = None

    def __init__(self):
        self.lines, self.messages = [], []

    def event(self, record, text):
        self.lines.append((record.kind, text))

    def cue(self, at_s, text):
        pass

    def message(self, text):
        self.messages.append(text)

    def refresh(self, state, force):
        pass


def guided(store, cat, plan, presses):
    display = TextDisplay()
    sid, runner, _, _ = run_scripted(store, cat, plan, presses, display=display)
    return sid, runner, display


def split_step(plan):
    """The parts of the first step split around a check-in."""
    for seg in plan.steps:
        parts = [
            s
            for s in plan.steps
            if (s.step_index, s.side) == (seg.step_index, seg.side) and s is not seg
        ]
        if parts:
            return [seg, *parts]
    raise AssertionError("the plan has no split step")


def test_a_step_split_by_a_check_in_shows_the_part_and_the_step_total(plan):
    first, second = split_step(plan)[:2]
    total = first.reps + second.reps
    assert f"{first.reps} of {total} times" in describe(first, plan)
    assert f"{second.reps} more of {total} times" in describe(second, plan)
    assert f"{total} times" in first.say  # what the voice says


def test_the_plain_log_of_a_split_step_matches_what_is_said(store, cat, plan):
    first, second = split_step(plan)[:2]
    _, _, display = guided(store, cat, plan, [])
    started = [text for kind, text in display.lines if kind == "segment-started"]
    assert f"{first.reps} of {first.reps + second.reps} times" in "\n".join(started)


def test_next_names_a_check_in_when_one_comes_next(plan):
    index = next(
        i
        for i, s in enumerate(plan.segments[:-1])
        if s.kind == "step" and plan.segments[i + 1].kind == "check-in"
    )
    assert _next_text(plan, index, plan.segments[index].start_s).startswith(
        "Next: Check in with your partner"
    )


def test_the_quit_question_is_logged_as_a_question(store, cat, plan):
    at = plan.steps[0].start_s + 2.0
    _, runner, display = guided(store, cat, plan, [(at, "q"), (at + 1, "x")])
    paused = [text for kind, text in display.lines if kind == "paused"]
    assert paused and paused[0].startswith("quit?") and "q or y" in paused[0]
    assert runner.outcome == "finished"


def test_quitting_while_paused_still_asks_the_question(store, cat, plan):
    at = plan.steps[0].start_s + 2.0
    _, runner, display = guided(store, cat, plan, [(at, " "), (at + 1, "q"), (at + 2, "y")])
    assert any(m.startswith("Quit?") for m in display.messages)
    assert runner.outcome == "quit"


def test_after_a_quit_only_started_steps_can_be_the_favourite(store, cat, plan):
    first = plan.steps[0]
    at = first.start_s + 2.0
    sid, runner, _ = guided(store, cat, plan, [(at, "q"), (at + 1, "y")])
    later = {s.technique_name for s in plan.steps} - {first.technique_name}
    with CliRunner().isolation(input="\n\n2\n1\n") as (out, _err, _output):
        feedback(store, sid, runner.plan)
    shown = out.getvalue().decode()
    choices = [line.strip() for line in shown.splitlines() if re.match(r"\s+\d+\. ", line)]
    assert choices == [f"1. {first.technique_name}"]
    assert not any(name in shown for name in later)
    assert FeedbackRepo(store).get(sid).favourite_technique == first.technique


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("4\nx\nf\n\n", (4, "too-firm", None)),
        ("\nbad\ntoo firm\n\n", (None, "too-firm", None)),
        ("\n\nr\n1\n", (None, None, 0)),
        ("\n\n99\n\n", None),
    ],
)
def test_every_feedback_question_asks_again_after_a_bad_answer(plan, typed, expected):
    with CliRunner().isolation(input=typed) as (out, _err, _output):
        answers = ask_feedback(plan)
    if expected is not None and expected[2] == 0:
        expected = (*expected[:2], plan.steps[0].technique)
    assert answers == expected
    assert "Please" in out.getvalue().decode()
