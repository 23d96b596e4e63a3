"""The optional pressure check at the start: the receiver's answer shifts the plan's pressures."""

from __future__ import annotations

import re
from dataclasses import replace

from rubdown.core.models import LIGHT_PRESSURE, Plan, PlanError
from rubdown.core.wording import pressure_phrase

ANSWERS = {"less": -1, "right": 0, "more": 1}
FRAME_PRESSURE = 2  # the opening and finishing glides stay at 1-2
_PHRASE = re.compile(r"pressure (\d+) of 10(, [^.]*)?")


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
        if seg.role in ("opening", "finish"):
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
