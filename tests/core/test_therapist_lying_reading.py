"""What a massage therapist's reading of the face-down plan, every spoken word, found (issue 10)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rubdown.core.catalogue import load_catalogue
from rubdown.core.guidance import speech_seconds
from rubdown.core.invariants import check_plan
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session
from rubdown.core.talk_checks import says_what_to_do_before_rising

CAT = load_catalogue()


def plan(minutes=30, position="lying", **profile):
    return plan_session(
        CAT, PlanRequest(minutes=minutes, position=position, profile=Profile(**profile))
    )


def test_the_stop_rule_says_lift_the_hands_off_and_leave_that_spot():
    opening = plan(30).segments[0].say
    assert "stop, lift your hands off, ask" in opening
    assert "don't go back to that spot" in opening
    assert "ease off" not in opening


@pytest.mark.parametrize("minutes", [30, 45])
def test_oily_soles_are_wiped_before_the_receiver_gets_up(minutes):
    p = plan(minutes)
    assert any(s.region == "feet" for s in p.steps)
    closing = p.segments[-1].say
    assert "wipe the oil off the soles" in closing
    assert closing.index("wipe the oil") < closing.index("get up slowly")
    assert check_plan(p, CAT) == []


def test_no_soles_to_wipe_when_the_feet_were_not_worked():
    p = plan(20, "seated-forearms")
    assert "soles" not in p.segments[-1].say
    assert says_what_to_do_before_rising(p, CAT) == []


def test_the_before_rising_invariant_catches_a_closing_without_the_soles():
    p = plan(30)
    last = p.segments[-1]
    bare = replace(last, say=last.say.replace(CAT.regions["feet"].before_rising, ""))
    broken = replace(p, segments=(*p.segments[:-1], bare))
    assert says_what_to_do_before_rising(broken, CAT) != []


def test_skull_base_strokes_fit_a_head_turned_to_one_side():
    # Face down the head lies turned on its pillow: one ear is on it, so "ear to ear" cannot be.
    p = plan(30)
    assert "head to one side" in p.segments[0].say
    said = " ".join(s.say for s in p.segments if s.region == "skull-base")
    assert said and "toward the ear" in said
    for t in CAT.techniques.values():
        if "lying" in t.positions and "skull-base" in t.regions:
            how = t.cue_for("skull-base")
            assert "ear to ear" not in how and "one ear to the other" not in how, t.id


HALFWAY = CAT.positions["lying"].halfway


@pytest.mark.parametrize("minutes", [20, 30, 60])
def test_face_down_the_head_is_turned_the_other_way_about_halfway(minutes):
    # The set-up said "the other way halfway"; nothing said it again when halfway came.
    p = plan(minutes)
    said = [s for s in p.segments if HALFWAY in s.say]
    assert len(said) == 1 and said[0].kind in ("announce", "check-in")
    face_down = sum(s.duration_s for s in p.steps)
    before = sum(s.duration_s for s in p.steps if s.start_s < said[0].start_s)
    assert 0.3 < before / face_down < 0.7
    assert check_plan(p, CAT) == []


def test_a_short_face_down_session_keeps_the_head_one_way_and_promises_no_turn():
    # Ten minutes of work face down: no turn, and the set-up does not promise one.
    p = plan(15)
    assert not any(HALFWAY in s.say for s in p.segments)
    assert "halfway" not in p.segments[0].say
    assert check_plan(p, CAT) == []


def test_the_halfway_invariant_catches_a_plan_that_never_says_it():
    p = plan(30)
    silent = tuple(replace(s, say=s.say.replace(f" {HALFWAY}", "")) for s in p.segments)
    violations = check_plan(replace(p, segments=silent), CAT, ("says_the_halfway_change",))
    assert violations == ["says_the_halfway_change: lying: its halfway words are said 0 times"]


VEINS = "Never rub directly over a bulging vein."


def first_touch(p, regions):
    return next(i for i, s in enumerate(p.segments) if s.kind == "step" and s.region in regions)


@pytest.mark.parametrize(
    ("minutes", "position", "focus", "routine"),
    [
        (10, "side-lying", ("calves",), None),
        (30, "lying", (), None),
        (30, "any", (), "full-body-hour"),
        (10, "any", (), "sleep-wind-down"),
    ],
)
def test_the_varicose_veins_warning_comes_before_the_first_touch_on_the_legs(
    minutes, position, focus, routine
):
    # Opening glides on the calves, and the fronts of the legs face up, came before the warning.
    request = PlanRequest(
        minutes=minutes,
        position=position,
        routine=routine,
        profile=Profile(conditions=("varicose-veins",), focus=focus),
    )
    p = plan_session(CAT, request)
    legs = {"thighs", "front-thighs", "calves", "shins", "feet"}
    first = first_touch(p, legs)
    assert any(VEINS in s.say for s in p.segments[:first])
    assert check_plan(p, CAT) == []


def test_varicose_veins_keep_the_fronts_of_the_legs_to_light_glides():
    request = PlanRequest(
        minutes=30, routine="full-body-hour", profile=Profile(conditions=("varicose-veins",))
    )
    fronts = [s for s in plan_session(CAT, request).steps if s.region in ("front-thighs", "shins")]
    assert fronts and all(s.technique_kind == "glide" and s.pressure <= 2 for s in fronts)


def test_the_warning_invariant_catches_an_opening_on_the_legs_before_the_warning():
    p = plan(10, "side-lying", conditions=("varicose-veins",), focus=("calves",))
    assert p.steps[0].region == "calves" and VEINS in p.segments[0].say
    opening = p.segments[0]
    silent = replace(
        opening,
        say=opening.say.replace(VEINS, ""),
        cautions=tuple(c for c in opening.cautions if c != VEINS),
    )
    broken = replace(p, segments=(silent, *p.segments[1:]))
    violations = check_plan(broken, CAT, ("repeats_warnings_at_their_areas",))
    assert violations and all(VEINS in v for v in violations)


def pauses_before(p, regions):
    out, pauses = [], []
    for s in p.segments:
        if s.kind != "step":
            pauses.append(s.kind)
            continue
        if s.region in regions:
            out += pauses
        pauses = []
    return out


@pytest.mark.parametrize("routine", [None, "full-body-hour", "lying-full-back"])
def test_the_buttocks_are_worked_through_the_towel_without_oil(routine):
    # The towel is folded only to below the waistband, yet the buttocks were oiled and kneaded.
    request = PlanRequest(
        minutes=30 if routine is None else None, position="lying", routine=routine
    )
    p = plan_session(CAT, request)
    buttocks = [s for s in p.steps if s.region == "glutes"]
    assert buttocks and "Through the towel" in buttocks[0].say
    assert "oil" not in pauses_before(p, {"glutes"})
    assert check_plan(p, CAT) == []


def test_the_towel_invariant_catches_buttocks_worked_as_if_bare():
    p = plan(30)
    first = next(s for s in p.steps if s.region == "glutes")
    bare = replace(first, say=first.say.replace("Through the towel, l", "L"))
    segs = tuple(bare if s is first else s for s in p.segments)
    violations = check_plan(
        replace(p, segments=segs), CAT, ("works_through_the_towel_where_it_stays",)
    )
    assert len(violations) == 1 and "no word of the towel" in violations[0]


def test_the_halfway_invariant_catches_the_words_said_far_from_half():
    p = plan(30)
    silent = [replace(s, say=s.say.replace(f" {HALFWAY}", "")) for s in p.segments]
    early = next(i for i, s in enumerate(silent) if i > 3 and s.kind == "announce")
    # Said in full there (the invariant counts only words heard in full): the pause lengthens.
    say = f"{silent[early].say} {HALFWAY}"
    duration = max(silent[early].duration_s, speech_seconds(say))
    silent[early] = replace(silent[early], say=say, duration_s=duration)
    violations = check_plan(replace(p, segments=tuple(silent)), CAT, ("says_the_halfway_change",))
    assert len(violations) == 1 and "halfway said after" in violations[0]
