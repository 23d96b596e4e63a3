"""What is said before each step: towel moves, cautions and warnings, where they matter.

Everything here depends only on the order of the steps, so it is worked out once per plan,
before the repetitions are fitted.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rubdown.core.models import FRAMES, Catalogue
from rubdown.core.towels import Towels

if TYPE_CHECKING:
    from rubdown.core.models import Segment
    from rubdown.core.stepspec import StepSpec

WORDS_PER_MINUTE = 150
# A slot holds its words with a breath to spare; an introduction leaves most of the step.
SLOT_MARGIN_S = 1.0
# What the words ask the hands to do takes time of its own after them: moving a towel.
TOWEL_MOVE_S = 5.0
INTRO_SHARE = 0.5
_WORD = re.compile(r"[A-Za-z0-9']+")


@functools.lru_cache(maxsize=8192)
def word_count(text: str) -> int:
    """The words in a sentence (cached: the planner asks about the same cues many times)."""
    return len(_WORD.findall(text))


def speech_seconds(text: str) -> float:
    """How long a sentence takes to say at a calm pace."""
    return word_count(text) * 60.0 / WORDS_PER_MINUTE


def time_to_act(doing: float, said_after: str) -> float:
    """The seconds a pause needs past its words for the hands to do what they ask (`doing`):
    what the hands do while the words after the ask are said takes none."""
    return max(0.0, doing - speech_seconds(said_after))


def heard_in_full(seg: Segment) -> bool:
    """Whether a segment lasted long enough for its words (a step cut seconds in did not)."""
    return seg.duration_s >= speech_seconds(seg.say)


@functools.lru_cache(maxsize=8192)
def slot_for(text: str, least: float, doing: float = 0.0) -> float:
    """A pause long enough for its words and then `doing` seconds of what they ask the hands
    to do (moving a towel, warming oil), never shorter than `least`."""
    return max(least, math.ceil(speech_seconds(text) + SLOT_MARGIN_S + doing))


@dataclass(frozen=True)
class AreaWarning:
    """A condition's warning and the regions it is about (empty: the whole session)."""

    text: str
    regions: frozenset[str]
    areas: frozenset[str] = frozenset()  # the areas those regions belong to

    def touched_by(self, spec: StepSpec) -> bool:
        """Whether a step's hands reach what this is about: its region, or for the opening and
        finish glides, any area they pass over."""
        if spec.region.id in self.regions:
            return True
        framing = spec.role in FRAMES
        return framing and bool(self.areas.intersection((spec.region.area_name, *spec.covers)))


def area_warnings(
    cat: Catalogue,
    conditions: Sequence[str],
    speakable: Callable[[str], bool] = lambda _: True,
) -> list[AreaWarning]:
    """Every warning of the receiver's conditions, with the regions it is about.

    One that names an avoided region is left unsaid: the hands never go there.
    """
    out = []
    for cid in conditions:
        cond = cat.conditions.get(cid)
        if cond is None or cond.refuse:
            continue
        for text, regions in cond.warning_areas():
            if speakable(text):
                areas = frozenset(cat.regions[r].area_name for r in regions if r in cat.regions)
                out.append(AreaWarning(text, frozenset(regions), areas))
    return out


@dataclass
class _Said:
    """What the giver has already been told, as the steps go by."""

    cautions: set[str] = field(default_factory=set)
    pressures: set[int] = field(default_factory=set)
    towels: Towels | None = None
    # Each area warning the hands are within its regions of, and the area they are in ("" after
    # the opening's glides, which the work after them does not count as warned).
    in_warned: dict[str, str] = field(default_factory=dict)
    avoid: frozenset[str] = frozenset()  # regions the towels may stay over


def _towels(spec: StepSpec, said: _Said) -> Towels:
    """The towels as they lie for this step (they start anew in a new position)."""
    towels = said.towels
    if towels is None or towels.position.id != spec.position.id:
        towels = said.towels = Towels.start(spec.position, said.avoid)
    return towels


def _drapes(spec: StepSpec, said: _Said) -> list[str]:
    """The towel moves that bare what the step works."""
    return [d.say for d in _towels(spec, said).uncover(spec_areas(spec))]


def _new(texts: Sequence[str], said: _Said) -> list[str]:
    fresh = [t for t in dict.fromkeys(texts) if t not in said.cautions]
    said.cautions.update(fresh)
    return fresh


def _warnings(spec: StepSpec, warnings: Sequence[AreaWarning], said: _Said) -> list[str]:
    """Area warnings said before the hands first reach their regions (the opening's glides
    too), again as the work after the opening begins there, as the hands go on to another
    area it is about (from the low back to the hips and on down the legs), and each time they
    come back to them."""
    out = []
    framing = spec.role in FRAMES
    for w in warnings:
        if not w.regions:
            continue
        if w.touched_by(spec):
            last = said.in_warned.get(w.text)
            due = last is None if framing else last != spec.region.area_name
            if due:
                out.append(w.text)
            if due or not framing:
                said.in_warned[w.text] = "" if framing else spec.region.area_name
        elif not framing:
            said.in_warned.pop(w.text, None)
    return out


def session_warnings(warnings: Sequence[AreaWarning]) -> list[str]:
    """Warnings about the whole session, said before the first touch."""
    return list(dict.fromkeys(w.text for w in warnings if not w.regions))


def spec_areas(spec: StepSpec) -> list[str]:
    """The areas a step's hands reach: every area of its technique for the opening and finish."""
    if spec.role not in FRAMES:
        return [spec.region.area_name]
    return [spec.region.area_name, *spec.covers]


def guide_steps(
    specs: Sequence[StepSpec],
    warnings: Sequence[AreaWarning],
    speakable: Callable[[str], bool] = lambda _: True,
    said_before: Sequence[str] = (),
    avoid: frozenset[str] = frozenset(),
    unheard: frozenset[int] = frozenset(),
    heard_before: tuple[int, str] = (0, ""),
) -> list[StepSpec]:
    """Each step with what to say before it, and whether to explain its pressure number. A
    caution naming an avoided region is left unsaid; steps at `unheard` (cut before their
    words were out) explain nothing to later ones; `heard_before` (a step's index, words): the
    towel moves those words made before that step (a re-fit's pauses already said)."""
    from rubdown.core.stepspec import respec  # stepspec needs this module's speech timing

    said = _Said(cautions=set(said_before), avoid=avoid)
    out = []
    # A stroke's how-to, said once: later steps with it on the region only name it. The
    # opening or finish done again (a live "back") is named as a repeat, not begun anew.
    explained: dict[tuple[str | None, str, str], int] = {}
    for i, spec in enumerate(specs):
        if i == heard_before[0] and heard_before[1]:
            _towels(spec, said).hear(heard_before[1])
        before = _drapes(spec, said)
        # The opening and the finish are feather-light glides over everything: cautions are
        # said when the hands first come to a region for its own steps.
        framing = spec.role in FRAMES
        key = (spec.role if framing else None, *how_to(spec))
        cautions = [] if framing else _cautions(spec, speakable, said)
        alerts = _warnings(spec, warnings, said)
        explain = spec.pressure not in said.pressures
        told = cautions + alerts
        words: dict[str, object] = {"before": " ".join(before + told), "cautions": tuple(told)}
        words |= {"towel_moves": len(before), "explain_pressure": explain}
        out.append(respec(spec, **words, repeats=explained.get(key)))
        if i not in unheard:
            said.pressures.add(spec.pressure)
            explained[key] = spec.pressure
    return out


def _cautions(spec: StepSpec, speakable: Callable[[str], bool], said: _Said) -> list[str]:
    """The region's and the technique's cautions not said yet (none naming an avoided area)."""
    found = (*spec.region.cautions, *spec.technique.cautions)
    return _new([c for c in found if speakable(c)], said)


def how_to(spec: StepSpec) -> tuple[str, str]:
    """A step's technique and the words that explain it on its region."""
    return spec.technique.id, spec.technique.cue_for(spec.region.id)
