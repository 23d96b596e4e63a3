"""What rubdown says aloud: short sentences for a giver whose eyes are on their partner."""

from __future__ import annotations

from collections.abc import Sequence

from rubdown.core.models import Position, Region, Technique

OPENING_OIL = (
    "Warm a little oil between your palms first. Cold oil makes muscles tense, "
    "so never pour it straight onto the skin."
)
MORE_OIL = "Time for a little more oil. Warm it in your hands before it touches skin."


def opening_oil(oil: str = "") -> str:
    """The first words: warm the oil, naming the one to use when a condition asks for it."""
    if not oil:
        return OPENING_OIL
    return (
        f"Use {oil} today. Warm a little between your palms first. Cold oil makes "
        "muscles tense, so never pour it straight onto the skin."
    )


def more_oil(oil: str = "") -> str:
    """A top-up of oil, naming the one to use when a condition asks for it."""
    if not oil:
        return MORE_OIL
    return f"Time for a little more of the {oil}. Warm it in your hands before it touches skin."


def turn_over(position: Position) -> str:
    """Said halfway through a position worked one side at a time."""
    return f"{position.turn} Then the same again on this side."


CLOSING_REST = {
    "lying": "cover your partner with the warm towels and let them lie quietly for a minute",
    "seated": "wrap the warm towel round your partner's shoulders and let them sit quietly",
    "side-lying": "cover your partner with the warm towels and let them rest on their side",
    "face-up": "cover your partner with the warm towels and let them lie quietly for a minute",
}


def closing(position: str | None) -> str:
    """The last words of a session; how to rest depends on the position."""
    rest = CLOSING_REST.get(position or "", "let your partner stay still and breathe for a minute")
    return f"That is the end. Rest your hands still for a breath, then {rest}."


def step_intro(technique: Technique, region: Region, reps: int, pressure: int, side: str) -> str:
    """The spoken introduction of a step."""
    where = f"{region.name}, {side} side" if side in ("left", "right") else region.name
    return f"{where}: {technique.name}. {technique.cue} {reps} times, pressure {pressure} of 10."


def step_continue(technique: Technique, reps: int) -> str:
    """Said when a long step carries on after a check-in."""
    return f"Carry on with the {technique.name.lower()}, {reps} more times."


def announce(region: Region) -> str:
    """Tells the giver, and through them the receiver, where the hands go next."""
    return f"Next, the {region.name.lower()}. Tell your partner where your hands are going."


def change_position(position: Position) -> str:
    """Said when the session moves to another position."""
    return f"Change position now. {position.setup}"


def check_in(warnings: Sequence[str], next_region: Region | None = None) -> str:
    """A pause to ask the receiver how it feels."""
    parts = ["Check in: ask how the pressure feels and whether anything should change."]
    if next_region is not None:
        parts.append(f"Then move on to the {next_region.name.lower()}.")
    parts.extend(warnings)
    return " ".join(parts)


def halfway() -> str:
    """Said half way through a step."""
    return "Halfway."


def last_three() -> str:
    """Said three repetitions before a step ends."""
    return "Last three."


def step_brief(region_name: str, side: str | None, technique_name: str, reps: int) -> str:
    """A step whose technique the giver already heard explained: only the area and the count."""
    where = f"{region_name}, {side} side" if side in ("left", "right") else region_name
    return f"{where}: {technique_name.lower()}, {reps} times."
