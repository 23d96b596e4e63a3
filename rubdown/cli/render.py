"""Readable terminal tables for plans and the catalogue (rich, imported lazily)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from rubdown.core.models import Plan


def clock(seconds: float) -> str:
    """Seconds as m:ss."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def pressure_bar(value: int | None, width: int = 10) -> str:
    """A pressure as a small bar and its number."""
    if value is None:
        return ""
    return "█" * value + "·" * (width - value) + f" {value}"


def console() -> Console:
    """A console that degrades to plain text when piped."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def plan_table(plan: Plan) -> Any:
    """The plan as a rich table: one row per segment."""
    from rich.table import Table

    table = Table(title=f"{plan.minutes}-minute session, {plan.position}", expand=False)
    for column, justify in (
        ("Start", "right"),
        ("Length", "right"),
        ("Area", "left"),
        ("What", "left"),
        ("Pressure", "left"),
        ("Reps", "right"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for seg in plan.segments:
        if seg.kind == "step":
            side = f" ({seg.side})" if seg.side in ("left", "right") else ""
            table.add_row(
                clock(seg.start_s),
                clock(seg.duration_s),
                (seg.region_name or "") + side,
                seg.technique_name or "",
                pressure_bar(seg.pressure),
                str(seg.reps),
            )
        else:
            label = {
                "check-in": "Check in with your partner",
                "oil": "Oil",
                "announce": "Say where you go next",
                "closing": "Closing",
                "hold": "Still hold",
                "calibrate": "Pressure check",
            }[seg.kind]
            table.add_row(
                clock(seg.start_s), clock(seg.duration_s), "", f"[dim]{label}[/dim]", "", ""
            )
    return table


def print_plan(plan: Plan) -> None:
    """Print the plan table, its total time and its notes."""
    out = console()
    out.print(plan_table(plan))
    out.print(f"Total: {clock(plan.total_seconds)} ({plan.total_seconds:.0f} s)")
    if plan.notes:
        out.print("\nWhy it looks like this:")
        for note in plan.notes:
            out.print(f"  • {note}")
    if plan.warnings:
        out.print("\nSafety:")
        for warning in plan.warnings:
            out.print(f"  ! {warning}")
