"""Options shared by every command that plans a session (plan, guide, prep, sheet)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from rubdown.core.models import Catalogue, Plan, PlanRequest
    from rubdown.store.db import Store

F = TypeVar("F", bound=Callable[..., Any])

PLAN_OPTIONS = (
    click.option(
        "--minutes",
        type=int,
        default=None,
        help="Length of the session, 5-90 (default 30, or the routine's).",
    ),
    click.option(
        "--position",
        default="any",
        show_default=True,
        help="seated, lying (face down), side-lying, face-up, seated-forearms or any.",
    ),
    click.option("--routine", default=None, help="Follow a routine (see `rubdown routines`)."),
    click.option("--focus", multiple=True, help="Region to spend more time on (repeatable)."),
    click.option("--avoid", multiple=True, help="Region to leave out (repeatable)."),
    click.option(
        "--pressure",
        type=click.Choice(["light", "medium", "firm"]),
        default=None,
        help="Receiver's preferred pressure (default medium).",
    ),
    click.option(
        "--condition",
        "conditions",
        multiple=True,
        help="Health condition (repeatable; see `rubdown conditions`).",
    ),
    click.option("--vary", type=int, default=None, help="Seed for a different mix of techniques."),
    click.option(
        "--calibrate",
        is_flag=True,
        default=False,
        help="Open with a 30-second pressure check (less, more or right).",
    ),
)

LIBRARY_OPTION = click.option(
    "--library",
    "library",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Folder with your own techniques/ and routines/ (repeatable).",
)


def plan_options(func: F) -> F:
    """Add the planning options to a command."""
    for option in reversed(PLAN_OPTIONS):
        func = option(func)
    return LIBRARY_OPTION(func)


def json_option(func: F) -> F:
    """Add --json, and remember it so errors are reported as JSON too."""

    def remember(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
        ctx.meta["rubdown.json"] = value
        return value

    return click.option(
        "--json", "as_json", is_flag=True, callback=remember, help="Print JSON instead of a table."
    )(func)


def catalogue_for(library: tuple[Path, ...] = ()) -> Catalogue:
    """The shipped catalogue plus the user's library folders."""
    from rubdown.core.catalogue import default_library_dirs, load_catalogue
    from rubdown.core.source import Problem

    skipped: list[Problem] = []
    cat = load_catalogue(list(library) or default_library_dirs(), skipped=skipped)
    if skipped:
        files = sorted({p.file for p in skipped})
        click.echo(f"Warning: left out {len(files)} library file(s) with problems:", err=True)
        for problem in skipped:
            click.echo(f"  {problem}", err=True)
        click.echo(f"  (run `rubdown check {files[0]}` after fixing it)", err=True)
    return cat


def request_from(
    minutes: int | None,
    position: str,
    routine: str | None,
    focus: tuple[str, ...],
    avoid: tuple[str, ...],
    pressure: str | None,
    conditions: tuple[str, ...],
    vary: int | None,
    calibrate: bool = False,
    **_: Any,
) -> PlanRequest:
    """A plan request from the planning options."""
    from rubdown.core.models import PlanRequest, Profile

    profile = Profile(
        pressure=pressure, focus=tuple(focus), avoid=tuple(avoid), conditions=tuple(conditions)
    )
    return PlanRequest(
        minutes=minutes,
        position=position,
        routine=routine,
        profile=profile,
        vary=vary,
        calibrate=calibrate,
    )


RECEIVER_OPTIONS = (
    click.option(
        "--for",
        "receiver",
        default=None,
        help="Plan for someone added with `people add`: their stored and learned preferences.",
    ),
    click.option(
        "--db",
        "db_url",
        default=None,
        help="Database URL for --for (default: SQLite in the data folder; $RUBDOWN_DATABASE_URL).",
    ),
)


def receiver_options(func: F) -> F:
    """Add --for NAME and --db, for commands that can plan with a stored profile."""
    for option in reversed(RECEIVER_OPTIONS):
        func = option(func)
    return func


def plan_for(
    cat: Catalogue, receiver: str | None, db_url: str | None, options: dict[str, Any]
) -> Plan:
    """Plan from the options, merged with the receiver's stored profile when one is named."""
    if receiver is None:
        return plan_with_profile(cat, None, None, options)
    from rubdown.store.db import open_store

    with open_store(db_url) as store:
        return plan_with_profile(cat, store, receiver, options)


def plan_with_profile(
    cat: Catalogue, store: Store | None, receiver: str | None, options: dict[str, Any]
) -> Plan:
    """Plan from the options plus the receiver's stored and learned profile, if any."""
    from dataclasses import replace

    from rubdown.core.planner import plan_session
    from rubdown.store.profiles import profile_for

    profile = profile_for(
        store,
        receiver,
        pressure=options["pressure"],
        focus=options["focus"],
        avoid=options["avoid"],
        conditions=options["conditions"],
    )
    return plan_session(cat, replace(request_from(**options), profile=profile))
