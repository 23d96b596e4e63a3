"""Plans that a long Hypothesis run over random requests found breaking an invariant."""

from __future__ import annotations

from rubdown.core import craft
from rubdown.core.catalogue import load_catalogue
from rubdown.core.invariants import check_plan
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session

CAT = load_catalogue()


def test_a_long_focus_opening_ends_before_the_first_check_in():
    # The shins opening of feet-before-bed, made long by the focus, ran past the five-minute
    # check-in, which then cut the first stroke in two.
    profile = Profile(focus=("shins",), conditions=("anxiety", "arthritis"))
    p = plan_session(CAT, PlanRequest(minutes=20, routine="feet-before-bed", profile=profile))
    first_checkin = next(s for s in p.segments if s.kind == "check-in")
    first_step_end = max(s.end_s for s in p.segments if s.kind == "step" and s.step_index == 0)
    assert first_step_end <= first_checkin.start_s
    assert check_plan(p, CAT) == []


def test_variety_is_made_up_when_framing_leaves_out_a_chosen_technique():
    # The shoulder circles chosen for variety had no place once framed: the session used 7
    # techniques where 8 were wanted, and nothing added another.
    profile = Profile(
        avoid=("hands", "forearms", "neck"),
        conditions=("high-blood-pressure", "anxiety", "sciatica"),
    )
    p = plan_session(CAT, PlanRequest(minutes=30, vary=32, profile=profile))
    assert len({s.technique for s in p.steps}) >= craft.distinct_target(30)
    assert check_plan(p, CAT) == []
