"""Resuming: progress saved inside a step, clear messages, and a closed pipe ends quietly."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from rubdown.cli.main import cli
from rubdown.core.catalogue import load_catalogue
from rubdown.core.models import PlanRequest
from rubdown.core.planjson import plan_to_json
from rubdown.core.planner import plan_session
from rubdown.core.timeline import build_cues
from rubdown.store.repos import SessionsRepo

FAST = ("--speed", "1000", "--voice", "none", "--no-ticks")
CLOCK = re.compile(r"^(\d+):(\d\d) ")
EVENT_LINE = re.compile(r"^\d+:\d\d #(\d+) ([a-z-]+):")
SPEED = 20
CAT = load_catalogue()


def run(*args):
    return CliRunner().invoke(cli, list(args))


def history():
    return json.loads(run("history", "--json").output)


def minutes_with_a_halfway_cue():
    """The shortest default session with a step long enough for a 'Halfway.' cue."""
    for minutes in range(10, 31):
        cues = build_cues(plan_session(CAT, PlanRequest(minutes=minutes)))
        if any(cue.kind == "halfway" for cue in cues):
            return minutes
    raise AssertionError("no default session from 10 to 30 minutes has a 'Halfway.' cue")


def guide_process(data_dir, speed, stderr=None):
    env = {**os.environ, "RUBDOWN_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-c", "from rubdown.cli.main import main; main()", "guide"]
    minutes = str(minutes_with_a_halfway_cue())
    command += ["--minutes", minutes, "--speed", str(speed), "--voice", "none", "--no-ticks"]
    return subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env
    )


def seconds(line):
    minutes, secs = CLOCK.match(line).groups()
    return int(minutes) * 60 + int(secs)


def kill_after_halfway(data_dir, wall_s=0.3):
    """Run a guide, kill -9 it wall_s after a 'Halfway.' cue; returns (halfway, killed at) clock."""
    proc = guide_process(data_dir, SPEED)
    try:
        for line in proc.stdout:
            if line.rstrip().endswith("» Halfway."):
                seen, halfway = time.monotonic(), seconds(line)
                break
        time.sleep(wall_s)
        killed = time.monotonic()
        proc.kill()
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    return halfway, halfway + (killed - seen) * SPEED


def test_kill_9_inside_a_step_resumes_within_seconds_of_where_it_was(data_dir):
    halfway, killed_at = kill_after_halfway(data_dir)
    [before] = history()
    step = next(e for e in reversed(before["events"]) if e["kind"] == "segment-started")

    result = run("guide", "--resume", *FAST)
    assert result.exit_code == 0, result.output
    events = history()[0]["events"]
    resumed = next(e for e in events if e["data"] == {"after": "interrupted"})
    # Saved at least every 5 s of session clock; 1 s more for rounding. killed_at is a lower
    # estimate (the line is read a little after it is due), hence the looser upper bound.
    assert killed_at - 6.0 <= resumed["clock_s"] <= killed_at + 5.0
    assert resumed["clock_s"] > halfway - 1.0 > step["clock_s"]
    restart = next(e for e in events[events.index(resumed) :] if e["kind"] == "segment-started")
    assert restart["segment_index"] == step["segment_index"]
    assert restart["clock_s"] == pytest.approx(resumed["clock_s"])
    assert events[-1]["kind"] == "finished"


def test_resume_names_older_interrupted_sessions_that_cannot_be_resumed(data_dir, store, cat):
    sessions = SessionsRepo(store)
    plan = plan_to_json(plan_session(cat, PlanRequest(minutes=5)))
    older = sessions.start(plan, None, None)
    sessions.finish(older, "interrupted", 30.0)
    sessions.finish(sessions.start(plan, None, None), "finished", 300.0)
    result = run("guide", "--resume", *FAST)
    assert result.exit_code == 2, result.output
    assert "only the most recent session can be resumed" in result.output
    assert f"interrupted earlier: {older} (" in result.output


def test_resume_says_that_plan_options_are_ignored(data_dir, store, cat):
    sessions = SessionsRepo(store)
    plan = plan_to_json(plan_session(cat, PlanRequest(minutes=5)))
    sessions.finish(sessions.start(plan, None, None), "interrupted", 30.0)
    result = run("guide", "--resume", "--minutes", "20", "--focus", "neck", *FAST)
    assert result.exit_code == 0, result.output
    assert "--minutes, --focus ignored" in result.output
    assert "5-minute session" in result.output
    plain = run("guide", "--minutes", "5", *FAST)
    assert "ignored" not in plain.output


def test_a_closed_pipe_ends_the_guide_quietly_and_leaves_it_resumable(data_dir):
    proc = guide_process(data_dir, 30, stderr=subprocess.PIPE)
    try:
        shown = 0
        for line in proc.stdout:
            shown += bool(EVENT_LINE.match(line))
            if shown >= 4:
                break
        proc.stdout.close()  # like `rubdown guide | head`
        errors = proc.stderr.read()
        assert proc.wait(timeout=30) != 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    assert "Traceback" not in errors and "Exception ignored" not in errors
    [session] = history()
    assert session["status"] == "interrupted"
    # The guide journalled the interruption itself rather than leaving it to be found running.
    assert session["events"][-1]["data"] != {"reason": "found running"}
    assert session["done_minutes"] > 0
