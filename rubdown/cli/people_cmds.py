"""People, turns, history and stats: `people add|list|show|edit`, `turn`, `history`, `stats`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rubdown.cli.options import LIBRARY_OPTION, catalogue_for, json_option

if TYPE_CHECKING:
    from rubdown.store.db import Store
    from rubdown.store.records import PersonRecord, SessionRecord

PRESSURE = click.Choice(["light", "medium", "firm"])
DB_OPTION = click.option(
    "--db", "db_url", default=None, help="Database URL (default: SQLite in the data folder)."
)


def open_db(db_url: str | None) -> Store:
    """The store, with sessions left running by a killed guide marked interrupted."""
    from rubdown.cli.guide_session import settle_stale
    from rubdown.store.db import open_store

    store = open_store(db_url)
    settle_stale(store)
    return store


def check_names(
    library: tuple[Path, ...],
    focus: tuple[str, ...] = (),
    avoid: tuple[str, ...] = (),
    conditions: tuple[str, ...] = (),
) -> None:
    """PlanError (exit 2, with the choices) for a region or condition the planner does not know."""
    from rubdown.core.models import Profile
    from rubdown.core.safety import check_profile_ids

    profile = Profile(focus=focus, avoid=avoid, conditions=conditions)
    check_profile_ids(catalogue_for(library), profile)


def person_json(person: PersonRecord) -> dict[str, Any]:
    """A person as plain JSON."""
    return {
        "name": person.name,
        "pressure": person.pressure,
        "conditions": list(person.conditions),
        "focus": list(person.focus),
        "avoid": list(person.avoid),
        "added": person.created_at.isoformat(),
    }


def show_table(title: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Print rows as a rich table."""
    from rich.table import Table

    from rubdown.cli.render import console

    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console().print(table)


@click.group("people")
def people_group() -> None:
    """Who gives and receives: pressure, health conditions, focus and areas to avoid."""


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

    check_names(library, focus, avoid, conditions)
    with open_db(db_url) as store:
        person = PeopleRepo(store).add(name, pressure, conditions, focus, avoid)
    click.echo(f"Added {person.name}.")


@people_group.command("list")
@json_option
@DB_OPTION
def list_command(as_json: bool, db_url: str | None) -> None:
    """List everyone."""
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
        click.echo(f"{key.capitalize():<11} {shown or '-'}")
    pressures = ", ".join(f"{r} {p}" for r, p in sorted(learned.region_pressure.items()))
    click.echo(f"{'Learned':<11} {pressures or 'nothing yet'}")
    if learned.favourite_techniques:
        click.echo(f"{'Favourites':<11} {', '.join(learned.favourite_techniques)}")
    for note in learned.notes:
        click.echo(f"  • {note}")


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

    check_names(library, lists["focus"], lists["avoid"], lists["conditions"])
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
        )
    shown = "; ".join(
        f"{label} {', '.join(values) or '-'}"
        for label, values in (
            ("conditions", person.conditions),
            ("focus", person.focus),
            ("avoid", person.avoid),
        )
    )
    click.echo(f"Updated {person.name}: pressure {person.pressure or '-'}; {shown}.")


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
            if len(people) != 2:
                raise click.UsageError(
                    f"{len(people)} people are stored: name the two, as in `rubdown turn ANN BO`"
                )
            names = (people[0].name, people[1].name)
        answer = whose_turn(store, names[0], names[1])
    click.echo(f"{answer.giver} gives, {answer.receiver} receives.")
    click.echo(answer.reason)


def event_json(event: Any) -> dict[str, Any]:
    """A journal entry as JSON, without the re-fitted plan it may carry."""
    data = {k: v for k, v in (event.data or {}).items() if k != "plan"}
    return {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "clock_s": event.clock_s,
        "kind": event.kind,
        "segment_index": event.segment_index,
        "region": event.region,
        "technique": event.technique,
        "data": data or None,
    }


def session_json(record: SessionRecord, events: list[Any]) -> dict[str, Any]:
    """A session and its journal as JSON."""
    return {
        "id": record.id,
        "started_at": record.started_at.isoformat(),
        "ended_at": record.ended_at.isoformat() if record.ended_at else None,
        "giver": record.giver,
        "receiver": record.receiver,
        "planned_minutes": record.planned_minutes,
        "done_minutes": record.done_minutes,
        "status": record.status,
        "rating": record.rating,
        "events": [event_json(e) for e in events],
    }


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
    from rubdown.cli.stats_view import plot_stats, print_stats, stats_json
    from rubdown.store.turns import stats

    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        raise click.BadParameter("the chart file must end in .png or .svg", param_hint="--plot")
    with open_db(db_url) as store:
        found = stats(store, weeks)
    if as_json:
        click.echo(json.dumps(stats_json(found), indent=2))
    else:
        print_stats(found)
    if plot is not None:
        plot_stats(found, plot)
        click.echo(f"Chart written to {plot}")


def register(group: click.Group) -> None:
    """Add this module's commands to the CLI."""
    for command in (people_group, turn_command, history_command, stats_command):
        group.add_command(command)
