"""Verdicts teach only about regions reached, notes read well, progress is saved between events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from store_helpers import PLAN, at_noon

from rubdown.store import StoreError
from rubdown.store.db import Store
from rubdown.store.models import utcnow
from rubdown.store.preferences import learned_preferences
from rubdown.store.repos import FeedbackRepo, PeopleRepo, SessionsRepo

DAY = date(2025, 11, 3)


def quit_with_verdict(store: Store, stopped_at: float, verdict: str, starts: list[int]) -> int:
    """Bo's session on PLAN, quit at stopped_at after these segments started, then a verdict."""
    sessions = SessionsRepo(store)
    sid = sessions.start(PLAN, None, "Bo", started_at=at_noon(DAY))
    for index in starts:
        start = PLAN["segments"][index]["start_s"]
        sessions.record(sid, "segment-started", start, segment_index=index)
    sessions.finish(sid, "quit", clock_s=stopped_at)
    FeedbackRepo(store).save(sid, 3, verdict)
    return sid


@pytest.mark.parametrize("journalled", [True, False])
def test_a_verdict_after_an_early_quit_moves_only_the_regions_reached(
    store: Store, people: PeopleRepo, journalled: bool
) -> None:
    # Quit 200 s in: only the shoulders (0-300 s) were worked; neck and upper back never were.
    quit_with_verdict(store, 200.0, "too-firm", [0] if journalled else [])
    assert learned_preferences(store, "Bo").region_pressure == {"shoulders": 2}


def test_a_segment_started_before_the_quit_counts_as_reached(
    store: Store, people: PeopleRepo
) -> None:
    quit_with_verdict(store, 310.0, "too-light", [0, 1])
    assert learned_preferences(store, "Bo").region_pressure == {"shoulders": 4, "neck": 5}


def test_the_note_joins_reasons_without_repeating_asked_for(
    store: Store, people: PeopleRepo
) -> None:
    sessions = SessionsRepo(store)
    sid = sessions.start(PLAN, None, "Bo", started_at=at_noon(DAY))
    for clock, kind in enumerate(["firmer", "lighter", "lighter"], start=1):
        sessions.record(sid, kind, float(clock), segment_index=0, region="shoulders")
    sessions.finish(sid, "finished", clock_s=600.0)
    FeedbackRepo(store).save(sid, 4, "too-firm")
    note = next(n for n in learned_preferences(store, "Bo").notes if n.startswith("shoulders"))
    assert note == (
        "shoulders pressure 1: asked for firmer once and lighter twice, "
        "then said it was too firm overall last time"
    )


def test_progress_is_saved_without_a_journal_entry_and_resumes_from_there(
    sessions: SessionsRepo,
) -> None:
    sid = sessions.start(PLAN, None, None)
    sessions.record(sid, "segment-started", 0.0, segment_index=0)
    sessions.save_progress(sid, 248.0, 0)
    assert [e.kind for e in sessions.events(sid)] == ["session-started", "segment-started"]
    assert sessions.mark_stale(utcnow() + timedelta(hours=1), 120.0, bool) == [sid]
    record = sessions.get(sid)
    assert (record.position_s, record.done_seconds, record.segment_index) == (248.0, 248, 0)
    assert sessions.events(sid)[-1].clock_s == 248.0  # interrupted where it really stopped
    sessions.resume(sid)
    assert sessions.events(sid)[-1].clock_s == 248.0


def test_progress_does_not_move_an_ended_session(sessions: SessionsRepo) -> None:
    sid = sessions.start(PLAN, None, None)
    sessions.finish(sid, "quit", 100.0)
    sessions.save_progress(sid, 400.0)
    assert sessions.get(sid).position_s == 100.0


def test_interrupted_lists_every_interrupted_session_newest_first(
    sessions: SessionsRepo,
) -> None:
    ids = [sessions.start(PLAN, None, None) for _ in range(3)]
    sessions.finish(ids[0], "interrupted", 10.0)
    sessions.finish(ids[1], "finished", 600.0)
    sessions.finish(ids[2], "interrupted", 20.0)
    assert [r.id for r in sessions.interrupted()] == [ids[2], ids[0]]


def test_removing_what_a_person_does_not_have_is_refused(people: PeopleRepo) -> None:
    with pytest.raises(StoreError, match="Ann has no condition 'fever' to remove"):
        people.edit("Ann", remove_conditions=["fever"])


def test_a_check_that_refuses_the_changed_person_keeps_the_old_one(people: PeopleRepo) -> None:
    def refuse(person: object) -> None:
        raise StoreError("no")

    with pytest.raises(StoreError, match="no"):
        people.edit("Ann", add_avoid=["neck"], check=refuse)
    with pytest.raises(StoreError, match="no"):
        people.add("Cy", check=refuse)
    assert people.get("Ann").avoid == ()
    assert [p.name for p in people.list()] == ["Ann", "Bo"]
