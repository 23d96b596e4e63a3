"""People, turns, history and stats: `people add|list|show|edit`, `turn`, `history`, `stats`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rubdown.cli.options import LIBRARY_OPTION, catalogue_for, json_option
from rubdown.core.names import printable

if TYPE_CHECKING:
    from rubdown.core.models import Catalogue
    from rubdown.store.db import Store
    from rubdown.store.records import PersonRecord

PRESSURE = click.Choice(["light", "medium", "firm"])
DB_OPTION = click.option(
    "--db", "db_url", default=None, help="Database URL (default: SQLite in the data folder)."
)


def say(text: str) -> None:
    """Print a line made from stored data, with any control sequences in it removed."""
    click.echo(printable(text))


def open_db(db_url: str | None) -> Store:
    """The store, with sessions whose owner stopped (see session.ownership) marked interrupted."""
    from rubdown.session.ownership import settle_stale
    from rubdown.store.db import open_store

    store = open_store(db_url)
    settle_stale(store)
    return store


def check_names(
    cat: Catalogue,
    focus: tuple[str, ...] = (),
    avoid: tuple[str, ...] = (),
    conditions: tuple[str, ...] = (),
) -> None:
    """PlanError (exit 2, with the choices and a close match) for an unknown region or condition."""
    from difflib import get_close_matches

    from rubdown.core.models import PlanError

    for label, values, known in (
        ("region", (*focus, *avoid), tuple(cat.regions)),
        ("condition", conditions, tuple(cat.conditions)),
    ):
        for value in values:
            if value not in known:
                close = get_close_matches(value, known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise PlanError(f"unknown {label} '{value}'{hint}", known)


def person_json(person: PersonRecord) -> dict[str, Any]:
    """A person as plain JSON."""
    return person.to_json()


@click.group("people", invoke_without_command=True)
@click.pass_context
def people_group(ctx: click.Context) -> None:
    """Who gives and receives: pressure, health conditions, focus and areas to avoid."""
    # `rubdown people` alone lists everyone, as `git remote` does, rather than a usage error.
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_command, as_json=False, db_url=None)


@people_group.command("add")
@click.argument("name")
@click.option("--pressure", type=PRESSURE, default=None, help="Preferred pressure.")
@click.option("--condition", "conditions", multiple=True, help="Health condition (repeatable).")
@click.option("--focus", multiple=True, help="Region to spend more time on (repeatable).")
@click.option("--avoid", multiple=True, help="Region to leave out (repeatable).")
@LIBRARY_OPTION
@DB_OPTION
def add_command(
    name: str,
    pressure: str | None,
    conditions: tuple[str, ...],
    focus: tuple[str, ...],
    avoid: tuple[str, ...],
    library: tuple[Path, ...],
    db_url: str | None,
) -> None:
    """Add someone who gives and receives."""
    from rubdown.store.people import PeopleRepo
    from rubdown.store.profiles import profile_checker

    cat = catalogue_for(library)
    check_names(cat, focus, avoid, conditions)
    with open_db(db_url) as store:
        repo = PeopleRepo(store)
        person = repo.add(name, pressure, conditions, focus, avoid, check=profile_checker(cat))
    say(f"Added {person.name}.")


@people_group.command("list")
@json_option
@DB_OPTION
def list_command(as_json: bool, db_url: str | None) -> None:
    """List everyone."""
    from rubdown.cli.stats_view import show_table
    from rubdown.store.people import PeopleRepo

    with open_db(db_url) as store:
        people = PeopleRepo(store).list()
    if as_json:
        click.echo(json.dumps([person_json(p) for p in people], indent=2))
        return
    if not people:
        click.echo("Nobody yet: add someone with `rubdown people add NAME`.")
        return
    rows = [
        (p.name, p.pressure or "-", ", ".join(p.conditions), ", ".join(p.focus), ", ".join(p.avoid))
        for p in people
    ]
    show_table("People", ("Name", "Pressure", "Conditions", "Focus", "Avoid"), rows)


@people_group.command("show")
@click.argument("name")
@json_option
@DB_OPTION
def show_command(name: str, as_json: bool, db_url: str | None) -> None:
    """Show someone's profile and what rubdown has learned about them."""
    from rubdown.store.people import PeopleRepo
    from rubdown.store.preferences import learned_preferences

    with open_db(db_url) as store:
        person = PeopleRepo(store).get(name)
        learned = learned_preferences(store, person.name)
    data = {
        **person_json(person),
        "learned": {
            "pressure": learned.region_pressure,
            "favourites": list(learned.favourite_techniques),
            "notes": list(learned.notes),
        },
    }
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    for key in ("name", "pressure", "conditions", "focus", "avoid"):
        value = data[key]
        shown = ", ".join(value) if isinstance(value, list) else value
        say(f"{key.capitalize():<11} {shown or '-'}")
    pressures = ", ".join(f"{r} {p}" for r, p in sorted(learned.region_pressure.items()))
    say(f"{'Learned':<11} {pressures or 'nothing yet'}")
    if learned.favourite_techniques:
        say(f"{'Favourites':<11} {', '.join(learned.favourite_techniques)}")
    for note in learned.notes:
        say(f"  • {note}")


def summary(person: PersonRecord) -> str:
    """Pressure and the lists in one line: 'pressure firm; conditions -; focus neck; avoid -'."""
    lists = (("conditions", person.conditions), ("focus", person.focus), ("avoid", person.avoid))
    shown = "; ".join(f"{label} {', '.join(values) or '-'}" for label, values in lists)
    return f"pressure {person.pressure or '-'}; {shown}"


@people_group.command("edit")
@click.argument("name")
@click.option("--rename", default=None, help="A new name.")
@click.option(
    "--pressure",
    type=click.Choice(["light", "medium", "firm", "none"]),
    default=None,
    help="Preferred pressure (none clears it).",
)
@click.option("--condition", "conditions", multiple=True, help="Add a condition (repeatable).")
@click.option("--remove-condition", multiple=True, help="Remove a condition (repeatable).")
@click.option("--focus", multiple=True, help="Add a focus region (repeatable).")
@click.option("--remove-focus", multiple=True, help="Remove a focus region (repeatable).")
@click.option("--avoid", multiple=True, help="Add a region to avoid (repeatable).")
@click.option("--remove-avoid", multiple=True, help="Remove a region to avoid (repeatable).")
@LIBRARY_OPTION
@DB_OPTION
def edit_command(
    name: str,
    rename: str | None,
    pressure: str | None,
    library: tuple[Path, ...],
    db_url: str | None,
    **lists: tuple[str, ...],
) -> None:
    """Change someone's name, pressure, conditions, focus or areas to avoid."""
    from rubdown.store.people import UNSET, PeopleRepo

    if rename is None and pressure is None and not any(lists.values()):
        raise click.UsageError(
            f"nothing to change for {name}: give an option such as --pressure, --focus or "
            "--remove-avoid (see --help)"
        )
    from rubdown.store.profiles import profile_checker

    cat = catalogue_for(library)
    check_names(cat, lists["focus"], lists["avoid"], lists["conditions"])
    with open_db(db_url) as store:
        person = PeopleRepo(store).edit(
            name,
            rename=rename,
            pressure=UNSET if pressure is None else (None if pressure == "none" else pressure),
            add_conditions=lists["conditions"],
            remove_conditions=lists["remove_condition"],
            add_focus=lists["focus"],
            remove_focus=lists["remove_focus"],
            add_avoid=lists["avoid"],
            remove_avoid=lists["remove_avoid"],
            check=profile_checker(cat),
        )
    say(f"Updated {person.name}: {summary(person)}.")


@click.command("turn")
@click.argument("names", nargs=-1)
@DB_OPTION
def turn_command(names: tuple[str, ...], db_url: str | None) -> None:
    """Whose turn it is to give: whoever received last gives next (ties: who gave less)."""
    from rubdown.store.people import PeopleRepo
    from rubdown.store.turns import whose_turn

    if len(names) not in (0, 2):
        raise click.UsageError("name two people, or none when exactly two are stored")
    with open_db(db_url) as store:
        if not names:
            people = PeopleRepo(store).list()
            if len(people) < 2:
                who = f"only {people[0].name} is" if people else "nobody is"
                raise click.UsageError(
                    f"{who} stored yet: add two people with `rubdown people add NAME`"
                )
            if len(people) > 2:
                raise click.UsageError(
                    f"{len(people)} people are stored: name the two, as in `rubdown turn ANN BO`"
                )
            names = (people[0].name, people[1].name)
        answer = whose_turn(store, names[0], names[1])
    say(f"{answer.giver} gives, {answer.receiver} receives.")
    say(answer.reason)


@click.command("history")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="How many of the latest sessions.",
)
@json_option
@DB_OPTION
def history_command(limit: int, as_json: bool, db_url: str | None) -> None:
    """List past sessions: date, who, minutes done of planned, how it ended, rating."""
    from rubdown.cli.stats_view import session_json, show_table
    from rubdown.store.repos import SessionsRepo

    with open_db(db_url) as store:
        sessions = SessionsRepo(store)
        records = sessions.history(limit)
        if as_json:
            out = [session_json(r, sessions.events(r.id)) for r in records]
            click.echo(json.dumps(out, indent=2))
            return
    if not records:
        click.echo("No sessions yet: start one with `rubdown guide`.")
        return
    rows = [
        (
            r.id,
            r.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            r.giver or "-",
            r.receiver or "-",
            f"{r.done_minutes:g} of {r.planned_minutes:g}",
            r.status,
            r.rating or "-",
        )
        for r in records
    ]
    show_table("Sessions", ("#", "Date", "Giver", "Receiver", "Minutes", "Status", "Rating"), rows)


@click.command("stats")
@click.option("--weeks", type=click.IntRange(min=1, max=520), default=8, show_default=True)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also draw a chart into FILE.png or FILE.svg.",
)
@json_option
@DB_OPTION
def stats_command(weeks: int, plot: Path | None, as_json: bool, db_url: str | None) -> None:
    """Sessions and minutes given and received per person and per week, and the balance."""
    from rubdown.cli.stats_view import check_chart_path, plot_stats, print_stats, stats_json
    from rubdown.store.turns import stats

    if plot is not None:
        check_chart_path(plot)  # before anything is printed, so a bad path is the only output
    with open_db(db_url) as store:
        found = stats(store, weeks)
    if as_json:
        click.echo(json.dumps(stats_json(found), indent=2))
    else:
        print_stats(found, weeks)
    if plot is not None:
        plot_stats(found, plot)


def register(group: click.Group) -> None:
    """Add this module's commands to the CLI."""
    for command in (people_group, turn_command, history_command, stats_command):
        group.add_command(command)
