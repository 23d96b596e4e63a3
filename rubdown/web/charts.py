"""Charts drawn on the server as inline SVG (no chart library, no script)."""

from __future__ import annotations

import math
from html import escape

from rubdown.store.records import Stats

# A small canvas: on a phone the labels then come out at a readable size.
WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 12, 26
LEGEND_ROW = 22  # the colour key runs down below the plot, one person a row
# Distinct, colour-blind-friendly hues that stay readable on the dark page.
PALETTE = ("#7cc4ff", "#ffb86b", "#b8e986", "#f4a3d7", "#c9b6ff")


def _nice_top(value: float) -> int:
    """The y axis top: four equal steps of 1, 2 or 5 times a power of ten, at or above value."""
    quarter = max(value, 1.0) / 4
    power = 10.0 ** math.floor(math.log10(quarter))
    step = next(m * power for m in (1, 2, 5, 10) if quarter <= m * power)
    return max(4, math.ceil(4 * step))


def _grid(top: int, plot_h: float) -> list[str]:
    """Horizontal grid lines with minute labels."""
    parts = []
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" '
            f'y2="{y:.1f}"/><text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{value:g}</text>'
        )
    return parts


def _legend(people: list[str]) -> list[str]:
    """A colour key, one person a row under the plot (long names never collide)."""
    parts = []
    for i, name in enumerate(people):
        y = HEIGHT + i * LEGEND_ROW
        parts.append(
            f'<rect x="{LEFT}" y="{y + 4}" width="14" height="14" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/><text class="tick" x="{LEFT + 20}" '
            f'y="{y + 16}">{escape(name)} gave</text>'
        )
    return parts


def weekly_chart(stats: Stats) -> str:
    """Minutes each person gave, week by week, as grouped bars."""
    people = [p.name for p in stats.people]
    weeks = sorted({w.week_start for w in stats.weeks})
    given = {(w.week_start, w.person): w.given_minutes for w in stats.weeks}
    top = _nice_top(max(given.values(), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(weeks), 1)
    bar = (slot * 0.7) / max(len(people), 1)
    parts = _grid(top, plot_h)
    for wi, week in enumerate(weeks):
        x0 = LEFT + wi * slot + slot * 0.15
        for pi, name in enumerate(people):
            minutes = given.get((week, name), 0)
            h = plot_h * minutes / top
            parts.append(
                f'<rect x="{x0 + pi * bar:.1f}" y="{TOP + plot_h - h:.1f}" '
                f'width="{bar - 2:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[pi % len(PALETTE)]}"><title>{escape(name)}, week of '
                f"{week:%d %b}: {minutes:g} min given</title></rect>"
            )
        parts.append(
            f'<text class="tick" x="{LEFT + wi * slot + slot / 2:.1f}" '
            f'y="{TOP + plot_h + 15}" text-anchor="middle">{week.day} {week:%b}</text>'
        )
    parts += _legend(people)
    summary = (
        f"Minutes given per week by each person over the last {len(weeks)} weeks, "
        f"from the week of {weeks[0]:%d %B}."
        if weeks
        else "No weeks to show."
    )
    height = HEIGHT + LEGEND_ROW * len(people) + 4
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title">Minutes given per week</title>'
        f'<desc id="chart-desc">{escape(summary)}</desc>{"".join(parts)}</svg>'
    )
