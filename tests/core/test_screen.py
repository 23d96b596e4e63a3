"""The red-flag screen's rules: every flag refuses, the first three as emergencies."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rubdown.core.screen import (
    FLAGS,
    RED_FLAGS,
    ScreenError,
    ScreenNeeded,
    ScreenRefusal,
    gate,
    raised,
    screen_due,
)

NO = {f.id: False for f in RED_FLAGS}
EMERGENCIES = ["saddle-numbness", "bladder-bowel", "both-legs"]


@pytest.mark.parametrize("flag", [f.id for f in RED_FLAGS])
def test_each_red_flag_refuses_with_what_to_do(flag):
    flags = raised({**NO, flag: True})
    assert [f.id for f in flags] == [flag]
    with pytest.raises(ScreenRefusal) as err:
        gate("Ann", [], [flag], [])
    assert err.value.exit_code == 3 and err.value.instead
    assert err.value.emergency is (flag in EMERGENCIES)
    if flag in EMERGENCIES:
        assert "999" in err.value.instead and "now" in err.value.instead


def test_the_questions_cover_nerves_clots_chest_and_fever():
    assert [f.id for f in RED_FLAGS] == [
        *EMERGENCIES,
        "calf-clot",
        "chest-pain",
        "fever",
    ]
    assert all(f.question.endswith("?") and f.source for f in RED_FLAGS)


def test_all_no_is_clear():
    assert raised(NO) == ()
    gate("Ann", ["diabetes"], [], ["diabetes"])


@pytest.mark.parametrize(
    ("answers", "words"),
    [({**NO, "hiccups": True}, "unknown screening question"), ({"fever": False}, "no answer")],
)
def test_incomplete_or_unknown_answers_are_refused_by_name(answers, words):
    with pytest.raises(ScreenError, match=words):
        raised(answers)


@pytest.mark.parametrize(
    ("then", "now", "due"),
    [
        (None, [], True),
        ([], [], False),
        (["diabetes"], ["diabetes"], False),
        (["Diabetes"], ["diabetes"], False),
        ([], ["pregnancy"], True),
        (["pregnancy"], [], True),
    ],
)
def test_the_screen_is_due_first_and_whenever_conditions_change(then, now, due):
    assert screen_due(then, now) is due
    if due:
        with pytest.raises(ScreenNeeded, match="rubdown screen --for Ann"):
            gate("Ann", then, [], now)


@given(st.dictionaries(st.sampled_from(sorted(FLAGS)), st.booleans(), min_size=len(FLAGS)))
def test_any_yes_refuses_and_all_no_never_does(answers):
    flags = raised(answers)
    assert {f.id for f in flags} == {k for k, v in answers.items() if v}
    if flags:
        with pytest.raises(ScreenRefusal) as err:
            gate("Ann", [], [f.id for f in flags], [])
        assert all(f.meaning in err.value.reason for f in flags)
    else:
        gate("Ann", [], [], [])
