"""`rubdown screen` in the terminal, and the guide waiting for it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rubdown.cli.main import cli
from rubdown.core.screen import RED_FLAGS

ALL_NO = "n\n" * len(RED_FLAGS)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RUBDOWN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("RUBDOWN_DATABASE_URL", raising=False)
    return tmp_path


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def answers(yes=()):
    return "".join("y\n" if f.id in yes else "n\n" for f in RED_FLAGS)


def stored(name):
    return json.loads(run("people", "show", name, "--json").output)["screen"]


def test_all_no_is_clear_and_saved_on_the_person():
    run("people", "add", "Ann")
    assert stored("Ann")["due"] is True
    result = run("screen", "--for", "Ann", input=ALL_NO)
    assert result.exit_code == 0, result.output
    assert "No red flags" in result.output
    assert stored("Ann") | {"answered_at": None} == {
        "answered_at": None,
        "due": False,
        "red_flags": [],
    }


@pytest.mark.parametrize("flag", [f.id for f in RED_FLAGS])
def test_each_yes_refuses_with_exit_3_and_is_stored(flag):
    run("people", "add", "Ann")
    result = run("screen", "--for", "Ann", input=answers({flag}))
    assert result.exit_code == 3, result.output
    assert "No massage" in result.output and "Instead:" in result.output
    emergency = flag in ("saddle-numbness", "bladder-bowel", "both-legs")
    assert ("999" in result.output.split("Instead:")[1]) or not emergency
    assert stored("Ann")["red_flags"] == [flag]
    guided = run("guide", "--for", "Ann", "--minutes", "5", "--voice", "none", "--no-ticks")
    assert guided.exit_code == 3 and "No massage" in guided.output


def test_answers_given_as_options_and_json_output():
    given = [
        a for f in RED_FLAGS for a in ("--answer", f"{f.id}={'yes' if f.id == 'fever' else 'no'}")
    ]
    result = run("screen", "--json", *given)
    assert result.exit_code == 3
    body = json.loads(result.output)
    assert body["refused"] is True and body["condition"] == "red-flag:fever"


@pytest.mark.parametrize(
    ("args", "words"),
    [(("--answer", "fever"), "should look like"), (("--answer", "hiccups=no"), "unknown")],
)
def test_malformed_answers_are_usage_errors(args, words):
    result = run("screen", *args, input=ALL_NO)
    assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output


def test_unknown_person_fails_before_any_question():
    result = run("screen", "--for", "Zed")
    assert result.exit_code == 2 and "no one named" in result.output


def test_the_guide_waits_for_the_screen_and_again_after_a_change_of_conditions():
    run("people", "add", "Ann")
    fast = ("--minutes", "5", "--voice", "none", "--no-ticks", "--speed", "1000")
    first = run("guide", "--for", "Ann", *fast)
    assert first.exit_code == 2 and "rubdown screen --for Ann" in first.output
    assert run("screen", "--for", "Ann", input=ALL_NO).exit_code == 0
    assert run("guide", "--for", "Ann", *fast).exit_code == 0
    assert run("people", "edit", "Ann", "--condition", "anxiety").exit_code == 0
    assert stored("Ann")["due"] is True
    assert run("guide", "--for", "Ann", *fast).exit_code == 2


def test_the_questions_can_be_listed():
    result = run("screen", "--list")
    assert result.exit_code == 0 and all(f.id in result.output for f in RED_FLAGS)
