"""`people add|edit` refuse profiles the guide could never plan for; `turn` says how to begin."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from guide_helpers import all_clear

from rubdown.cli.main import cli

FAST = ("--speed", "1000", "--voice", "none", "--no-ticks")


def run(*args):
    return CliRunner().invoke(cli, list(args))


def stored(name):
    return json.loads(run("people", "show", name, "--json").output)


def test_adding_an_injury_without_the_area_to_avoid_is_refused(data_dir):
    result = run("people", "add", "Fay", "--condition", "recent-injury")
    assert result.exit_code == 2, result.output
    assert "needs the affected area" in result.output and "Traceback" not in result.output
    assert "Nobody yet" in run("people", "list").output


def test_removing_the_injured_area_is_refused_and_the_profile_kept(data_dir):
    run("people", "add", "Gus", "--condition", "recent-injury", "--avoid", "calves")
    result = run("people", "edit", "Gus", "--remove-avoid", "calves")
    assert result.exit_code == 2, result.output
    assert "needs the affected area" in result.output
    assert stored("Gus")["avoid"] == ["calves"]
    run("screen", "--for", "Gus", *all_clear())
    guided = run("guide", "--for", "Gus", "--minutes", "5", *FAST)
    assert guided.exit_code == 0, guided.output


def test_a_condition_that_refuses_massage_today_can_still_be_stored(data_dir):
    result = run("people", "add", "Hal", "--condition", "fever")
    assert result.exit_code == 0, result.output
    assert stored("Hal")["conditions"] == ["fever"]


def test_a_refusing_condition_does_not_hide_a_missing_injured_area(data_dir):
    result = run("people", "add", "Hal", "--condition", "fever", "--condition", "recent-injury")
    assert result.exit_code == 2, result.output
    assert "needs the affected area" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("people", "add", "Ben", "--focus", "feet", "--avoid", "feet"),
        ("people", "edit", "Ann", "--avoid", "neck"),
    ],
)
def test_a_region_cannot_be_both_focus_and_avoided(data_dir, args):
    run("people", "add", "Ann", "--focus", "neck")
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "both a focus and an area to avoid" in result.output


def test_edit_with_nothing_to_change_says_so(data_dir):
    run("people", "add", "Ben")
    result = run("people", "edit", "Ben")
    assert result.exit_code == 2, result.output
    assert "nothing to change for Ben" in result.output


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--remove-condition", "fever", "Ben has no condition 'fever'"),
        ("--remove-focus", "neck", "Ben has no focus region 'neck'"),
        ("--remove-avoid", "feet", "Ben has no region to avoid 'feet'"),
    ],
)
def test_removing_what_someone_does_not_have_says_so(data_dir, option, value, words):
    run("people", "add", "Ben")
    result = run("people", "edit", "Ben", option, value)
    assert result.exit_code == 2, result.output
    assert words in result.output


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("--focus", "shoulder"), "did you mean 'shoulders'?"),
        (("--condition", "pregnant"), "did you mean 'pregnancy'?"),
    ],
)
def test_a_misspelt_name_gets_a_close_match(data_dir, args, hint):
    result = run("people", "add", "Ben", *args)
    assert result.exit_code == 2, result.output
    assert hint in result.output


@pytest.mark.parametrize("people", [(), ("Ann",)])
def test_turn_with_fewer_than_two_people_says_how_to_add_them(data_dir, people):
    for name in people:
        run("people", "add", name)
    result = run("turn")
    assert result.exit_code == 2, result.output
    assert "rubdown people add NAME" in result.output
    assert "people are stored" not in result.output


@pytest.mark.parametrize("name", ["Ann/Bo", "Ann\x1b[31m", "Nul\x00"])
def test_the_cli_refuses_the_names_the_web_refuses(data_dir, name):
    from fastapi.testclient import TestClient

    from rubdown.web import create_app

    result = run("people", "add", name)
    assert result.exit_code == 2 and "a name cannot contain" in result.output
    with TestClient(create_app(), base_url="http://127.0.0.1") as web:
        reply = web.post("/api/people", json={"name": name})
    assert reply.status_code == 422 and "a name cannot contain" in reply.text


def test_control_sequences_stored_in_a_name_never_reach_the_terminal(store):
    from sqlalchemy import text

    run("people", "add", "Ann")
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE people SET name = :n"), {"n": "Ann\x1b[2J\x1b]0;x\x07"})
    for args in (("people", "list"), ("people", "show", "ann"), ("people", "show", "Bo")):
        result = run(*args)
        assert "Ann" in result.output
        assert "\x1b" not in result.output and "\x07" not in result.output


def test_people_alone_lists_everyone_rather_than_a_usage_error(data_dir):
    assert "Nobody yet" in run("people").output
    run("people", "add", "Ida", "--pressure", "light")
    result = run("people")
    assert result.exit_code == 0, result.output
    assert "Ida" in result.output and "light" in result.output
