"""`rubdown plan`: a session that fits the minutes and the receiver."""

from __future__ import annotations

import json
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


@click.command("plan")
@plan_options
@receiver_options
@json_option
def plan_command(
    library: tuple[Path, ...],
    receiver: str | None,
    db_url: str | None,
    as_json: bool,
    **options: Any,
) -> None:
    """Plan a session: areas, techniques, strokes, pressure and timing, with the reasons."""
    from rubdown.core.planjson import plan_to_json

    plan = plan_for(catalogue_for(library), receiver, db_url, options)
    if as_json:
        click.echo(json.dumps(plan_to_json(plan), indent=2))
    else:
        from rubdown.cli.render import print_plan

        print_plan(plan)


def register(group: click.Group) -> None:
    """Add this module's commands to the CLI."""
    group.add_command(plan_command)
