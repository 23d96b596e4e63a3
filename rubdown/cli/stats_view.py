"""History and stats shown as tables, JSON and a chart (matplotlib, imported only for --plot)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rubdown.store.records import SessionRecord, Stats

CHART_SUFFIXES = (".png", ".svg")


def minutes(value: float) -> str:
    """Minutes as every stats view shows them: one decimal."""
    return f"{value:.1f}"


def balance(value: float) -> str:
    """A balance with its sign and unit: '+5.0 min', '-2.5 min'."""
    return f"{value:+.1f} min"


def show_table(title: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Print rows as a rich table."""
    from rich.table import Table

    from rubdown.cli.render import console
    from rubdown.core.names import printable

    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if v is None else printable(str(v)) for v in row))
    console().print(table)


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
    return {**record.to_json(), "events": [event_json(e) for e in events]}


def check_chart_path(path: Path) -> None:
    """Refuse (exit 2) a chart file that cannot be written, before anything is drawn."""
    from rubdown.extras import require

    require("plot")
    if path.suffix.lower() not in CHART_SUFFIXES:
        raise click.BadParameter("the chart file must end in .png or .svg", param_hint="--plot")
    folder = path.parent
    if not folder.is_dir():
        problem = "no such folder"
    elif path.exists() and not os.access(path, os.W_OK):
        problem = "the file is read-only"
    elif not path.exists() and not os.access(folder, os.W_OK | os.X_OK):
        problem = "the folder is read-only"
    else:
        return
    raise click.BadParameter(f"cannot write {path}: {problem}", param_hint="--plot")


def has_sessions(found: Stats) -> bool:
    """Whether anyone gave or received in the window."""
    return any(p.sessions_given or p.sessions_received for p in found.people)


def draw_chart(found: Stats) -> Any:
    """Bars of minutes given (solid) and received (hatched) per person per week."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    weeks = sorted({row.week_start for row in found.weeks})
    people = found.people
    fig, ax = plt.subplots(figsize=(max(6, len(weeks) * 1.1), 4.5))
    width = 0.8 / (2 * len(people))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, person in enumerate(people):
        rows = {r.week_start: r for r in found.weeks if r.person == person.name}
        colour = colours[i % len(colours)]
        for j, (what, hatch) in enumerate((("given", None), ("received", "//"))):
            xs = [w + (2 * i + j) * width for w in range(len(weeks))]
            heights = [getattr(rows[w], f"{what}_minutes") if w in rows else 0.0 for w in weeks]
            label = f"{person.name} {'gave' if what == 'given' else 'received'}"
            fill = colour if hatch is None else "white"
            ax.bar(xs, heights, width, label=label, color=fill, edgecolor=colour, hatch=hatch)
    ax.set_xticks(
        [w + 0.4 - width / 2 for w in range(len(weeks))],
        [week.strftime("%d %b") for week in weeks],
        rotation=45,
    )
    ax.set_ylabel("minutes")
    shown = ", ".join(f"{p.name} {balance(p.balance)}" for p in people)
    ax.set_title(f"Minutes given and received per week\nBalance (given − received): {shown}")
    ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


def plot_stats(found: Stats, path: Path) -> None:
    """Save the chart as PNG or SVG; with no sessions there is nothing to draw, so say so."""
    if not has_sessions(found):
        click.echo(f"No chart written to {path}: there is nothing to draw yet.")
        return
    import matplotlib.pyplot as plt

    fig = draw_chart(found)
    try:
        fig.savefig(path)
    except OSError as err:
        raise click.BadParameter(
            f"cannot write {path}: {err.strerror or err}", param_hint="--plot"
        ) from None
    finally:
        plt.close(fig)
    click.echo(f"Chart written to {path}")


def stats_json(found: Stats) -> dict[str, Any]:
    """Stats as plain JSON."""
    weeks = [{**vars(w), "week_start": w.week_start.isoformat()} for w in found.weeks]
    people = [{**vars(p), "balance": p.balance} for p in found.people]
    return {
        "since": found.since.isoformat(),
        "balance": found.balance,
        "people": people,
        "weeks": weeks,
    }


def print_stats(found: Stats, weeks: int) -> None:
    """Totals with the balance, then minutes given / received per week, one column a person."""
    if not has_sessions(found):
        span = "week" if weeks == 1 else f"{weeks} weeks"
        click.echo(
            f"No sessions between named people in the last {span} (the turns count only "
            "those): start one with `rubdown guide --giver NAME --for NAME`."
        )
        return
    rows = [
        (
            p.name,
            p.sessions_given,
            minutes(p.minutes_given),
            p.sessions_received,
            minutes(p.minutes_received),
            balance(p.balance),
        )
        for p in found.people
    ]
    columns = ("Person", "Gave", "Minutes given", "Received", "Minutes received", "Balance")
    show_table(f"Since {found.since.isoformat()}", columns, rows)
    names = [p.name for p in found.people]
    cells = {(w.week_start, w.person): w for w in found.weeks}
    week_rows = [
        (
            week.isoformat(),
            *(
                f"{minutes(cells[week, n].given_minutes)} / "
                f"{minutes(cells[week, n].received_minutes)}"
                for n in names
            ),
        )
        for week in sorted({w.week_start for w in found.weeks})
    ]
    show_table("Minutes given / received per week", ("Week of", *names), week_rows)
