"""The spoken commands rubdown listens for, and what a recogniser reports when it hears one."""

from __future__ import annotations

from dataclasses import dataclass

WAKE_WORD = "rubdown"
# How the wake word is pronounced (it is not in the dictionary): "RUB-down".
WAKE_PHONES = "R AH B D AW N"


@dataclass(frozen=True)
class Command:
    """One command: the name the session engine knows, and the phrases that say it."""

    name: str
    phrases: tuple[str, ...]
    at_checkin_only: bool = False


# Names follow the session engine's changes (lighter, firmer, more, skip, back, pause,
# resume, stop); "good" answers a check-in.
COMMANDS: tuple[Command, ...] = (
    Command("lighter", ("lighter",)),
    Command("firmer", ("firmer",)),
    Command("more", ("more here",)),
    Command("skip", ("skip",)),
    Command("back", ("go back",)),
    Command("pause", ("pause",)),
    Command("resume", ("go on",)),
    Command("stop", ("stop",)),
    Command("good", ("that's good", "perfect"), at_checkin_only=True),
)

COMMAND_OF_PHRASE: dict[str, str] = {p: c.name for c in COMMANDS for p in c.phrases}
# The phrase a command is first known by (how an echo names it when the words are unsure).
PHRASE_OF_COMMAND: dict[str, str] = {c.name: c.phrases[0] for c in COMMANDS}

# Pronunciations the dictionary lacks: mostly the non-rhotic ones of British English
# ("firmer" as F ER M AH, "more" without its R) and the rounded vowel of "stop", "back".
ALTERNATIVES: tuple[tuple[str, str], ...] = (
    ("firmer", "F ER M AH"),
    ("perfect", "P AH F IH K T"),
    ("stop", "S T AO P"),
    ("here", "HH IY AH"),
)


def command_names() -> list[str]:
    """Every command name, in the order of COMMANDS."""
    return [c.name for c in COMMANDS]


def phrases() -> list[str]:
    """Every phrase a receiver can say."""
    return list(COMMAND_OF_PHRASE)


@dataclass(frozen=True)
class Heard:
    """A command the recogniser would act on: when it ended, what, and how sure it is."""

    at_s: float  # the end of the utterance on the listening clock
    command: str
    phrase: str
    confidence: float  # 0..1; only heard ones at or above the acceptance point are reported
    start_s: float

    def as_json(self) -> dict[str, object]:
        """The `rubdown hear --json` record."""
        return {
            "at_s": round(self.at_s, 2),
            "command": self.command,
            "phrase": self.phrase,
            "confidence": round(self.confidence, 3),
        }
