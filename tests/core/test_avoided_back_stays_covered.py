"""With the lower back avoided the towel stays over it, and the opening and finishing glides
name the parts of the back they do cover, not the back as a whole (a therapist's reading of
the plans, issue 10)."""

from __future__ import annotations

import re

import pytest

from rubdown.core.catalogue import load_catalogue
from rubdown.core.invariants import check_plan
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session

CAT = load_catalogue()
# What a towel move says when it bares the back all the way down.
TO_THE_WAIST = ("bare down to the waist", "drop to the waist")


def plan(minutes, position, avoid):
    return plan_session(
        CAT, PlanRequest(minutes=minutes, position=position, profile=Profile(avoid=avoid))
    )


def glide_areas(say):
    """The areas an opening or finishing glide says it goes over."""
    tail = say.rsplit(" over the ", 1)[1]
    named = re.split(r"\.|, slow and unbroken", tail, maxsplit=1)[0]
    return re.split(r",? and |, ", named)


LOWER_BACK = [
    (10, "lying"),
    (20, "lying"),
    (30, "lying"),
    (45, "lying"),
    (30, "any"),
    (20, "seated"),
    (30, "seated"),
    (30, "side-lying"),
]


@pytest.mark.parametrize(("minutes", "position"), LOWER_BACK)
def test_with_the_lower_back_avoided_no_cue_bares_the_back_to_the_waist(minutes, position):
    p = plan(minutes, position, ("lower-back",))
    for seg in p.segments:
        assert not any(words in seg.say for words in TO_THE_WAIST), (seg.start_s, seg.say)
    assert check_plan(p, CAT) == []


@pytest.mark.parametrize(
    ("minutes", "position"), [(m, p) for m, p in LOWER_BACK if p != "side-lying"]
)
def test_with_the_lower_back_avoided_the_towel_stops_at_the_ribs(minutes, position):
    p = plan(minutes, position, ("lower-back",))
    said = [s for s in p.segments if "to the bottom of the ribs" in s.say]
    assert said and said[0].start_s == 0.0
    opening = p.segments[0].say
    assert opening.index("bottom of the ribs") < opening.index("Warm a little oil")
    # Nothing avoided, the same session still bares the whole back.
    plain = plan(minutes, position, ())
    assert any(words in plain.segments[0].say for words in TO_THE_WAIST)
    assert "bottom of the ribs" not in plain.segments[0].say


@pytest.mark.parametrize(("minutes", "position"), LOWER_BACK)
def test_with_the_lower_back_avoided_the_glides_never_go_over_the_whole_back(minutes, position):
    p = plan(minutes, position, ("lower-back",))
    frames = [s for s in p.steps if s.role in ("opening", "finish") and " over the " in s.say]
    assert frames
    for seg in frames:
        areas = glide_areas(seg.say)
        assert "back" not in areas, seg.say
    hold = next(s for s in p.segments if s.kind == "hold")
    assert "flat on the back," not in hold.say


@pytest.mark.parametrize(("minutes", "position"), [(30, "lying"), (30, "seated")])
def test_with_the_lower_back_avoided_the_glides_name_the_upper_and_middle_back(minutes, position):
    p = plan(minutes, position, ("lower-back",))
    for seg in (s for s in p.steps if s.role in ("opening", "finish") and " over the " in s.say):
        areas = glide_areas(seg.say)
        assert "upper back" in areas and "middle of the back" in areas, seg.say
        assert "lower back" not in areas


@pytest.mark.parametrize(("minutes", "position"), [(20, "lying"), (30, "lying"), (30, "seated")])
def test_with_the_middle_of_the_back_avoided_the_glides_name_what_they_cover(minutes, position):
    p = plan(minutes, position, ("mid-back",))
    frames = [s for s in p.steps if s.role in ("opening", "finish") and " over the " in s.say]
    for seg in frames:
        areas = glide_areas(seg.say)
        assert "back" not in areas and "middle of the back" not in areas, seg.say
    assert check_plan(p, CAT) == []


@pytest.mark.parametrize("avoided", ["lower-back", "mid-back", "upper-back"])
@pytest.mark.parametrize(("minutes", "conditions"), [(45, ()), (60, ("recent-injury",))])
def test_no_glide_runs_down_the_spine_over_a_part_of_the_back_kept_out(
    avoided, minutes, conditions
):
    # A therapist's reading: with an injured low back left out, ten light strokes still ran
    # "the length of the back ... to the low back", down the spine.
    p = plan_session(
        CAT,
        PlanRequest(
            minutes=minutes,
            position="lying",
            profile=Profile(avoid=(avoided,), conditions=conditions),
        ),
    )
    assert not [s for s in p.steps if s.region == "spine"]
    assert any(n.startswith("No glides down the spine") for n in p.notes)


def test_the_spine_is_worked_when_the_whole_back_is_there():
    p = plan(45, "lying", ())
    assert [s for s in p.steps if s.region == "spine"]
    assert not any(n.startswith("No glides down the spine") for n in p.notes)
