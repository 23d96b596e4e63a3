"""The `rubdown` command: a group whose subcommands are thin adapters over the library."""

from __future__ import annotations

import json
import logging
import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rubdown.core.catalogue import CatalogueError
    from rubdown.core.models import PlanError, Refusal

# Subcommand modules import only click at load time, so `rubdown --help` stays fast.
COMMAND_MODULES = (
    "rubdown.cli.catalogue_cmds",
    "rubdown.cli.plan_cmd",
    "rubdown.cli.guide_cmd",
    "rubdown.cli.people_cmds",
    "rubdown.cli.screen_cmd",
    "rubdown.cli.prep_cmds",
    "rubdown.cli.serve_cmd",
    "rubdown.cli.voice_cmds",
    "rubdown.cli.hear_cmd",
)


def report_error(err: Exception, as_json: bool = False) -> int:
    """Print a domain error plainly (never a traceback) and return its exit code."""
    from rubdown.core.catalogue import CatalogueError
    from rubdown.core.models import PlanError, Refusal

    if isinstance(err, CatalogueError):
        return _report_content(err)
    if isinstance(err, Refusal):
        return _report_refusal(err, as_json)
    if isinstance(err, PlanError):
        return _report_plan_error(err, as_json)
    from rubdown.extras import MissingExtra

    if isinstance(err, MissingExtra):
        click.echo(f"Error: {err}", err=True)
        return err.exit_code
    store_error = _store_error_type()
    if store_error is not None and isinstance(err, store_error):
        from rubdown.core.names import printable

        click.echo(printable(f"Error: {err}"), err=True)
        return int(getattr(err, "exit_code", 2))
    raise err


def _report_content(err: CatalogueError) -> int:
    """Each problem in the content files, then how many."""
    for problem in err.problems:
        click.echo(str(problem), err=True)
    count = len(err.problems)
    click.echo(f"{count} problem{'' if count == 1 else 's'} in the content files.", err=True)
    return 1


def _report_refusal(err: Refusal, as_json: bool) -> int:
    """A safety refusal: its reason and what to do instead (one JSON object with --json)."""
    if as_json:
        body = {"refused": True, "reason": err.reason, "instead": err.instead}
        click.echo(json.dumps({**body, "condition": err.condition}))
    else:
        click.echo(f"{err.reason}\nInstead: {err.instead}", err=True)
    return err.exit_code


def _report_plan_error(err: PlanError, as_json: bool) -> int:
    """A plan that cannot be made, with the valid choices if there are any."""
    if as_json:
        click.echo(json.dumps({"error": err.message, "choices": list(err.choices)}))
    click.echo(f"Error: {err.message}", err=True)
    if err.choices:
        click.echo(f"Valid choices: {', '.join(err.choices)}", err=True)
    return err.exit_code


def _store_error_type() -> type[Exception] | None:
    module = sys.modules.get("rubdown.store.errors")
    return getattr(module, "StoreError", None) if module else None


class NoteHandler(logging.Handler):
    """The library's notes (say, a data file made private) as 'Note: ...' on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        from rubdown.core.names import printable

        click.echo(printable(f"Note: {record.getMessage()}"), err=True)


def _notes_to_stderr() -> None:
    logger = logging.getLogger("rubdown")
    if not any(isinstance(h, NoteHandler) for h in logger.handlers):
        logger.addHandler(NoteHandler(logging.WARNING))
        logger.propagate = False


class RubdownGroup(click.Group):
    """A click group that turns rubdown's own errors into messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        _notes_to_stderr()
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as err:  # domain errors only; anything else is re-raised
            ctx.exit(report_error(err, bool(ctx.meta.get("rubdown.json"))))


@click.group(cls=RubdownGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rubdown")
def cli() -> None:
    """rubdown: a hands-free coach for partner massage.

    Plan a session that fits your minutes and your partner's body, be talked
    through it, and keep track of whose turn it is.
    """


def _register() -> None:
    import importlib

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:  # a real missing dependency, not an absent module
                raise
            continue
        module.register(cli)


_register()


def main() -> None:
    """Entry point of the `rubdown` console script."""
    cli(prog_name="rubdown")
