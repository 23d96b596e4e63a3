"""Every position opens by saying its set-up (seated: where each of you sits; lying on the
side or face up: how the receiver lies), and so does a move into one mid-session (a
therapist's reading of the plans, issue 10)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rubdown.core import guidance
from rubdown.core.catalogue import load_catalogue
from rubdown.core.invariants import check_plan
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session

CAT = load_catalogue()
# What the giver hears before the first touch there: how the receiver lies, on what, and
# (on the side) where the giver kneels; the closing's "warm towels" are laid on at the start.
SETUP = {
    "side-lying": (
        "on their left side",
        "a pillow under the head",
        "between the knees",
        "the top knee bent forward",
        "Kneel behind their back",
    ),
    "face-up": (
        "lie on their back",
        "a thin pillow under the head",
        "a firm one under the knees",
        "the warm towels over them",
    ),
    "lying": ("Kneel at their side", "head to one side", "under the lower legs"),
    # Seated: where each of them sits, and on what.
    "seated": (
        "blankets spread on the floor",
        "sit on a stack of pillows rather than kneeling",
        "between your knees",
        "facing away from you",
        "a cushion to hug in their lap",
    ),
    "seated-forearms": (
        "sturdy chair pulled up to a table",
        "stand behind them",
        "firm pillow on the table",
    ),
}
OPENINGS = [
    ("side-lying", PlanRequest(minutes=10, position="side-lying")),
    ("side-lying", PlanRequest(minutes=20, position="side-lying")),
    ("side-lying", PlanRequest(minutes=30, position="side-lying")),
    ("side-lying", PlanRequest(minutes=45, position="side-lying")),
    ("side-lying", PlanRequest(minutes=30, profile=Profile(conditions=("pregnancy",)))),
    ("side-lying", PlanRequest(routine="pregnancy-side-lying")),
    ("face-up", PlanRequest(minutes=10, position="face-up")),
    ("face-up", PlanRequest(minutes=20, position="face-up")),
    ("face-up", PlanRequest(minutes=30, position="face-up")),
    ("face-up", PlanRequest(minutes=45, position="face-up")),
    ("face-up", PlanRequest(routine="sleep-wind-down")),
    ("face-up", PlanRequest(routine="tension-headache")),
    ("face-up", PlanRequest(routine="feet-before-bed")),
    ("lying", PlanRequest(minutes=10, position="lying")),
    ("lying", PlanRequest(minutes=30, position="lying")),
    ("seated", PlanRequest(minutes=10, position="seated")),
    ("seated", PlanRequest(minutes=20, position="seated")),
    ("seated", PlanRequest(minutes=45, position="seated")),
    ("seated", PlanRequest(minutes=20, position="seated", profile=Profile(pressure="light"))),
    ("seated", PlanRequest(routine="quick-neck-shoulders")),
    ("seated", PlanRequest(routine="seated-shoulders-back")),
    ("seated-forearms", PlanRequest(minutes=10, position="seated-forearms")),
    ("seated-forearms", PlanRequest(minutes=20, position="seated-forearms")),
    ("seated-forearms", PlanRequest(minutes=45, position="seated-forearms")),
    ("seated-forearms", PlanRequest(routine="desk-neck-shoulders")),
    ("seated-forearms", PlanRequest(routine="forearm-relief")),
]
SEATED = [(position, request_) for position, request_ in OPENINGS if position.startswith("seated")]
# Sessions that move into face up partway through.
MOVES = [PlanRequest(routine="full-body-hour"), PlanRequest(routine="runners-legs")]


@pytest.mark.parametrize(("position", "request_"), OPENINGS)
def test_the_opening_says_how_the_receiver_lies_before_the_oil(position, request_):
    p = plan_session(CAT, request_)
    opening = p.segments[0]
    assert opening.kind == "oil" and p.steps[0].position == position
    oil = opening.say.index("Warm a little oil")
    for words in SETUP[position]:
        assert words in opening.say, words
        assert opening.say.index(words) < oil, words


@pytest.mark.parametrize(("position", "request_"), OPENINGS)
def test_the_opening_with_its_set_up_still_fits_its_slot(position, request_):
    p = plan_session(CAT, request_)
    opening = p.segments[0]
    assert all(words in opening.say for words in SETUP[position])
    assert guidance.speech_seconds(opening.say) <= opening.duration_s
    assert all(guidance.speech_seconds(s.say) <= s.duration_s for s in p.segments)
    assert check_plan(p, CAT) == []


@pytest.mark.parametrize(("position", "request_"), SEATED)
def test_the_set_up_comes_before_the_towel_and_the_oil(position, request_):
    say = plan_session(CAT, request_).segments[0].say
    oil = say.index("Warm a little oil")
    assert all(say.index(words) < oil for words in SETUP[position])
    for drape in CAT.positions[position].drapes:
        if drape.say in say:
            assert max(say.index(words) for words in SETUP[position]) < say.index(drape.say)


@pytest.mark.parametrize("position", ["seated", "seated-forearms"])
def test_the_position_says_its_set_up_in_a_breath(position):
    # Said before the oil: a few sentences, under 20 seconds at 150 words a minute.
    support = CAT.positions[position].support
    assert all(words in support for words in SETUP[position])
    assert guidance.speech_seconds(support) < 20


@pytest.mark.parametrize("position", ["side-lying", "face-up"])
def test_every_position_with_its_set_up_has_a_short_support(position):
    support = CAT.positions[position].support
    assert all(words in support for words in SETUP[position])
    assert guidance.speech_seconds(support) < 12
    assert " oil" not in support


@pytest.mark.parametrize("request_", MOVES)
def test_a_move_into_face_up_says_its_set_up(request_):
    p = plan_session(CAT, request_)
    moves = [s for s in p.segments if "Change position now: lying face up" in s.say]
    assert len(moves) == 1
    assert all(words in moves[0].say for words in SETUP["face-up"])
    assert guidance.speech_seconds(moves[0].say) <= moves[0].duration_s
    assert check_plan(p, CAT) == []


@pytest.mark.parametrize(("minutes", "position"), [(10, "side-lying"), (20, "face-up")])
def test_the_support_invariant_catches_a_side_or_face_up_plan_that_never_says_it(minutes, position):
    p = plan_session(CAT, PlanRequest(minutes=minutes, position=position))
    support = CAT.positions[position].support
    opening = replace(p.segments[0], say=p.segments[0].say.replace(support, "").strip())
    broken = replace(p, segments=(opening, *p.segments[1:]))
    assert check_plan(broken, CAT, ("says_what_the_receiver_leans_on",)) == [
        f"says_what_the_receiver_leans_on: {position} at {p.steps[0].start_s:.0f} s: "
        "its support is never said"
    ]
