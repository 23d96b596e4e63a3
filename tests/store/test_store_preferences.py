"""Learned preferences from lighter/firmer presses, more-time and feedback."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import PLAN, at_noon, make_plan

from rubdown.store import StoreError
from rubdown.store.db import Store
from rubdown.store.preferences import learned_preferences
from rubdown.store.repos import FeedbackRepo, PeopleRepo, SessionsRepo

DAY1, DAY2 = date(2025, 11, 3), date(2025, 11, 5)
Press = tuple[str, dict[str, Any]]


def received(
    store: Store,
    receiver: str,
    day: date,
    presses: list[Press],
    verdict: str | None = None,
    favourite: str | None = None,
    plan: dict[str, Any] = PLAN,
) -> int:
    """A finished session given to receiver with these events, then feedback."""
    repo = SessionsRepo(store)
    sid = repo.start(plan, None, receiver, started_at=at_noon(day))
    for clock, (kind, where) in enumerate(presses, start=1):
        repo.record(sid, kind, float(clock), **where)
    repo.finish(sid, "finished", clock_s=600.0)
    if verdict or favourite:
        FeedbackRepo(store).save(sid, 4, verdict, favourite)
    return sid


def test_presses_move_each_region_from_the_planned_pressure(
    store: Store, people: PeopleRepo
) -> None:
    shoulders: dict[str, Any] = {"segment_index": 0, "region": "shoulders"}
    neck: dict[str, Any] = {"segment_index": 1}
    presses: list[Press] = [("firmer", shoulders), ("firmer", shoulders), ("lighter", neck)]
    received(store, "Bo", DAY1, presses)
    learned = learned_preferences(store, "bo")
    # Only regions the receiver spoke about are learned; upper-back keeps its plan.
    assert learned.region_pressure == {"shoulders": 5, "neck": 3}
    assert learned.notes == (
        "neck pressure 3: asked for lighter once last time",
        "shoulders pressure 5: asked for firmer twice last time",
    )


@pytest.mark.parametrize(("verdict", "step"), [("right", 0), ("too-firm", -1), ("too-light", 1)])
def test_pressure_verdict_moves_every_region_of_that_session(
    store: Store, people: PeopleRepo, verdict: str, step: int
) -> None:
    received(store, "Bo", DAY1, [], verdict=verdict)
    learned = learned_preferences(store, "Bo")
    assert learned.region_pressure == {
        "shoulders": 3 + step,
        "neck": 4 + step,
        "upper-back": 3 + step,
    }
    if step:
        assert f"said it was {verdict.replace('-', ' ')} overall last time" in learned.notes[0]


def test_the_latest_session_wins_per_region(store: Store, people: PeopleRepo) -> None:
    received(store, "Bo", DAY1, [("firmer", {"region": "neck"})])
    received(store, "Bo", DAY2, [], plan=make_plan(("shoulders", "palm-glide", 2, 300.0)))
    learned = learned_preferences(store, "Bo")
    # The second session taught nothing new, so the first one's neck press still stands.
    assert learned.region_pressure == {"neck": 5}
    assert "neck pressure 5: asked for firmer once on 2025-11-03" in learned.notes


def test_an_absolute_pressure_in_the_event_makes_the_last_press_win(
    store: Store, people: PeopleRepo
) -> None:
    presses = [("firmer", {"region": "neck", "data": {"pressure": 6}})]
    presses.append(("lighter", {"region": "neck", "data": {"pressure": 5}}))
    received(store, "Bo", DAY1, presses)
    assert learned_preferences(store, "Bo").region_pressure["neck"] == 5


@pytest.mark.parametrize(
    ("presses", "verdict", "expected"),
    [(10, None, 7), (10, "too-light", 7), (-10, "too-firm", 1)],
)
def test_learned_pressure_is_clamped_to_one_to_seven(
    store: Store, people: PeopleRepo, presses: int, verdict: str | None, expected: int
) -> None:
    kind = "firmer" if presses > 0 else "lighter"
    received(store, "Bo", DAY1, [(kind, {"region": "neck"})] * abs(presses), verdict=verdict)
    assert learned_preferences(store, "Bo").region_pressure["neck"] == expected


def test_favourites_are_named_ones_newest_first_then_more_time_ones(
    store: Store, people: PeopleRepo
) -> None:
    for offset, fav in enumerate(["a", "b", "c", "d"]):
        received(store, "Bo", date(2025, 10, 1 + offset), [], favourite=f"fav-{fav}")
    received(store, "Bo", DAY2, [("more-time", {"segment_index": 1})], favourite="fav-c")
    learned = learned_preferences(store, "Bo")
    assert learned.favourite_techniques == ("fav-c", "fav-d", "fav-b", "neck-circles")
    assert "neck-circles: asked for more time on it on 2025-11-05" in learned.notes


def test_only_the_receivers_ended_sessions_count(
    store: Store, people: PeopleRepo, sessions: SessionsRepo
) -> None:
    received(store, "Ann", DAY1, [("firmer", {"region": "neck"})], favourite="palm-glide")
    running = sessions.start(PLAN, None, "Bo")
    sessions.record(running, "firmer", 1.0, region="neck")
    learned = learned_preferences(store, "Bo")
    assert (learned.region_pressure, learned.favourite_techniques, learned.notes) == ({}, (), ())


def test_learned_preferences_for_an_unknown_person_is_a_store_error(
    store: Store, people: PeopleRepo
) -> None:
    with pytest.raises(StoreError, match="known people: Ann, Bo"):
        learned_preferences(store, "Zed")


_names = itertools.count()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    presses=st.lists(st.sampled_from(["lighter", "firmer"]), max_size=12),
    verdict=st.sampled_from([None, "right", "too-firm", "too-light"]),
)
def test_any_presses_and_verdict_stay_within_one_to_seven(
    store: Store, presses: list[str], verdict: str | None
) -> None:
    name = f"person-{next(_names)}"
    PeopleRepo(store).add(name)
    received(store, name, DAY1, [(kind, {"region": "shoulders"}) for kind in presses], verdict)
    values = learned_preferences(store, name).region_pressure.values()
    assert all(1 <= v <= 7 for v in values)
    assert bool(values) == bool(presses or verdict)
