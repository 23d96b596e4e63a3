"""What to tell the receiver they can say, the same in the terminal and in the player."""

from __future__ import annotations

from rubdown.voice.commands import COMMANDS, WAKE_WORD


def listen_prompt(wake: bool) -> str:
    """'say lighter, firmer, … or stop', with the wake word first when it is on."""
    # One phrase per command: the others ("harder", "wait") are for those who say it so anyway.
    said = [c.phrases[0] for c in COMMANDS if not c.at_checkin_only]
    first = f'"{WAKE_WORD}", then ' if wake else ""
    return f"say {first}{', '.join(said[:-1])} or {said[-1]}."
