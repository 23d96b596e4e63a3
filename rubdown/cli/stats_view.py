"""Stats shown three ways: a table, JSON, and a chart (matplotlib, imported only for --plot)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rubdown.store.records import Stats


def plot_stats(stats: Stats, path: Path) -> None:
    """Minutes given per person per week as grouped bars, saved as PNG or SVG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    weeks = sorted({row.week_start for row in stats.weeks})
    people = [p.name for p in stats.people]
    fig, ax = plt.subplots(figsize=(max(6, len(weeks) * 0.9), 4))
    width = 0.8 / max(1, len(people))
    for i, name in enumerate(people):
        given = {r.week_start: r.given_minutes for r in stats.weeks if r.person == name}
        xs = [w + i * width for w in range(len(weeks))]
        ax.bar(xs, [given.get(week, 0.0) for week in weeks], width, label=f"{name} gave")
    ax.set_xticks(
        [w + 0.4 - width / 2 for w in range(len(weeks))],
        [week.strftime("%d %b") for week in weeks],
        rotation=45,
    )
    ax.set_ylabel("minutes given")
    ax.set_title("Minutes given per week")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


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


def print_stats(found: Stats) -> None:
    """Totals with the balance, then minutes given/received per week, one column pair a person."""
    from rubdown.cli.people_cmds import show_table

    rows = [
        (
            p.name,
            p.sessions_given,
            p.minutes_given,
            p.sessions_received,
            p.minutes_received,
            f"{p.balance:+g}",
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
                f"{cells[week, n].given_minutes:g} / {cells[week, n].received_minutes:g}"
                for n in names
            ),
        )
        for week in sorted({w.week_start for w in found.weeks})
    ]
    show_table("Minutes given / received per week", ("Week of", *names), week_rows)
