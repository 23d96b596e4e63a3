"""`rubdown screen`: the red-flag questions, asked in the terminal and stored on the person."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

import click

from rubdown.cli.people_cmds import DB_OPTION, open_db, say

if TYPE_CHECKING:
    from rubdown.store.db import Store


def parse_answers(given: tuple[str, ...]) -> dict[str, bool]:
    """ "--answer ID=yes" options as {id: True}; a malformed one is a usage error."""
    out: dict[str, bool] = {}
    for item in given:
        key, sep, value = item.partition("=")
        word = value.strip().casefold()
        if not sep or word not in ("yes", "no", "y", "n"):
            raise click.BadParameter(f"'{item}' should look like fever=no", param_hint="--answer")
        out[key.strip()] = word.startswith("y")
    return out


def ask(given: Mapping[str, bool]) -> dict[str, bool]:
    """Every question: from --answer when given, else asked in the terminal (y or n)."""
    from rubdown.core.screen import RED_FLAGS

    answers = dict(given)
    for flag in RED_FLAGS:
        if flag.id not in answers:
            answers[flag.id] = click.confirm(flag.question, default=None)
    return answers


def run_screen(store: Store | None, person: str | None, answers: Mapping[str, bool]) -> None:
    """Check the answers, store them on the person, and refuse (ScreenRefusal) on any yes."""
    from datetime import UTC, datetime

    from rubdown.store.profiles import answer_screen

    answer_screen(store, person, answers, datetime.now(UTC))


def screen_before_session(store: Store, receiver: str | None, interactive: bool) -> None:
    """The gate before a new session: refuse on a red flag; ask the questions when they are due."""
    from rubdown.core.screen import ScreenNeeded
    from rubdown.store.profiles import screen_gate

    try:
        screen_gate(store, receiver)
    except ScreenNeeded:
        if not interactive or receiver is None:
            raise
        say(f"First, a few safety questions about {receiver} (answer y or n).")
        run_screen(store, receiver, ask({}))


@click.command("screen")
@click.option("--for", "person", default=None, help="Store the answers on this person.")
@click.option(
    "--answer",
    "given",
    multiple=True,
    metavar="ID=yes|no",
    help="Answer a question without being asked (ids: rubdown screen --list).",
)
@click.option("--list", "list_only", is_flag=True, help="Print the questions and their ids.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@DB_OPTION
@click.pass_context
def screen_command(
    ctx: click.Context,
    person: str | None,
    given: tuple[str, ...],
    list_only: bool,
    as_json: bool,
    db_url: str | None,
) -> None:
    """Ask the red-flag questions before a first session, or when conditions change.

    Any yes means no massage, with what to do now (exit code 3); the answers are stored on the
    person named with --for, and their sessions wait until the screen is clear.
    """
    from rubdown.core.screen import RED_FLAGS

    ctx.meta["rubdown.json"] = as_json
    if list_only:
        for flag in RED_FLAGS:
            click.echo(f"{flag.id}: {flag.question}")
        return
    answers = parse_answers(given)
    if person is None:
        run_screen(None, None, ask(answers))
    else:
        with open_db(db_url) as store:
            from rubdown.store.people import PeopleRepo

            PeopleRepo(store).get(person)  # an unknown name fails before any question
            run_screen(store, person, ask(answers))
    if as_json:
        click.echo(json.dumps({"clear": True, "red_flags": []}))
    else:
        say("No red flags: the massage can go ahead." + (f" Saved for {person}." if person else ""))


def register(group: click.Group) -> None:
    """Add this module's commands to the CLI."""
    group.add_command(screen_command)
