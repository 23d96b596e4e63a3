"""Words that ask the hands to do something leave them the time it takes (a therapist's
reading: "fold the towel down" was followed at once by the first stroke, and a top-up of oil
had about a second to be warmed)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rubdown.core.catalogue import load_catalogue
from rubdown.core.cue_checks import cues_fit_their_slots, leaves_the_hands_time_to_act
from rubdown.core.guidance import TOWEL_MOVE_S, speech_seconds
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.pauses import OIL_WARM_S
from rubdown.core.planner import plan_session
from rubdown.core.wording import OIL_ASK

CAT = load_catalogue()
DRAPES = {d.say for p in CAT.positions.values() for d in p.drapes}


def plan(minutes, position, **profile):
    return plan_session(CAT, PlanRequest(minutes, position=position, profile=Profile(**profile)))


def after_words(seg, ask):
    """The seconds of a segment left once the words up to the end of `ask` are said."""
    end = seg.say.index(ask) + len(ask)
    return seg.duration_s - speech_seconds(seg.say[:end])


def test_a_towel_move_is_given_time_before_the_next_stroke():
    p = plan(30, "lying")
    moves = [(s, d) for s in p.segments for d in DRAPES if d in s.say and s.kind != "oil"]
    assert moves
    for seg, drape in moves:
        assert after_words(seg, drape) >= TOWEL_MOVE_S


def test_a_top_up_of_oil_is_given_time_to_warm_it():
    tops = [s for s in plan(30, "lying").segments if s.kind == "oil" and OIL_ASK in s.say]
    assert tops
    assert all(after_words(s, OIL_ASK) >= OIL_WARM_S for s in tops)


@pytest.mark.parametrize("position", ["lying", "side-lying", "seated", "seated-forearms"])
@pytest.mark.parametrize("minutes", [15, 30, 60])
def test_every_ask_of_the_hands_has_its_time(position, minutes):
    assert leaves_the_hands_time_to_act(plan(minutes, position), CAT) == []


def test_the_invariant_finds_a_towel_move_with_no_time():
    p = plan(30, "lying")
    i = next(i for i, s in enumerate(p.segments) if s.kind == "announce" and "towel" in s.say)
    short = p.segments[i].duration_s - speech_seconds(p.segments[i].say)
    cut = replace(p.segments[i], duration_s=p.segments[i].duration_s - short)
    later = [replace(s, start_s=s.start_s - short) for s in p.segments[i + 1 :]]
    broken = replace(p, segments=(*p.segments[:i], cut, *later))
    assert leaves_the_hands_time_to_act(broken, CAT)


def test_a_count_that_lengthens_the_words_still_leaves_room_for_the_work():
    # Found over the bench's requests: a hand glide's one stroke grew to three so its words
    # fit, but "3 times" is a word longer than "once", and the words then took half the step.
    request = PlanRequest(
        23,
        position="seated",
        profile=Profile(pressure="firm", avoid=("front-thighs", "glutes")),
        vary=974938,
    )
    assert cues_fit_their_slots(plan_session(CAT, request), CAT) == []
