"""After a live skip, back or more, the rest of the session still says what the plan would
have: cautions the first time the hands reach an area, the towel moves, each stroke's
how-to, what to do before standing, and the halfway turn of the head (found by sweeps of
live changes)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rubdown.core import adjust, wording
from rubdown.core.catalogue import load_catalogue
from rubdown.core.guidance import heard_in_full
from rubdown.core.invariants import check_plan
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session

CAT = load_catalogue()
# What a re-fit must keep saying; the shape checks (sides, order) a live change may bend.
SAID = (
    "says_cautions_where_they_matter",
    "never_works_under_the_towel",
    "explains_each_stroke_once",
    "explains_each_pressure_number",
    "says_what_to_do_before_rising",
    "keeps_oil_off_the_hair_and_face",
    "says_the_halfway_change",
    "says_the_stop_rule",
)


def plan(minutes, position, conditions=()):
    profile = Profile(conditions=conditions)
    return plan_session(CAT, PlanRequest(minutes=minutes, position=position, profile=profile))


@pytest.mark.parametrize("change", ["skip", "more", "back"])
@pytest.mark.parametrize(
    ("minutes", "position", "conditions"),
    [
        (30, "lying", ()),
        (15, "lying", ("varicose-veins",)),
        (30, "face-up", ()),
        (30, "side-lying", ()),
        (20, "seated-forearms", ()),
        (45, "any", ("osteoporosis",)),
    ],
)
def test_a_live_change_keeps_saying_what_the_rest_needs(change, minutes, position, conditions):
    p = plan(minutes, position, conditions)
    steps = [i for i, s in enumerate(p.segments) if s.kind == "step"]
    assert check_plan(p, CAT, SAID) == []
    for i in steps[1:4]:
        now = p.segments[i].start_s + 1
        new, _ = adjust.apply_change(p, CAT, change, i, now)
        assert check_plan(new, CAT, SAID) == [], (change, i)


def test_a_skip_before_the_legs_still_folds_the_towel_for_them():
    p = plan(30, "lying")
    i = [j for j, s in enumerate(p.segments) if s.kind == "step"][2]
    new, _ = adjust.skip(p, CAT, i, p.segments[i].start_s + 1)
    towel = lambda segs: sum("towel" in s.say.lower() for s in segs)  # noqa: E731
    assert towel(new.segments[i:]) == towel(p.segments[i:])


def test_the_feet_done_before_a_change_still_get_wiped_before_standing():
    p = plan(60, "any")
    feet = max(i for i, s in enumerate(p.segments) if s.kind == "step" and s.region == "feet")
    later = next(i for i, s in enumerate(p.segments) if i > feet and s.kind == "step")
    new, _ = adjust.more_time(p, CAT, later)
    assert "soles" in p.segments[-1].say and "soles" in new.segments[-1].say


def _step_after_opening(p):
    return [j for j, s in enumerate(p.segments) if s.kind == "step"][1]


@pytest.mark.parametrize(
    ("minutes", "position", "conditions"),
    [(11, "lying", ("fibromyalgia",)), (35, "seated-forearms", ("blood-thinners",))],
)
def test_going_back_to_the_opening_glides_names_them_again_not_a_new_beginning(
    minutes, position, conditions
):
    p = plan(minutes, position, conditions)
    i = _step_after_opening(p)
    new, _ = adjust.back(p, CAT, i, p.segments[i].start_s + 1)
    again = [s for s in new.segments[i + 1 :] if s.kind == "step" and s.role == "opening"]
    assert again and again[0].say.startswith("Again: ")
    assert not any(s.say.startswith("To begin") for s in new.segments[i + 1 :])
    # Light glides over everything: a region's cautions wait for its own steps.
    assert check_plan(new, CAT, SAID) == []


@pytest.mark.parametrize("change", ["skip", "back", "more"])
@pytest.mark.parametrize(
    ("minutes", "position", "steps_before"), [(26, "any", 1), (38, "lying", 4)]
)
def test_a_live_change_before_halfway_still_says_turn_the_head_once(
    minutes, position, steps_before, change
):
    p = plan(minutes, position)
    words = CAT.positions["lying"].halfway
    said = next(j for j, s in enumerate(p.segments) if words in s.say)
    i = [j for j, s in enumerate(p.segments[:said]) if s.kind == "step"][-steps_before]
    new, _ = adjust.apply_change(p, CAT, change, i, p.segments[i].start_s + 1)
    assert sum(words in s.say for s in new.segments) == 1
    assert check_plan(new, CAT, ("says_the_halfway_change",)) == []


def test_halfway_words_said_before_a_live_change_are_not_said_again():
    p = plan(40, "lying")
    words = CAT.positions["lying"].halfway
    said = next(j for j, s in enumerate(p.segments) if words in s.say)
    i = next(j for j, s in enumerate(p.segments) if j > said + 2 and s.kind == "step")
    new, _ = adjust.skip(p, CAT, i, p.segments[i].start_s + 1)
    assert sum(words in s.say for s in new.segments) == 1


def _turns(p):
    words = CAT.positions["side-lying"].turn
    return [k for k, s in enumerate(p.segments) if s.kind != "step" and words[:30] in s.say]


@pytest.mark.parametrize("minutes", [15, 20, 30])
@pytest.mark.parametrize(
    ("change", "side", "role"), [("skip", "right", "finish"), ("more", "left", "opening")]
)
def test_side_lying_still_turns_over_once_before_the_second_side(minutes, change, side, role):
    p = plan(minutes, "side-lying")
    i = next(j for j, s in enumerate(p.segments) if s.side == side and s.role == role)
    new, _ = adjust.apply_change(p, CAT, change, i, p.segments[i].start_s + 1)
    steps = [(k, s.side) for k, s in enumerate(new.segments) if s.kind == "step"]
    last_right = max(k for k, side in steps if side == "right")
    first_left = min(k for k, side in steps if side == "left")
    turns = _turns(new)
    assert len(turns) == 1 and last_right < turns[0] < first_left


@pytest.mark.parametrize(
    ("minutes", "position"),
    [(10, "lying"), (15, "seated-forearms"), (20, "face-up"), (30, "side-lying"), (45, "any")],
)
def test_going_back_does_that_step_next_or_says_there_is_no_time(minutes, position):
    p = plan(minutes, position)
    for i, seg in enumerate(p.segments):
        if seg.kind != "step":
            continue
        target = adjust._previous_step(CAT, p.segments[: i + 1])
        new, note = adjust.back(p, CAT, i, seg.start_s + 1)
        if note == adjust.NO_TIME_TO_GO_BACK:
            assert new is p
            continue
        if target is None:
            continue
        nxt = next(s for s in new.segments[i + 1 :] if s.kind == "step")
        assert (nxt.technique, nxt.region) == (target.technique, target.region), (i, note)


def test_going_back_late_repeats_a_shorter_pass_rather_than_nothing():
    p = plan(20, "seated-forearms")
    late = 0.6 * p.total_seconds
    i = next(j for j, s in enumerate(p.segments) if s.role == "flush" and s.start_s > late)
    new, note = adjust.back(p, CAT, i, p.segments[i].start_s + 1)
    assert note.startswith("Back to")
    nxt = next(s for s in new.segments[i + 1 :] if s.kind == "step")
    assert nxt.technique == p.segments[i - 1].technique == "forearm-press"
    assert 0 < nxt.reps < p.segments[i - 1].reps
    assert [s.kind for s in new.segments[-2:]] == ["hold", "closing"]


@pytest.mark.parametrize(
    ("position", "rest_words"),
    [("seated", "let them sit quietly"), ("lying", "cover your partner with the warm towels")],
)
def test_skipping_the_finish_keeps_the_still_hold_and_the_planned_closing(position, rest_words):
    p = plan(20, position)
    i = next(j for j, s in enumerate(p.segments) if s.role == "finish")
    new, note = adjust.skip(p, CAT, i, p.segments[i].start_s + 3)
    assert note == adjust.FINISH_SKIPPED
    assert [s.kind for s in new.segments[i + 1 :]] == ["hold", "closing"]
    assert rest_words in new.segments[-1].say
    assert new.segments[-1].say == p.segments[-1].say
    assert new.total_seconds == p.total_seconds
    assert check_plan(new, CAT, SAID) == []


def test_skipping_the_still_hold_goes_straight_to_the_planned_closing():
    p = plan(20, "lying")
    i = next(j for j, s in enumerate(p.segments) if s.kind == "hold")
    new, _ = adjust.skip(p, CAT, i, p.segments[i].start_s + 5)
    assert [s.kind for s in new.segments[i:]] == ["hold", "closing"]
    assert new.segments[i].duration_s == 5
    assert new.segments[-1].say == p.segments[-1].say
    assert new.total_seconds == p.total_seconds


@pytest.mark.parametrize("seconds_in", [0.3, 5])
def test_skipping_the_still_hold_at_once_leaves_it_out(seconds_in):
    p = plan(20, "lying")
    i = next(j for j, s in enumerate(p.segments) if s.kind == "hold")
    new, _ = adjust.skip(p, CAT, i, p.segments[i].start_s + seconds_in)
    assert sum(s.duration_s for s in new.segments[i:] if s.kind == "hold") < seconds_in + 0.1
    assert new.segments[-1].start_s < p.segments[-1].start_s
    assert new.total_seconds == p.total_seconds


def test_skipping_the_first_sides_finish_lying_on_the_side_does_not_promise_the_hold():
    p = plan(30, "side-lying")
    i = next(j for j, s in enumerate(p.segments) if s.role == "finish")
    new, note = adjust.skip(p, CAT, i, p.segments[i].start_s + 3)
    assert note != adjust.FINISH_SKIPPED
    assert note.startswith("Skipped")
    assert any(s.kind == "step" for s in new.segments[i + 1 :])


@pytest.mark.parametrize(
    ("minutes", "position", "index"), [(20, "face-up", 3), (45, "side-lying", 20)]
)
def test_more_time_is_given_when_the_refit_first_sets_up_the_hands(minutes, position, index):
    # The re-fit may say a lead (wipe the oil off, a check-in) before the longer step.
    p = plan(minutes, position)
    seg = p.segments[index]
    new, note = adjust.more_time(p, CAT, index)
    assert note.startswith("More time on")
    nxt = next(s for s in new.segments[index:] if s.kind == "step")
    assert (nxt.technique, nxt.region) == (seg.technique, seg.region)
    # A check-in may fall within the longer step: count all of its parts on this side.
    same = lambda q, s: (s.step_index, s.side) == (q.step_index, q.side)  # noqa: E731
    before = sum(s.reps or 0 for s in p.segments[index:] if s.kind == "step" and same(seg, s))
    after = sum(s.reps or 0 for s in new.segments[index:] if s.kind == "step" and same(nxt, s))
    assert after > before


@pytest.mark.parametrize(("minutes", "position"), [(30, "lying"), (20, "seated-forearms")])
def test_a_step_cut_seconds_in_is_explained_in_full_when_it_comes_again(minutes, position):
    p = plan(minutes, position)
    for i, seg in enumerate(p.segments):
        how = CAT.techniques[seg.technique].cue_for(seg.region) if seg.technique else ""
        if seg.role != "work" or how not in seg.say:
            continue
        new, _ = adjust.back(p, CAT, i, seg.start_s + 1)
        again = [s for s in new.segments[i + 1 :] if s.technique == seg.technique]
        assert not again or any(how in s.say for s in again), (i, seg.technique)
        assert (
            check_plan(new, CAT, ("explains_each_stroke_once", "explains_each_pressure_number"))
            == []
        )


@pytest.mark.parametrize("position", ["any", "lying", "side-lying", "face-up", "seated-forearms"])
def test_more_time_on_the_opening_glides_keeps_them_going_without_a_new_lead(position):
    p = plan(10, position)
    i = next(j for j, s in enumerate(p.segments) if s.kind == "step")
    new, note = adjust.more_time(p, CAT, i)
    assert note.startswith("More time on the opening glides:")
    assert new.segments[i].start_s == p.segments[i].start_s
    assert new.segments[i].kind == "step" and new.segments[i].reps > p.segments[i].reps


@pytest.mark.parametrize(
    ("minutes", "position", "index"),
    [
        (20, "face-up", 3),  # the scalp: wipe the oil off, said just before
        (45, "face-up", 4),
        (45, "side-lying", 20),  # longer, the first part would no longer fit before a check-in
        (60, "side-lying", 105),
    ],
)
def test_more_time_goes_on_with_the_step_under_way_saying_nothing_first(minutes, position, index):
    p = plan(minutes, position)
    new, note = adjust.more_time(p, CAT, index)
    assert note.startswith("More time on")
    step = new.segments[index]
    assert step.kind == "step" and step.start_s == p.segments[index].start_s
    assert (step.technique, step.region) == (p.segments[index].technique, p.segments[index].region)
    wipes = lambda segs: sum(wording.WIPE_HANDS in s.say for s in segs)  # noqa: E731
    assert wipes(new.segments) == wipes(p.segments)


@pytest.mark.parametrize("minutes", [30, 60])
def test_more_time_on_the_region_where_the_half_falls_says_turn_the_head_as_it_ends(minutes):
    p = plan(minutes, "lying")
    halfway = CAT.positions["lying"].halfway
    at = next(i for i, s in enumerate(p.segments) if halfway in s.say)
    region = next(s.region for s in reversed(p.segments[:at]) if s.kind == "step")
    here = [i for i, s in enumerate(p.segments[:at]) if s.kind == "step" and s.region == region]
    assert len(here) >= 2
    for index in here:
        new, _ = adjust.more_time(p, CAT, index)
        assert new is not p and check_plan(new, CAT, ("says_the_halfway_change",)) == [], index


def _heard_stop_rules(p):
    return sum(wording.STOP_RULE in s.say and heard_in_full(s) for s in p.segments)


@pytest.mark.parametrize("at_s", [0.3, 1.0])
@pytest.mark.parametrize(
    ("position", "conditions", "towels"),
    [
        ("lying", (), "Arrange the towels so the back is bare"),
        ("seated", ("high-blood-pressure",), "let it drop to the waist"),
        ("side-lying", ("pregnancy",), ""),
        ("side-lying", (), ""),
    ],
)
def test_skipping_the_first_words_still_says_the_warnings_and_when_to_stop_once(
    position, conditions, towels, at_s
):
    p = plan(30, position, conditions)
    first = p.segments[0]
    assert first.kind == "oil"
    new, _ = adjust.skip(p, CAT, 0, at_s)
    later = " ".join(s.say for s in new.segments if heard_in_full(s))  # not the cut words
    first_stroke = next(k for k, s in enumerate(new.segments) if s.kind == "step")
    before_it = " ".join(s.say for s in new.segments[: first_stroke + 1] if heard_in_full(s))
    assert wording.STOP_RULE in before_it and wording.pressure_scale() in before_it
    for caution in first.cautions:  # the condition's warnings
        assert caution in later
    assert towels in first.say and towels in later
    # Heard once, even after the turn (side-lying) and across a second change.
    assert _heard_stop_rules(new) == 1
    i = next(j for j, s in enumerate(new.segments) if j > 3 and s.kind == "step")
    again, _ = adjust.skip(new, CAT, i, new.segments[i].start_s + 2)
    assert _heard_stop_rules(again) == 1


def test_skipping_the_words_said_again_after_a_skipped_start_says_them_once_more():
    p = plan(30, "seated", ("high-blood-pressure",))
    new, _ = adjust.skip(p, CAT, 0, 1.0)
    assert wording.STOP_RULE in new.segments[1].say
    again, _ = adjust.skip(new, CAT, 1, new.segments[1].start_s + 1)
    assert _heard_stop_rules(again) == 1


def test_more_time_on_a_steps_later_part_carries_on_under_its_number():
    p = plan_session(
        CAT,
        PlanRequest(
            minutes=39,
            position="seated",
            profile=Profile(conditions=("bleeding-disorder",)),
            vary=145269,
        ),
    )
    # Hands laid still on the upper back: "more" pushes their end past a check-in.
    i = next(
        i
        for i, s in enumerate(p.segments)
        if (s.technique, s.region) == ("lay-on-hands", "upper-back")
    )
    q, _ = adjust.more_time(p, CAT, i)
    part = q.segments[i + 2]
    assert q.segments[i + 1].kind == "check-in" and part.step_index == q.segments[i].step_index
    new, _ = adjust.more_time(q, CAT, i + 2)
    went_on = new.segments[i + 2]
    assert went_on.say.startswith("Carry on with") and went_on.reps > part.reps
    assert went_on.step_index == part.step_index


@pytest.mark.parametrize(
    ("minutes", "position", "conditions", "vary", "technique"),
    [
        (19, "lying", ("osteoporosis",), 639121, "skull-base-thumb-steps"),
        (22, "any", ("pregnancy",), 237423, "side-back-glide"),
    ],
)
def test_more_time_under_way_still_checks_in_within_five_minutes(
    minutes, position, conditions, vary, technique
):
    profile = Profile(conditions=conditions)
    request = PlanRequest(minutes=minutes, position=position, profile=profile, vary=vary)
    p = plan_session(CAT, request)
    index = next(i for i, s in enumerate(p.segments) if s.technique == technique)
    new, note = adjust.more_time(p, CAT, index)
    assert note.startswith("More time on")
    assert new.segments[index].kind == "step"
    assert check_plan(new, CAT, ("checks_in_every_five_minutes",)) == []


def test_the_stop_rule_check_does_not_count_words_cut_before_they_were_out():
    p = plan(30, "lying")
    cut = replace(p.segments[0], duration_s=1.0)
    violations = check_plan(
        replace(p, segments=(cut, *p.segments[1:])), CAT, ("says_the_stop_rule",)
    )
    assert len(violations) == 1 and "before the stop rule is said" in violations[0]


def _cautions_after_the_turn(p, regions=None):
    """The cautions said after the turn, for the regions (all, or those given) worked then."""
    turn = next(k for k, s in enumerate(p.segments) if "Time to turn over" in s.say)
    return {
        c for s in p.segments[turn:] if regions is None or s.region in regions for c in s.cautions
    }


def _worked_after_the_turn(p):
    turn = next(k for k, s in enumerate(p.segments) if "Time to turn over" in s.say)
    return {s.region for s in p.segments[turn:] if s.kind == "step"}


@pytest.mark.parametrize("change", ["skip", "more", "back"])
@pytest.mark.parametrize(("minutes", "conditions"), [(45, ()), (30, ("pregnancy",))])
def test_lying_on_the_side_a_change_on_the_first_side_keeps_the_second_sides_cautions(
    change, minutes, conditions
):
    p = plan(minutes, "side-lying", conditions)
    assert len(_cautions_after_the_turn(p)) > 4
    turn = next(k for k, s in enumerate(p.segments) if "Time to turn over" in s.say)
    steps = [k for k, s in enumerate(p.segments[:turn]) if s.kind == "step"]
    for i in steps[len(steps) // 2 :: 3]:
        new, _ = adjust.apply_change(p, CAT, change, i, p.segments[i].start_s + 1)
        # The regions done on the first side before the change (their steps left are for the
        # second side only), still worked after the turn.
        done = {s.region for s in p.segments[:i] if s.kind == "step"} - {p.segments[i].region}
        worked = _worked_after_the_turn(new) & done
        assert _cautions_after_the_turn(p, worked) <= _cautions_after_the_turn(new), (change, i)


@pytest.mark.parametrize("change", ["more", "back", "skip"])
@pytest.mark.parametrize(("minutes", "conditions"), [(20, ()), (45, ("slipped-disc",))])
def test_lying_on_the_side_a_step_with_both_sides_still_to_come_says_its_cautions_after_the_turn(
    change, minutes, conditions
):
    # "More" or "back" on the first side leaves steps whose first pass (the one under way,
    # or one to come) already had its cautions said: their pass after the turn says them
    # again, as the plan does (1,031 changes in a sweep lost one or two; now none).
    p = plan(minutes, "side-lying", conditions)
    turn = next(k for k, s in enumerate(p.segments) if "Time to turn over" in s.say)
    for i in [k for k, s in enumerate(p.segments[:turn]) if s.kind == "step"][1:]:
        new, _ = adjust.apply_change(p, CAT, change, i, p.segments[i].start_s + 1)
        worked = _worked_after_the_turn(new)
        assert _cautions_after_the_turn(p, worked) <= _cautions_after_the_turn(new), (change, i)


@pytest.mark.parametrize("minutes", [30, 45])
def test_the_halfway_words_skipped_before_they_were_out_are_said_later(minutes):
    # Face down, the feet's announcement also asks to turn the head; skipped a second in, the
    # words were cut off, and the rest of the session never said them.
    p = plan(minutes, "lying")
    words = CAT.positions["lying"].halfway
    i = next(i for i, s in enumerate(p.segments) if words in s.say)
    new, _ = adjust.skip(p, CAT, i, p.segments[i].start_s + 1)
    assert any(words in s.say and heard_in_full(s) for s in new.segments[i + 1 :])
    assert check_plan(new, CAT, ("says_the_halfway_change",)) == []
