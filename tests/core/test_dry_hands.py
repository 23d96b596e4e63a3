"""The hair and the face are done with dry hands: oily hands are told to wipe first, and
are oiled again before the next region that takes oil, also after a live re-fit."""

from __future__ import annotations

import dataclasses

import pytest

from rubdown.core import adjust
from rubdown.core.catalogue import load_catalogue
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session
from rubdown.core.talk_checks import keeps_oil_off_the_hair_and_face
from rubdown.core.wording import WIPE_HANDS

CAT = load_catalogue()
DRY = {r.id for r in CAT.regions.values() if r.dry_hands}
DRY_CASES = [(20, "face-up"), (30, "face-up"), (60, "side-lying")]
POSITIONS = ["lying", "face-up", "side-lying", "seated", "seated-forearms"]


def plan(minutes, position):
    return plan_session(CAT, PlanRequest(minutes=minutes, position=position, profile=Profile()))


def first_dry_step(p):
    return next(i for i, s in enumerate(p.segments) if s.kind == "step" and s.region in DRY)


def hands_story(p):
    """Each oil cue and each step's region, in order, repeats collapsed."""
    out: list[str] = []
    for seg in p.segments:
        mark = "oil" if seg.kind == "oil" else seg.region if seg.kind == "step" else None
        if mark and (not out or out[-1] != mark):
            out.append(mark)
    return out


def test_the_hair_and_face_regions_are_the_dry_ones():
    assert {"scalp", "face", "eyes"} <= DRY
    assert not DRY & {"back", "upper-back", "feet", "neck", "shoulders"}


@pytest.mark.parametrize(("minutes", "position"), DRY_CASES)
def test_oily_hands_are_told_to_wipe_before_the_hair_or_face(minutes, position):
    p = plan(minutes, position)
    i = first_dry_step(p)
    before = " ".join(s.say for s in p.segments[:i] if s.kind != "step" or s.region not in DRY)
    assert WIPE_HANDS in before
    # The wipe is said after the last oiled step, not at the start of the session.
    last_oiled = max(j for j, s in enumerate(p.segments[:i]) if s.kind == "step")
    assert any(WIPE_HANDS in s.say for s in p.segments[last_oiled + 1 : i])


@pytest.mark.parametrize(("minutes", "position"), DRY_CASES)
def test_hands_are_oiled_again_after_the_hair_and_face(minutes, position):
    story = hands_story(plan(minutes, position))
    for k, mark in enumerate(story[:-1]):
        if mark in DRY and story[k + 1] not in DRY:
            # The next region that takes oil (not the towel's, nor the hairline) gets it first.
            after = next(m for m in story[k + 1 :] if m == "oil" or CAT.regions[m].takes_oil)
            assert after == "oil", story


def test_no_oil_cue_lands_before_the_hair_or_face():
    story = hands_story(plan(60, "side-lying"))
    assert all(story[k + 1] not in DRY for k, m in enumerate(story[:-1]) if m == "oil"), story


@pytest.mark.parametrize("change", ["skip", "back"])
def test_a_live_refit_keeps_the_hands_dry_then_oiled(change):
    p = plan(30, "face-up")
    i = first_dry_step(p)
    now = p.segments[i].start_s + 1
    new, _ = getattr(adjust, change)(p, CAT, i, now)
    assert keeps_oil_off_the_hair_and_face(new, CAT) == []


def test_the_invariant_catches_a_missing_oil_cue_after_the_face():
    p = plan(30, "face-up")
    i = first_dry_step(p)
    k = next(j for j, s in enumerate(p.segments) if j > i and s.kind == "oil")
    broken = dataclasses.replace(p, segments=(*p.segments[:k], *p.segments[k + 1 :]))
    assert any("with no oil" in m for m in keeps_oil_off_the_hair_and_face(broken, CAT))


def test_the_invariant_catches_oily_hands_on_the_face():
    p = plan(30, "face-up")
    segs = tuple(
        dataclasses.replace(s, say=s.say.replace(WIPE_HANDS, "").strip()) for s in p.segments
    )
    broken = dataclasses.replace(p, segments=segs)
    assert any("no word to wipe" in m for m in keeps_oil_off_the_hair_and_face(broken, CAT))


@pytest.mark.parametrize("position", POSITIONS)
def test_an_opening_names_its_place_once(position):
    opening = next(s for s in plan(30, position).segments if s.kind == "step")
    first = opening.say.split(".")[0].lower()
    assert first.startswith("to begin") and first.count(" over the ") <= 1, first
