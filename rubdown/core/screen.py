"""The red-flag screen: questions asked before a first session and when conditions change.

A "yes" to any of them means no massage, and says what to do instead; the first three are signs
of a squeezed nerve bundle at the base of the spine and need emergency help at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rubdown.core.models import PlanError, Refusal

EMERGENCY = (
    "Call 999 (or your local emergency number) or go to A&E now; do not wait to see if it passes."
)


@dataclass(frozen=True)
class RedFlag:
    """One screening question, what a yes means and what to do about it."""

    id: str
    question: str
    meaning: str
    advice: str
    emergency: bool
    source: str


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "saddle-numbness",
        "Is there new numbness or tingling around the genitals or the bottom?",
        "numbness around the genitals or bottom",
        EMERGENCY,
        True,
        "NHS: Cauda equina syndrome (nhs.uk/conditions/cauda-equina-syndrome); "
        "NHS: Sciatica (nhs.uk/conditions/sciatica)",
    ),
    RedFlag(
        "bladder-bowel",
        "Is there new trouble peeing, or controlling the bladder or bowels?",
        "new bladder or bowel trouble",
        EMERGENCY,
        True,
        "NHS: Cauda equina syndrome (nhs.uk/conditions/cauda-equina-syndrome)",
    ),
    RedFlag(
        "both-legs",
        "Is there new weakness, numbness or nerve pain in both legs?",
        "weakness or nerve pain in both legs",
        EMERGENCY,
        True,
        "NHS: Sciatica (nhs.uk/conditions/sciatica)",
    ),
    RedFlag(
        "calf-clot",
        "Is a calf swollen, warm and painful, or red or darkened?",
        "a swollen, warm, painful calf, which can be a blood clot",
        "Leave the legs alone and get a same-day appointment with a GP, or call 111. "
        "Call 999 if breathing becomes hard or there is chest pain.",
        False,
        "NHS: Deep vein thrombosis (nhs.uk/conditions/deep-vein-thrombosis)",
    ),
    RedFlag(
        "chest-pain",
        "Is there chest pain, or breathlessness that is new or worse than usual?",
        "chest pain or breathlessness",
        "Call 999 now if the pain is crushing, spreads to the arm, jaw or back, or breathing "
        "is hard. Otherwise get advice from a GP or 111 today before any massage.",
        False,
        "NHS: Chest pain (nhs.uk/conditions/chest-pain); "
        "NHS: Shortness of breath (nhs.uk/conditions/shortness-of-breath)",
    ),
    RedFlag(
        "fever",
        "Is there a fever, or do they feel hot and shivery?",
        "a fever",
        "No massage while feverish. Rest, drink plenty and try again once the temperature "
        "has been normal for a day or two; call 111 if it does not settle.",
        False,
        "NHS: High temperature (fever) in adults (nhs.uk/conditions/fever-in-adults)",
    ),
)
FLAGS: dict[str, RedFlag] = {f.id: f for f in RED_FLAGS}


class ScreenError(PlanError):
    """The answers are incomplete or name questions that do not exist."""


class ScreenNeeded(PlanError):
    """A session must wait for the screen: never answered, or the conditions changed since."""

    def __init__(self, person: str) -> None:
        super().__init__(
            f"{person} has not answered the safety questions since their conditions were "
            f"last set: answer them first (rubdown screen --for {person})"
        )
        self.person = person


class ScreenRefusal(Refusal):
    """A red flag was raised: no massage, and what to do now."""

    def __init__(self, flags: Sequence[RedFlag]) -> None:
        what = "; ".join(f.meaning for f in flags)
        advice = " ".join(dict.fromkeys(f.advice for f in flags))
        super().__init__(f"No massage: {what}.", advice, f"red-flag:{flags[0].id}")
        self.flags = tuple(flags)
        self.emergency = any(f.emergency for f in flags)


def raised(answers: Mapping[str, bool]) -> tuple[RedFlag, ...]:
    """The red flags answered yes; every question must have an answer, and only those."""
    unknown = sorted(set(answers) - set(FLAGS))
    missing = [f.id for f in RED_FLAGS if f.id not in answers]
    if unknown:
        raise ScreenError(f"unknown screening question '{unknown[0]}'", tuple(FLAGS))
    if missing:
        raise ScreenError(f"no answer to '{missing[0]}': every question needs a yes or a no")
    return tuple(f for f in RED_FLAGS if answers[f.id])


def refuse_if_raised(flag_ids: Sequence[str]) -> None:
    """ScreenRefusal when any stored red flag is up."""
    flags = [FLAGS[f] for f in flag_ids if f in FLAGS]
    if flags:
        raise ScreenRefusal(flags)


def screen_due(screened_conditions: Sequence[str] | None, conditions: Sequence[str]) -> bool:
    """Whether to ask again: never asked, or the conditions differ from when it was answered."""
    if screened_conditions is None:
        return True
    return {c.casefold() for c in screened_conditions} != {c.casefold() for c in conditions}


def gate(
    person: str,
    screened_conditions: Sequence[str] | None,
    flags: Sequence[str],
    conditions: Sequence[str],
) -> None:
    """Before a session: refuse on a stored red flag, or ask for the screen when it is due."""
    refuse_if_raised(flags)
    if screen_due(screened_conditions, conditions):
        raise ScreenNeeded(person)
