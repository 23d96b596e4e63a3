"""The word lists every edge shares, defined once (light to import: typing only).

Each list is a Literal type (for pydantic, mypy and the JSON Schema) and the tuple of its words.
"""

from __future__ import annotations

from typing import Literal, get_args

MIN_MINUTES, MAX_MINUTES = 5, 90

Pressure = Literal["light", "medium", "firm"]
Verdict = Literal["right", "too-light", "too-firm"]
Status = Literal["running", "finished", "interrupted", "quit"]
Ending = Literal["finished", "quit", "interrupted"]
# What anyone may ask of a running session: the giver's keys, the remote, a voice command.
Change = Literal["lighter", "firmer", "more", "skip", "next", "back", "pause", "resume", "stop"]
# The buttons of the receiver's remote and the player's own controls.
RemoteChange = Literal["lighter", "firmer", "more", "skip", "back", "stop"]
By = Literal["giver", "receiver", "voice"]
# What the receiver can answer at a check-in ("that's good", lighter, firmer, "perfect, stay").
Answer = Literal["good", "lighter", "firmer", "stay"]
# What the receiver answers at the pressure check at the start.
PressureCheckAnswer = Literal["less", "right", "more"]
# The events a player journals itself (starts, endings and bookkeeping are the server's).
PlayerEvent = Literal[
    "segment-started",
    "segment-finished",
    "segment-skipped",
    "paused",
    "resumed",
    "lighter",
    "firmer",
    "more-time",
    "back",
]
# Every journal entry: the player's, plus the start, the endings, the receiver's feedback, and
# a check-in answer that changed nothing.
EventKind = Literal[
    PlayerEvent, "session-started", Ending, "feedback", "check-in-answered", "pressure-checked"
]

PRESSURES: tuple[str, ...] = get_args(Pressure)
VERDICTS: tuple[str, ...] = get_args(Verdict)
STATUSES: tuple[str, ...] = get_args(Status)
ENDINGS: tuple[str, ...] = get_args(Ending)
CHANGES: tuple[str, ...] = get_args(Change)
REMOTE_CHANGES: tuple[str, ...] = get_args(RemoteChange)
BY: tuple[str, ...] = get_args(By)
CHECK_IN_ANSWERS: tuple[str, ...] = get_args(Answer)
PRESSURE_CHECK_ANSWERS: tuple[str, ...] = get_args(PressureCheckAnswer)
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)
PLAYER_EVENTS: tuple[str, ...] = get_args(PlayerEvent)
PRESSURE_CHANGES = ("lighter", "firmer")
