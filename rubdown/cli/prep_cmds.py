"""`rubdown prep`, `schedule` and `sheet`: getting ready, taking turns, and a sheet to print."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import click

from rubdown.cli.options import (
    catalogue_for,
    json_option,
    plan_for,
    plan_options,
    receiver_options,
)
from rubdown.core.names import printable

SHEET_SUFFIXES = (".pdf", ".html", ".htm")


def _clock(_ctx: click.Context, _param: click.Parameter, value: str | None) -> time | None:
    """Parse --at as HH:MM."""
    from rubdown.core.prep import parse_clock

    if value is None:
        return None
    try:
        return parse_clock(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


def _weekly(
    _ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    """Check each --weekly (e.g. sun@20:00) early, so the error names the option."""
    from rubdown.core.prep import parse_slots

    try:
        parse_slots(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None
    return value


def _givers(_ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> list[str]:
    """Check --giver: none, or two or more different names."""
    from rubdown.core.prep import check_givers

    try:
        return check_givers(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """Parse a YYYY-MM-DD date."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; write it as YYYY-MM-DD") from None


def _zone(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
    """Parse --tz as an IANA zone name (default: this machine's zone)."""
    from rubdown.paper.calendar import zone_named

    try:
        return zone_named(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


def _write(path: Path, data: bytes | str, param: str) -> None:
    """Write an output file ("-" is standard output), reporting problems plainly."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if str(path) == "-":
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
        return
    try:
        path.write_bytes(raw)
    except OSError as err:
        raise click.BadParameter(f"cannot write {path}: {err.strerror}", param_hint=param) from None


TZ_OPTION = click.option(
    "--tz",
    "zone",
    default=None,
    callback=_zone,
    help="Time zone, e.g. Europe/London (default: this computer's).",
)


@click.command("prep")
@click.option("--at", "at", required=True, callback=_clock, help="When the session starts, HH:MM.")
@click.option("--date", "day", default=None, callback=_day, help="YYYY-MM-DD (default: today).")
@TZ_OPTION
@plan_options
@receiver_options
@click.option(
    "--ics",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also save the session as a calendar event with an alarm for each step.",
)
@json_option
def prep_command(
    at: time,
    day: date | None,
    zone: Any,
    ics: Path | None,
    library: tuple[Path, ...],
    receiver: str | None,
    db_url: str | None,
    as_json: bool,
    **options: Any,
) -> None:
    """What to get ready before a session, and when (towels, blankets, room, oil)."""
    from rubdown.core.prep import prep_timeline

    now = now_in(zone)
    start = _start(at, day, now)
    cat = catalogue_for(library)
    plan = plan_for(cat, receiver, db_url, options)
    items = prep_timeline(cat, plan, start)
    if ics is not None:
        from rubdown.paper.calendar import prep_ics

        _write(ics, prep_ics(cat, plan, start), "--ics")
    if as_json:
        rows = [{**asdict(i), "at": i.at.isoformat()} for i in items]
        click.echo(json.dumps({"start": start.isoformat(), "items": rows}, indent=2))
        return
    position = cat.positions[plan.position].name.lower()
    click.echo(
        f"Getting ready for {start:%H:%M} {_day_phrase(start.date(), now.date())}: "
        f"{plan.minutes} minutes, {position}.\n"
    )
    _print_timeline(items)
    if ics is not None and str(ics) != "-":
        click.echo(f"\nSaved the session, with alarms for these steps, to {ics}.")


def now_in(zone: Any) -> datetime:
    """The time now in `zone` (one place, so tests can set the clock)."""
    return datetime.now(zone)


def _start(at: time, day: date | None, now: datetime) -> datetime:
    """When the session starts; a day or time already gone is a usage error."""
    from rubdown.core.prep import session_start

    try:
        return session_start(at, now, day)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="'--date'") from None


def _day_phrase(day: date, today: date) -> str:
    """ "today, Tuesday 24 November 2026", "tomorrow, ..." or "on Sunday 3 May 2026"."""
    from rubdown.core.prep import long_date

    if day == today:
        return f"today, {long_date(day)}"
    if day == today + timedelta(days=1):
        return f"tomorrow, {long_date(day)}"
    return f"on {long_date(day)}"


def _print_timeline(items: list[Any]) -> None:
    """Each set-up step: the clock time, how long before, what to do and why."""
    import shutil
    import textwrap

    width = max(60, min(100, shutil.get_terminal_size((100, 24)).columns))
    indent = " " * 23
    for item in items:
        when = f"{item.minutes_before} min before" if item.minutes_before else "at the start"
        head = f"{item.at:%H:%M}  {when:<15} {item.what}"
        click.echo(textwrap.fill(head, width, subsequent_indent=indent))
        click.echo(textwrap.fill(item.why, width, initial_indent=indent, subsequent_indent=indent))


@click.command("schedule")
@click.option(
    "--weekly",
    required=True,
    multiple=True,
    callback=_weekly,
    help="Day and time each week, e.g. sun@20:00 (repeatable: wed@19:00 too).",
)
@click.option(
    "--giver",
    "givers",
    multiple=True,
    callback=_givers,
    help="Who gives; name two or more and the turns go round the names in order.",
)
@click.option(
    "--weeks", type=click.IntRange(1, 520), default=8, show_default=True, help="How many weeks."
)
# The same limits as the planner's (MIN_MINUTES, MAX_MINUTES); models is not imported at load.
@click.option(
    "--minutes",
    type=click.IntRange(5, 90),
    default=30,
    show_default=True,
    help="Session length in minutes.",
)
@TZ_OPTION
@click.option(
    "--start",
    "day",
    default=None,
    callback=_day,
    help="Start looking for the first session from this day, YYYY-MM-DD (default: today).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .ics file to write (- for standard output).",
)
@click.option(
    "--db",
    "db_url",
    default=None,
    help="People database to check the givers' names against (default: the usual one).",
)
def schedule_command(
    weekly: tuple[str, ...],
    givers: list[str],
    weeks: int,
    minutes: int,
    zone: Any,
    day: date | None,
    output: Path,
    db_url: str | None,
) -> None:
    """A calendar of weekly sessions, the giver taking turns, with a reminder 30 minutes before."""
    from rubdown.paper.calendar import schedule_ics, schedule_sessions

    for name in _unknown_givers(givers, db_url):
        warning = f"Warning: {name} is not among the people added with `people add`."
        click.echo(printable(warning), err=True)

    try:
        sessions = schedule_sessions(weekly, givers, weeks, zone, day)
        data = schedule_ics(weekly, givers, weeks, minutes, zone, day)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    _write(output, data, "--output")
    if str(output) == "-":
        return
    for session in sessions:
        click.echo(printable(f"{session.start:%a %d %b %Y %H:%M}  {session.title}"))
    click.echo(f"Saved {len(sessions)} sessions to {output} (time zone {zone.key}).")


def _unknown_givers(givers: list[str], db_url: str | None) -> list[str]:
    """Givers not in the people database; none if it does not exist yet or holds no one."""
    if not givers:
        return []
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from rubdown.store.db import database_url, open_store
    from rubdown.store.errors import StoreError
    from rubdown.store.people import PeopleRepo, name_key

    try:
        url = make_url(database_url(db_url))
        # Opening a SQLite file creates it; a calendar is no reason to start a database.
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
            return []
        with open_store(url.render_as_string(hide_password=False)) as store:
            known = {name_key(person.name) for person in PeopleRepo(store).list()}
    except (StoreError, ArgumentError, SQLAlchemyError, ValueError):
        # The check is a courtesy: a database we cannot read never stops the calendar.
        return []
    return [name for name in givers if known and name_key(name) not in known]


@click.command("sheet")
@plan_options
@receiver_options
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.pdf or FILE.html.",
)
def sheet_command(
    library: tuple[Path, ...],
    receiver: str | None,
    db_url: str | None,
    output: Path,
    **options: Any,
) -> None:
    """A one- or two-page sheet to print: set-up, then each step with a body map."""
    suffix = output.suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        raise click.BadParameter(f"'{output}' should end in .pdf or .html", param_hint="--output")
    cat = catalogue_for(library)
    plan = plan_for(cat, receiver, db_url, options)
    if suffix == ".pdf":
        from rubdown.paper.sheet import sheet_pdf

        _write(output, sheet_pdf(plan, cat), "--output")
    else:
        from rubdown.paper.sheet import sheet_html

        _write(output, sheet_html(plan, cat), "--output")
    click.echo(f"Saved the sheet for {len({s.step_index for s in plan.steps})} steps to {output}.")


def register(group: click.Group) -> None:
    """Add this module's commands to the CLI."""
    group.add_command(prep_command)
    group.add_command(schedule_command)
    group.add_command(sheet_command)
