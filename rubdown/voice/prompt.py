"""What to tell the receiver they can say, the same in the terminal and in the player."""

from __future__ import annotations

from rubdown.voice.commands import COMMANDS, WAKE_WORD


def listen_prompt(wake: bool) -> str:
    """'say lighter, firmer, … or stop', with the wake word first when it is on."""
    said = [p for c in COMMANDS if not c.at_checkin_only for p in c.phrases]
    first = f'"{WAKE_WORD}", then ' if wake else ""
    return f"say {first}{', '.join(said[:-1])} or {said[-1]}."
