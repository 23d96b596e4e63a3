"""`rubdown guide`, `turn`, `history` and `people` through the CLI, on a real SQLite database."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
from click.testing import CliRunner
from guide_helpers import GUIDE_COMMAND, all_clear

from rubdown.cli.main import cli

EVENT_LINE = re.compile(r"^\d+:\d\d #(\d+) ([a-z-]+):")
FAST = ("--speed", "1000", "--voice", "none", "--no-ticks")


def run(*args, input=None):
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return result


def history():
    result = run("history", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_guide_without_a_terminal_prints_plain_lines_and_runs_to_the_end(data_dir):
    result = run("guide", "--minutes", "5", "--speed", "200", "--voice", "none", "--no-ticks")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    kinds = [m.group(2) for line in lines if (m := EVENT_LINE.match(line))]
    assert kinds[0] == "session-started" and kinds[-1] == "finished"
    assert "segment-started" in kinds and "»" in result.output
    assert "Session 1 finished: 5 of 5 minutes." in result.output
    [session] = history()
    assert session["status"] == "finished" and session["done_minutes"] == 5
    printed = [int(m.group(1)) for line in lines if (m := EVENT_LINE.match(line))]
    assert printed == [e["seq"] for e in session["events"]]


def test_guide_says_once_that_there_is_no_sound(data_dir, monkeypatch):
    monkeypatch.setenv("RUBDOWN_AUDIO_DEVICE", "no-such-device")
    result = run("guide", "--minutes", "5", "--speed", "1000", "--voice", "none")
    assert result.exit_code == 0, result.output
    assert result.output.count("No audio device found") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--focus", "nose"), "unknown region 'nose'"),
        (("--condition", "hiccups"), "unknown condition 'hiccups'"),
        (("--receiver", "Zed"), "no one named 'Zed'"),
        (("--giver", "Ann", "--for", "ann"), "two different people"),
        (("--resume",), "no interrupted session"),
    ],
)
def test_bad_guide_input_is_a_message_and_exit_2(data_dir, args, message):
    run("people", "add", "Ann")
    result = CliRunner().invoke(cli, ["guide", "--minutes", "5", *FAST, *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert history() == []


def test_kill_9_loses_no_shown_event_and_resume_finishes(data_dir):
    env = {**os.environ, "RUBDOWN_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen(
        GUIDE_COMMAND, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True, env=env
    )
    shown = []
    try:
        for line in proc.stdout:
            if match := EVENT_LINE.match(line):
                shown.append((int(match.group(1)), match.group(2)))
            if len(shown) >= 7:
                break
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    [session] = history()
    assert session["status"] == "interrupted"
    journal = [(e["seq"], e["kind"]) for e in session["events"]]
    assert journal[: len(shown)] == shown
    assert session["done_minutes"] < 5

    result = run("guide", "--resume", "--speed", "60", "--voice", "none")
    assert result.exit_code == 0, result.output
    [session] = history()
    assert session["status"] == "finished"
    kinds = [e["kind"] for e in session["events"]]
    assert kinds[: len(shown)] == [k for _, k in shown]
    assert "interrupted" in kinds and "resumed" in kinds and kinds[-1] == "finished"
    resumed_at = next(e["clock_s"] for e in session["events"] if e["kind"] == "resumed")
    first_after = next(
        e for e in session["events"][kinds.index("resumed") :] if e["kind"] == "segment-started"
    )
    assert first_after["clock_s"] == pytest.approx(resumed_at)
    assert session["done_minutes"] == 5


def test_history_lists_sessions_newest_first_with_people(data_dir):
    for name in ("Ann", "Bo"):
        run("people", "add", name)
        run("screen", "--for", name, *all_clear())
    run("guide", "--minutes", "5", *FAST, "--giver", "Ann", "--for", "Bo")
    run("guide", "--minutes", "6", *FAST, "--giver", "Bo", "--receiver", "Ann")
    sessions = history()
    assert [(s["giver"], s["receiver"], s["planned_minutes"]) for s in sessions] == [
        ("Bo", "Ann", 6),
        ("Ann", "Bo", 5),
    ]
    table = run("history").output
    assert "Ann" in table and "finished" in table and "6 of 6" in table


def test_turn_goes_to_whoever_received_last(data_dir):
    for name in ("Ann", "Bo"):
        run("people", "add", name)
        run("screen", "--for", name, *all_clear())
    first = run("turn")
    assert first.exit_code == 0 and first.output.startswith("Ann gives, Bo receives.")
    run("guide", "--minutes", "5", *FAST, "--giver", "Ann", "--for", "Bo")
    assert run("turn").output.startswith("Bo gives, Ann receives.")
    assert run("turn", "Ann", "Bo").output.startswith("Bo gives, Ann receives.")
    run("guide", "--minutes", "5", *FAST, "--giver", "Bo", "--for", "Ann")
    assert run("turn").output.startswith("Ann gives, Bo receives.")


@pytest.mark.parametrize(
    ("people", "args"), [(("Ann", "Bo", "Cy"), ()), (("Ann",), ()), (("Ann", "Bo"), ("Ann",))]
)
def test_turn_needs_two_people(data_dir, people, args):
    for name in people:
        run("people", "add", name)
    result = CliRunner().invoke(cli, ["turn", *args])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_people_add_edit_show_round_trip(data_dir):
    assert (
        run(
            "people",
            "add",
            "Ann",
            "--pressure",
            "light",
            "--focus",
            "neck",
            "--condition",
            "sciatica",
        ).exit_code
        == 0
    )
    assert (
        run(
            "people",
            "edit",
            "ann",
            "--avoid",
            "feet",
            "--remove-focus",
            "neck",
            "--pressure",
            "firm",
        ).exit_code
        == 0
    )
    shown = json.loads(run("people", "show", "ANN", "--json").output)
    assert (shown["pressure"], shown["focus"], shown["avoid"], shown["conditions"]) == (
        "firm",
        [],
        ["feet"],
        ["sciatica"],
    )
    listed = json.loads(run("people", "list", "--json").output)
    assert [p["name"] for p in listed] == ["Ann"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("people", "add", "Ann", "--focus", "nose"), "Valid choices:"),
        (("people", "add", "Ann", "--condition", "hiccups"), "unknown condition"),
        (("people", "show", "Zed"), "no one named"),
        (("people", "add", "Bo"), "already exists"),
        (("people", "edit", "Bo", "--avoid", "nose"), "unknown region"),
        (("stats", "--plot", "chart.txt"), ".png or .svg"),
    ],
)
def test_bad_people_input_is_a_message_and_exit_2(data_dir, args, message):
    run("people", "add", "Bo")
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_stats_table_and_chart(data_dir, tmp_path, suffix):
    run("people", "add", "Ann")
    run("people", "add", "Bo")
    run("screen", "--for", "Bo", *all_clear())
    run("guide", "--minutes", "5", *FAST, "--giver", "Ann", "--for", "Bo")
    chart = tmp_path / f"chart.{suffix}"
    result = run("stats", "--weeks", "2", "--plot", str(chart))
    assert result.exit_code == 0, result.output
    assert "Ann" in result.output and "+5" in result.output
    assert chart.stat().st_size > 1000
    data = json.loads(run("stats", "--json").output)
    assert data["balance"] == {"Ann": 5.0, "Bo": -5.0}


def test_a_live_guide_is_left_running_and_sigterm_leaves_it_interrupted(data_dir):
    env = {**os.environ, "RUBDOWN_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen(
        GUIDE_COMMAND, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        seen = 0
        for line in proc.stdout:
            seen += bool(EVENT_LINE.match(line))
            if seen >= 3:
                break
        # Another command while the guide is alive must not take its session for a dead one.
        assert history()[0]["status"] == "running"
        proc.terminate()
        rest = proc.stdout.read()
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    assert "Interrupted at" in rest and "--resume" in rest
    [session] = history()
    assert session["status"] == "interrupted"
    assert session["events"][-1]["kind"] == "interrupted"
