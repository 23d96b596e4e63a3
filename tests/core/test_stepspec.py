"""A step spec changed by respec says what one built whole with the same fields says."""

from __future__ import annotations

from dataclasses import fields

import pytest

from rubdown.core.catalogue import load_catalogue
from rubdown.core.stepspec import StepSpec, respec

CAT = load_catalogue()
PER_SIDE = next(t for t in CAT.techniques.values() if t.per_side)
BOTH = next(t for t in CAT.techniques.values() if not t.per_side)
TURNING = next(p for p in CAT.positions.values() if p.turns)
STILL = next(p for p in CAT.positions.values() if not p.turns)


def spec(technique=BOTH, position=STILL, only_side=None) -> StepSpec:
    region = CAT.regions[technique.regions[0]]
    return StepSpec(technique, region, position, 2, 3, 1, 8, 4, only_side=only_side)


@pytest.mark.parametrize(
    "changes",
    [
        {"technique": PER_SIDE},
        {"position": TURNING},
        {"only_side": "left"},
        {"weight": 2.0, "min_reps": 2},
        {"role": "finish", "before": "A towel moves."},
    ],
)
@pytest.mark.parametrize(
    "start", [spec(), spec(PER_SIDE, TURNING), spec(PER_SIDE, only_side="right")]
)
def test_a_respecced_step_counts_its_sides_as_one_built_whole(start, changes):
    assert start.sides in (1, 2)  # worked out before the change: it must not outlive it
    changed = respec(start, **changes)
    whole = StepSpec(**{**{f.name: getattr(start, f.name) for f in fields(StepSpec)}, **changes})
    assert changed == whole
    assert changed.sides == whole.sides


def test_respec_refuses_a_field_a_step_spec_has_not():
    with pytest.raises(TypeError, match="no field 'colour'"):
        respec(spec(), colour="red")


@pytest.mark.parametrize(
    ("before", "said", "words", "kept"),
    [
        ("Fold the towel. Mind A. Mind B.", {"Mind A."}, "Fold the towel. Mind B.", ("Mind B.",)),
        ("Mind A. Mind B.", {"Mind A.", "Mind B."}, "", ()),
        ("Fold the towel. Mind A. Mind B.", set(), "Fold the towel. Mind A. Mind B.", None),
        # Words that do not end with the cautions (worded anew) are kept whole, and so are
        # the cautions they report: never words said with a caution the segment leaves out.
        ("Mind B, then mind A.", {"Mind A."}, "Mind B, then mind A.", None),
    ],
)
def test_leaving_out_cautions_just_said_keeps_words_and_cautions_as_one(before, said, words, kept):
    cautions = ("Mind A.", "Mind B.")
    step = respec(spec(), before=before, cautions=cautions)
    assert step.before_without(said) == (words, cautions if kept is None else kept)
