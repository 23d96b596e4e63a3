"""The pressure check in the terminal guide: keys and spoken commands as less, more or right.

During the plan's pressure check (`--calibrate`) the pressure keys and words answer it instead
of changing a step: l or "lighter" is less, f, m, "firmer" or "more here" is more, r or
"that's good" is right. The answer goes through the session engine, so it is journalled and a
resumed session plays the same pressures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rubdown.core.calibrate import SPOKEN_ANSWERS

if TYPE_CHECKING:
    from rubdown.cli.guide_runner import GuideRunner

CHECK_KEYS = {"l": "less", "f": "more", "m": "more", "r": "right"}
CHECK_VOICE = SPOKEN_ANSWERS
CHECK_KEY_HELP = "pressure check: l less · m more · r right · space pause · q quit"


def at_check(runner: GuideRunner) -> bool:
    """Whether the segment in progress is the plan's pressure check."""
    return runner.open is not None and runner.open[1].kind == "calibrate"


def answer_check(runner: GuideRunner, answer: str, by: str = "receiver") -> None:
    """One answer to the pressure check, through the engine; after the check is over, a note."""
    from rubdown.core.calibrate import NotAtThePressureCheck

    now = runner.sched.position_s
    try:
        outcome = runner.session.check_pressure(answer, now, by=by)
    except NotAtThePressureCheck as err:
        runner.note = f"{str(err)[0].upper()}{str(err)[1:]}."
        return
    if outcome.event is not None:
        runner.display.event(outcome.event, outcome.note)
        runner.saved_s = max(runner.saved_s, now)
    runner.adopt(outcome)
