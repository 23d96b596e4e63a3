"""Browsing and checking content: techniques, routines, conditions, regions, show, check, schema."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from rubdown.cli.options import LIBRARY_OPTION, catalogue_for, json_option


def _emit(rows: list[dict[str, Any]], columns: tuple[str, ...], title: str, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    from rich.table import Table

    from rubdown.cli.render import console

    table = Table(title=title)
    for column in columns:
        # Ids are what people type, so they are never cut short.
        table.add_column(column.replace("_", " ").capitalize(), no_wrap=column.endswith("id"))
    for row in rows:
        table.add_row(*(_cell(row[c]) for c in columns))
    console().print(table)


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else ""
    return ", ".join(value) if isinstance(value, list | tuple) else str(value)


def _listing(name: str, table: str, columns: tuple[str, ...], doc: str) -> click.Command:
    @click.command(name, help=doc)
    @LIBRARY_OPTION
    @json_option
    def command(library: tuple[Path, ...], as_json: bool) -> None:
        items = getattr(catalogue_for(library), table).values()
        _emit([asdict(item) for item in items], columns, name.capitalize(), as_json)

    return command


LISTINGS = (
    _listing(
        "techniques",
        "techniques",
        ("id", "name", "kind", "regions", "positions", "stroke_rule"),
        "List the massage techniques rubdown knows.",
    ),
    _listing(
        "routines",
        "routines",
        ("id", "name", "position", "minutes"),
        "List the ready-made routines.",
    ),
    _listing(
        "conditions",
        "conditions",
        ("id", "name", "refuse", "explain"),
        "List the health conditions the planner adapts to.",
    ),
    _listing(
        "regions",
        "regions",
        ("id", "name", "order", "no_press"),
        "List the body regions, head to toe.",
    ),
)


@click.command("show")
@click.argument("routine_id")
@LIBRARY_OPTION
@json_option
def show_command(routine_id: str, library: tuple[Path, ...], as_json: bool) -> None:
    """Show a routine's steps."""
    from rubdown.core.models import PlanError

    cat = catalogue_for(library)
    routine = cat.routines.get(routine_id)
    if routine is None:
        raise PlanError(f"unknown routine '{routine_id}'", tuple(cat.routines))
    if as_json:
        click.echo(json.dumps(asdict(routine), indent=2))
        return
    click.echo(f"{routine.name} ({routine.position}, about {routine.minutes} minutes)")
    if routine.description:
        click.echo(routine.description)
    rows = []
    for step in routine.steps:
        t = cat.techniques[step.technique]
        rows.append(
            {
                "technique_id": step.technique,
                "region": cat.regions[step.region].name,
                "technique": t.name,
                "kind": t.kind,
                "reps": step.reps or t.reps.default,
                "pressure": step.pressure or t.pressure.default,
            }
        )
    columns = ("region", "technique", "technique_id", "kind", "reps", "pressure")
    _emit(rows, columns, "Steps", False)


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def check_command(files: tuple[Path, ...]) -> None:
    """Check routine or technique files; print every problem as file:line:column."""
    from rubdown.core.catalogue import check_files, load_catalogue

    # A folder without content files is a mistake (the wrong folder), not a clean bill.
    empty = [str(f) for f in files if f.is_dir() and not expand_paths((f,))]
    if empty:
        raise click.ClickException(f"{', '.join(empty)}: no .yaml or .yml files in this folder")
    paths = expand_paths(files)
    problems = check_files(paths, load_catalogue())
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{plural(len(problems), 'problem')} found.", err=True)
        raise click.exceptions.Exit(1)
    click.echo(f"ok: {plural(len(paths), 'file')} checked, no problems.")


def expand_paths(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; a folder stands for every YAML file under it."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
        else:
            out.append(path)
    return out


def plural(count: int, word: str) -> str:
    """'1 problem', '2 problems'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


@click.command("schema")
@click.option("--plan", "plan", is_flag=True, help="The plan JSON's schema instead.")
def schema_command(plan: bool) -> None:
    """Print a JSON Schema for routine files (for editor completion), or for the plan JSON."""
    if plan:
        from rubdown.core.plan_model import plan_schema

        click.echo(json.dumps(plan_schema(), indent=2))
        return
    from rubdown.core.catalogue import load_catalogue
    from rubdown.core.schema import routine_schema

    click.echo(json.dumps(routine_schema(load_catalogue()), indent=2))


def register(group: click.Group) -> None:
    """Add this module's commands to the CLI."""
    for command in (*LISTINGS, show_command, check_command, schema_command):
        group.add_command(command)
