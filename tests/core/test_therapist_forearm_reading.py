"""What a therapist's reading of the 20-minute forearm plan found (issue 10)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rubdown.core.catalogue import load_catalogue
from rubdown.core.invariants import check_plan
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session

CAT = load_catalogue()
HAND_WORK = ("arm-squeeze-down", "finger-pad-circles", "shoulder-top-squeeze")


def plan(minutes=20, position="seated-forearms", **profile):
    return plan_session(
        CAT, PlanRequest(minutes=minutes, position=position, profile=Profile(**profile))
    )


def finger_work(p):
    return [s.technique for s in p.steps if CAT.techniques[s.technique].strains("fingers")]


@pytest.mark.parametrize("minutes", [10, 20, 30, 45, 60])
def test_the_forearm_position_spares_tired_fingers_too(minutes):
    p = plan(minutes, focus=("neck", "upper-arms"))
    assert finger_work(p) == []
    assert not {s.technique for s in p.steps} & set(HAND_WORK)
    assert check_plan(p, CAT) == []


def test_finger_squeezes_and_circles_are_tagged_as_tiring_the_fingers():
    assert all(CAT.techniques[t].strains("fingers") for t in HAND_WORK)
    assert not CAT.techniques["forearm-sweep"].strains("fingers")


def test_the_spare_invariant_catches_finger_work_in_the_forearm_position():
    p = plan(20, "seated", focus=("neck", "upper-arms"))
    assert finger_work(p)
    moved = tuple(replace(s, position="seated-forearms") for s in p.segments)
    violations = check_plan(replace(p, segments=moved), CAT, ("spares_what_the_position_rests",))
    assert any("uses the fingers in seated-forearms" in v for v in violations)


def area_ends(p):
    """Each area's last step between the opening and the finish, with the area next."""
    inner = [s for s in p.steps if s.role not in ("opening", "finish")]
    area = [CAT.regions[s.region].area_name for s in inner]
    return [(s, area[i + 1]) for i, s in enumerate(inner[:-1]) if area[i] != area[i + 1]]


@pytest.mark.parametrize("minutes", [20, 30, 45])
def test_the_middle_of_the_back_is_flushed_before_the_hands_go_to_the_neck(minutes):
    p = plan(minutes)
    ends = area_ends(p)
    assert ends and all(
        s.technique_kind in ("glide", "stroke") and s.pressure <= 2 for s, _ in ends
    )
    back = [s for s, _ in ends if CAT.regions[s.region].area_name == "back"]
    assert back and all(s.role == "flush" for s in back)
    assert check_plan(p, CAT) == []


def test_the_flush_invariant_catches_an_area_left_on_a_forearm_glide_at_3():
    p = plan(20)
    flush = next(s for s, _ in area_ends(p) if CAT.regions[s.region].area_name == "back")
    at = p.segments.index(flush)
    work = p.segments[at - 1] if p.segments[at - 1].kind == "step" else p.segments[at - 2]
    assert work.technique == "forearm-back-glide" and work.pressure == 3
    segs = p.segments[:at] + p.segments[at + 1 :]
    violations = check_plan(replace(p, segments=segs), CAT, ("flushes_before_moving_on",))
    assert violations == ["flushes_before_moving_on: the back ends with glide at 3"]


LEAN = "pressure come from your body"


def forearm_steps(p):
    return [s for s in p.steps if CAT.techniques[s.technique].uses("forearm")]


@pytest.mark.parametrize(
    ("minutes", "position"), [(20, "seated-forearms"), (45, "seated-forearms"), (30, "lying")]
)
def test_leaning_with_the_body_is_said_at_the_first_forearm_step(minutes, position):
    p = plan(minutes, position)
    first = p.segments.index(forearm_steps(p)[0])
    said = [i for i, s in enumerate(p.segments) if LEAN in s.say]
    assert len(said) == 1
    between = p.segments[said[0] : first]
    assert said[0] <= first and all(s.kind != "step" for s in between)
    assert check_plan(p, CAT) == []


def test_every_forearm_technique_carries_the_lean_with_the_body_caution():
    forearm = [t for t in CAT.techniques.values() if t.uses("forearm")]
    assert len(forearm) >= 4
    assert all(any(LEAN in c for c in t.cautions) for t in forearm)


def test_the_shoulder_forearm_roll_says_where_to_stop():
    p = plan(20)
    roll = next(s for s in p.steps if s.technique == "forearm-press" and s.region == "shoulders")
    cue = CAT.techniques["forearm-press"].cue_for("shoulders")
    assert cue in roll.say
    assert "point of the shoulder" in cue and "before the bony tip" in cue and "collarbone" in cue
    motion = CAT.techniques["forearm-press"].motion_on("shoulders")
    assert (
        motion is not None
        and motion.start == "the neck"
        and "short of the shoulder tip" in motion.end
    )


def _words_on(region):
    """Every cue, stroke text and motion route a technique has on the region."""
    for t in CAT.techniques.values():
        if region not in t.regions:
            continue
        motion = t.motion_on(region)
        routes = (motion.way_out, motion.way_back, motion.start, motion.end) if motion else ()
        yield from (t.cue_for(region), t.stroke_text, *(w for w in routes if w))


def test_no_words_put_the_hands_over_the_spine():
    said = [
        w for region in ("spine", "upper-back", "mid-back", "lower-back") for w in _words_on(region)
    ]
    assert said and not [w for w in said if "over the spine" in w or "length of the spine" in w]


def test_no_shoulder_stroke_goes_out_to_the_bony_tip():
    said = list(_words_on("shoulders"))
    ends = [w for w in said if "to the tips" in w or w.endswith("shoulder tip")]
    assert said and not [w for w in ends if "short of" not in w]
