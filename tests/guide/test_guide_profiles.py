"""profile_for: stored person + command line + what past sessions taught."""

from __future__ import annotations

import pytest

from rubdown.core.models import Profile
from rubdown.store.db import Store
from rubdown.store.errors import StoreError
from rubdown.store.profiles import profile_for
from rubdown.store.repos import FeedbackRepo, PeopleRepo, SessionsRepo

PLAN = {
    "minutes": 5,
    "total_seconds": 300.0,
    "segments": [
        {
            "start_s": 0.0,
            "duration_s": 150.0,
            "kind": "step",
            "region": "shoulders",
            "technique": "shoulder-kneading",
            "pressure": 4,
        },
        {
            "start_s": 150.0,
            "duration_s": 150.0,
            "kind": "step",
            "region": "neck",
            "technique": "neck-circles",
            "pressure": 3,
        },
    ],
}


def _firmer_on_shoulders(store: Store, receiver: str, favourite: str | None = None) -> None:
    sessions = SessionsRepo(store)
    sid = sessions.start(PLAN, None, receiver)
    sessions.record(sid, "segment-started", 0.0, segment_index=0, region="shoulders")
    sessions.record(sid, "firmer", 10.0, segment_index=0, region="shoulders")
    sessions.record(sid, "segment-finished", 150.0, segment_index=0)
    sessions.finish(sid, "finished", 300.0)
    if favourite:
        FeedbackRepo(store).save(
            sid, overall=5, pressure_verdict="right", favourite_technique=favourite
        )


def test_no_receiver_uses_only_the_command_line(store):
    got = profile_for(store, None, pressure="firm", focus=("neck", "neck"), avoid=("feet",))
    assert got == Profile(pressure="firm", focus=("neck",), avoid=("feet",))


def test_no_store_uses_only_the_command_line():
    assert profile_for(None, "Ann", conditions=("sciatica",)) == Profile(conditions=("sciatica",))


@pytest.mark.parametrize(
    ("cli_pressure", "expected"),
    [(None, "light"), ("firm", "firm")],
)
def test_command_line_pressure_overrides_the_stored_one(store, cli_pressure, expected):
    PeopleRepo(store).add("Ann", pressure="light")
    assert profile_for(store, "ann", pressure=cli_pressure).pressure == expected


def test_command_line_lists_add_to_the_stored_ones(store):
    PeopleRepo(store).add("Ann", focus=["neck"], avoid=["feet"], conditions=["sciatica"])
    got = profile_for(
        store, "Ann", focus=("shoulders", "neck"), avoid=("hands",), conditions=("pregnancy",)
    )
    assert got.focus == ("neck", "shoulders")
    assert got.avoid == ("feet", "hands")
    assert got.conditions == ("sciatica", "pregnancy")


def test_learned_pressure_and_favourites_come_with_notes(store):
    PeopleRepo(store).add("Ann")
    _firmer_on_shoulders(store, "Ann", favourite="neck-circles")
    got = profile_for(store, "Ann")
    assert dict(got.learned_pressure)["shoulders"] == 5
    assert got.favourites == ("neck-circles",)
    text = " ".join(got.learned_notes)
    assert "shoulders pressure 5" in text and "firmer" in text and "favourite" in text


def test_today_s_pressure_sets_the_learned_pressures_aside(store):
    PeopleRepo(store).add("Ann")
    _firmer_on_shoulders(store, "Ann")
    got = profile_for(store, "Ann", pressure="light")
    assert got.learned_pressure == ()
    assert any("instead of the learned" in n for n in got.learned_notes)
    assert not any("shoulders pressure" in n for n in got.learned_notes)


def test_an_unknown_receiver_is_a_store_error_naming_who_is_known(store):
    PeopleRepo(store).add("Ann")
    with pytest.raises(StoreError, match="Ann"):
        profile_for(store, "Zed")
