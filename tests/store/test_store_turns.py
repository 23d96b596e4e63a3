"""Whose turn it is, and the per-week stats and balance."""

from __future__ import annotations

from datetime import date

import pytest
from store_helpers import RunSession

from rubdown.store import StoreError
from rubdown.store.db import Store
from rubdown.store.records import WeekRow
from rubdown.store.repos import PeopleRepo
from rubdown.store.turns import stats, whose_turn

MON, TUE, WED = date(2025, 11, 3), date(2025, 11, 4), date(2025, 11, 5)


@pytest.mark.parametrize(("a", "b"), [("Ann", "Bo"), ("bo", "ann")])
def test_the_one_who_received_last_gives_next(
    store: Store, people: PeopleRepo, run_session: RunSession, a: str, b: str
) -> None:
    run_session("Bo", "Ann", MON)
    run_session("Ann", "Bo", TUE)
    answer = whose_turn(store, a, b)
    assert (answer.giver, answer.receiver) == ("Bo", "Ann")
    assert answer.reason == "Bo received last time (Tue 4 Nov 2025), so gives today."


def test_with_no_history_the_first_named_gives(store: Store, people: PeopleRepo) -> None:
    answer = whose_turn(store, "Bo", "Ann")
    assert (answer.giver, answer.receiver) == ("Bo", "Ann")
    assert answer.reason == "No sessions together yet; you are even, so Bo, named first, gives."


def test_with_no_history_together_the_one_who_has_given_less_gives(
    store: Store, people: PeopleRepo, run_session: RunSession
) -> None:
    people.add("Cy")
    run_session("Ann", "Cy", MON)
    assert whose_turn(store, "Ann", "Bo").giver == "Bo"


@pytest.mark.parametrize(
    ("ann_gives", "bo_gives", "giver"),
    [
        ([600.0], [600.0, 60.0], "Ann"),  # fewer sessions given
        ([600.0, 60.0], [600.0], "Bo"),
        ([300.0], [600.0], "Ann"),  # same count: fewer minutes given
        ([600.0], [300.0], "Bo"),
    ],
)
def test_a_tie_on_the_last_day_goes_to_the_one_who_has_given_less(
    store: Store,
    people: PeopleRepo,
    run_session: RunSession,
    ann_gives: list[float],
    bo_gives: list[float],
    giver: str,
) -> None:
    for seconds in ann_gives:
        run_session("Ann", "Bo", MON, seconds=seconds)
    for seconds in bo_gives:
        run_session("Bo", "Ann", MON, seconds=seconds)
    answer = whose_turn(store, "Ann", "Bo")
    assert answer.giver == giver
    assert answer.reason.startswith("You both received on Mon 3 Nov 2025; ")


def test_running_and_empty_sessions_do_not_decide_the_turn(
    store: Store, people: PeopleRepo, run_session: RunSession
) -> None:
    run_session("Bo", "Ann", MON)
    run_session("Ann", "Bo", TUE, status="running")
    run_session("Ann", "Bo", WED, seconds=0, status="quit")
    assert whose_turn(store, "Ann", "Bo").giver == "Ann"


@pytest.mark.parametrize(
    ("a", "b", "message"), [("Ann", "ann", "two different"), ("Ann", "Zed", "Zed")]
)
def test_whose_turn_needs_two_known_people(
    store: Store, people: PeopleRepo, a: str, b: str, message: str
) -> None:
    with pytest.raises(StoreError, match=message):
        whose_turn(store, a, b)


def test_stats_sum_minutes_per_person_and_iso_week(
    store: Store, people: PeopleRepo, run_session: RunSession
) -> None:
    run_session("Ann", "Bo", date(2025, 10, 1), seconds=6000)  # before the window
    run_session("Ann", "Bo", date(2025, 11, 2), seconds=1800)  # Sunday: week of Oct 27
    run_session("Bo", "Ann", MON, seconds=600)
    run_session("Ann", "Bo", WED, seconds=900, status="interrupted")
    run_session("Bo", "Ann", WED, seconds=1200, status="running")  # not over: not counted
    result = stats(store, weeks=2, today=date(2025, 11, 6))
    assert result.since == date(2025, 10, 27)
    assert result.weeks == (
        WeekRow(date(2025, 10, 27), "Ann", 30.0, 0.0),
        WeekRow(date(2025, 10, 27), "Bo", 0.0, 30.0),
        WeekRow(MON, "Ann", 15.0, 10.0),
        WeekRow(MON, "Bo", 10.0, 15.0),
    )
    ann, bo = result.people
    assert (ann.sessions_given, ann.sessions_received, ann.minutes_given) == (2, 1, 45.0)
    assert (bo.sessions_given, bo.sessions_received, bo.minutes_received) == (1, 2, 45.0)
    assert result.balance == {"Ann": 35.0, "Bo": -35.0}


def test_stats_with_no_sessions_are_all_zero(store: Store, people: PeopleRepo) -> None:
    result = stats(store, weeks=1, today=MON)
    assert result.weeks == (WeekRow(MON, "Ann", 0.0, 0.0), WeekRow(MON, "Bo", 0.0, 0.0))
    assert result.balance == {"Ann": 0.0, "Bo": 0.0}


def test_stats_need_at_least_one_week(store: Store) -> None:
    with pytest.raises(StoreError, match="at least one week"):
        stats(store, weeks=0)
