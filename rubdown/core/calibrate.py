"""The optional pressure check at the start: the receiver's answer shifts the plan's pressures."""

from __future__ import annotations

import re
from dataclasses import replace

from rubdown.core.checkin import NotACheckIn
from rubdown.core.models import FRAMES, LIGHT_PRESSURE, Plan, PlanError
from rubdown.core.wording import PRESSURE_FEEL, pressure_phrase
from rubdown.core.words import PRESSURE_CHECK_ANSWERS

ANSWERS = {"less": -1, "right": 0, "more": 1}
assert tuple(ANSWERS) == PRESSURE_CHECK_ANSWERS
FRAME_PRESSURE = 2  # the opening and finishing glides stay at 1-2
# Answers the check takes before the plan's pressures simply follow (about 30 s of strokes).
CHECK_ROUNDS = 3
# The spoken commands that answer the check while it is on (the voice grammar has no "less").
SPOKEN_ANSWERS = {"lighter": "less", "firmer": "more", "more": "more", "good": "right"}
_PHRASE = re.compile(r"pressure (\d+) of 10(, [^.]*)?")


class NotAtThePressureCheck(NotACheckIn):
    """A pressure-check answer came when the session is not at its pressure check."""

    word = "not-at-the-pressure-check"


def check_index(plan: Plan) -> int | None:
    """The index of the plan's pressure check, if it has one."""
    return next((i for i, s in enumerate(plan.segments) if s.kind == "calibrate"), None)


def check_pressure(plan: Plan) -> int:
    """The pressure the check tries: the first working step's after it (3 if there is none)."""
    start = check_index(plan) or 0
    work = (s for s in plan.segments[start:] if s.kind == "step" and s.role == "work")
    return next((s.pressure for s in work if s.pressure is not None), 3)


def check_answer(plan: Plan, answer: str, index: int, rounds: int) -> tuple[Plan, str, bool]:
    """The plan after the rounds-th answer at segment index, what to say, and whether the
    check is over (a 'right', or the last round); NotAtThePressureCheck elsewhere or after."""
    if answer not in ANSWERS:
        raise PlanError(f"unknown answer '{answer}'", tuple(ANSWERS))
    if plan.segments[index].kind != "calibrate":
        raise NotAtThePressureCheck("less, more and right answer the pressure check")
    if rounds > CHECK_ROUNDS:
        raise NotAtThePressureCheck("the pressure check is over: the pressures follow")
    new, _note = calibrate(plan, answer)
    value = check_pressure(new)
    done = answer == "right" or rounds == CHECK_ROUNDS
    return new, check_words(answer, value, done), done


def check_words(answer: str, value: int, done: bool) -> str:
    """What the giver hears after one answer: the pressure now, and try again or go on."""
    felt = f"a {value}, {PRESSURE_FEEL[value]}"
    if answer == "right":
        return f"Right: the work stays at {felt}."
    word = "Lighter" if answer == "less" else "Firmer"
    if done:
        return f"{word}: the work goes at {felt}."
    return f"{word}: try {felt}, a few strokes. Less, more or right?"


def calibrate(plan: Plan, answer: str) -> tuple[Plan, str]:
    """Every step after the pressure check one lighter ('less'), one firmer ('more'), or as
    planned ('right'), within each step's ceiling; light strokes stay light."""
    if answer not in ANSWERS:
        raise PlanError(f"unknown answer '{answer}'", tuple(ANSWERS))
    check = next((i for i, s in enumerate(plan.segments) if s.kind == "calibrate"), None)
    if check is None:
        raise PlanError("this plan has no pressure check; plan it with --calibrate")
    delta = ANSWERS[answer]
    if delta == 0:
        return plan, "The pressures stay as planned."
    segments = list(plan.segments)
    for i in range(check + 1, len(segments)):
        seg = segments[i]
        if seg.kind != "step" or seg.pressure is None:
            continue
        top = seg.max_pressure or seg.pressure
        if seg.role in FRAMES:
            top = min(top, FRAME_PRESSURE)
        elif seg.role in ("entry", "flush"):
            top = min(top, LIGHT_PRESSURE)
        value = min(max(seg.pressure + delta, 1), top)
        explained = _PHRASE.search(seg.say)
        felt = bool(explained and explained.group(2))
        say = _PHRASE.sub(pressure_phrase(value, felt), seg.say, count=1)
        segments[i] = replace(seg, pressure=value, say=say)
    word = "lighter" if delta < 0 else "firmer"
    note = f"Pressure check: {word} by one from here on."
    return replace(plan, segments=tuple(segments), notes=(*plan.notes, note)), note
