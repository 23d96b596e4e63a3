"""A seated session opens by saying the whole set-up, not only what the receiver leans on
(a therapist's reading of the plans, issue 10)."""

from __future__ import annotations

import pytest

from rubdown.core import guidance
from rubdown.core.catalogue import load_catalogue
from rubdown.core.invariants import check_plan
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session

CAT = load_catalogue()
# What the giver hears before the oil: where each of them sits, and on what.
SETUP = {
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
PLANS = [
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


@pytest.mark.parametrize(("position", "request_"), PLANS)
def test_the_first_words_say_where_each_of_you_sits(position, request_):
    p = plan_session(CAT, request_)
    opening = p.segments[0]
    assert opening.kind == "oil" and p.steps[0].position == position
    for words in SETUP[position]:
        assert words in opening.say, words


@pytest.mark.parametrize(("position", "request_"), PLANS)
def test_the_set_up_comes_before_the_towel_and_the_oil(position, request_):
    say = plan_session(CAT, request_).segments[0].say
    oil = say.index("Warm a little oil")
    assert all(say.index(words) < oil for words in SETUP[position])
    for drape in CAT.positions[position].drapes:
        if drape.say in say:
            assert max(say.index(words) for words in SETUP[position]) < say.index(drape.say)


@pytest.mark.parametrize(("position", "request_"), PLANS)
def test_the_opening_with_its_set_up_still_fits_its_slot(position, request_):
    p = plan_session(CAT, request_)
    opening = p.segments[0]
    assert all(words in opening.say for words in SETUP[position])
    assert guidance.speech_seconds(opening.say) <= opening.duration_s
    assert check_plan(p, CAT) == []


@pytest.mark.parametrize("position", sorted(SETUP))
def test_the_position_says_its_set_up_in_a_breath(position):
    # Said before the oil: a few sentences, under 20 seconds at 150 words a minute.
    support = CAT.positions[position].support
    assert all(words in support for words in SETUP[position])
    assert guidance.speech_seconds(support) < 20
