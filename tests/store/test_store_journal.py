"""The session journal: events committed one by one, progress, resume and history."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta

import pytest
from store_helpers import PLAN, RunSession

from rubdown.store import StoreError
from rubdown.store.db import Store, open_store
from rubdown.store.repos import FeedbackRepo, PeopleRepo, SessionsRepo

T0 = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
LIMIT = 120.0


def alive(owner: str) -> bool:
    """Every owner is alive: only the heartbeat decides."""
    return bool(owner)


CHILD = textwrap.dedent(
    """
    import sys
    from rubdown.store.db import open_store
    from rubdown.store.repos import SessionsRepo

    repo = SessionsRepo(open_store(sys.argv[1]))
    sid = repo.start({"segments": []}, None, None)
    print("session", sid, flush=True)
    for i in range(100_000):
        event = repo.record(sid, "segment-started", float(i), segment_index=i)
        print(event.seq, flush=True)
    """
)


def test_start_journals_session_started_and_plans_the_length(
    people: PeopleRepo, sessions: SessionsRepo
) -> None:
    sid = sessions.start(PLAN, "ann", "BO")
    record = sessions.get(sid)
    assert (record.giver, record.receiver, record.status) == ("Ann", "Bo", "running")
    assert record.planned_seconds == 600 and record.plan == PLAN
    assert [(e.seq, e.kind) for e in sessions.events(sid)] == [(1, "session-started")]


def test_start_with_an_unknown_person_is_refused(
    people: PeopleRepo, sessions: SessionsRepo
) -> None:
    with pytest.raises(StoreError, match="no one named 'Zed'"):
        sessions.start(PLAN, "Zed", "Ann")


def test_events_are_numbered_and_move_the_progress_along(sessions: SessionsRepo) -> None:
    sid = sessions.start(PLAN, None, None)
    sessions.record(sid, "segment-started", 0.0, segment_index=0, region="shoulders")
    sessions.record(sid, "firmer", 42.5, segment_index=0, data={"pressure": 4})
    back = sessions.record(sid, "back", 310.0, segment_index=0, position_s=0.0)
    assert back.seq == 4 and back.kind == "back"
    record = sessions.get(sid)
    assert (record.position_s, record.segment_index, record.done_seconds) == (0.0, 0, 310)
    assert sessions.events(sid)[2].data == {"pressure": 4}


def test_unknown_event_kind_is_refused_and_nothing_is_written(sessions: SessionsRepo) -> None:
    sid = sessions.start(PLAN, None, None)
    with pytest.raises(StoreError, match="unknown event kind 'dance'"):
        sessions.record(sid, "dance", 1.0)
    assert len(sessions.events(sid)) == 1


def test_recorded_events_are_read_back_by_a_new_engine(db_url: str) -> None:
    first = open_store(db_url)
    repo = SessionsRepo(first)
    sid = repo.start(PLAN, None, None)
    written = [repo.record(sid, "more-time", float(i), technique="neck-circles") for i in range(5)]
    # No close(): the writer may die at any moment; a new engine must still see everything.
    with open_store(db_url) as second:
        assert SessionsRepo(second).events(sid)[1:] == written
    first.close()


def test_events_printed_by_a_killed_process_are_all_in_the_database(store: Store) -> None:
    url = store.engine.url.render_as_string(hide_password=False)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url], stdout=subprocess.PIPE, text=True, env=os.environ
    )
    assert child.stdout is not None
    sid = int(child.stdout.readline().split()[1])
    printed = [int(child.stdout.readline()) for _ in range(20)]
    child.send_signal(signal.SIGKILL)
    rest, _ = child.communicate(timeout=30)
    printed += [int(line) for line in rest.split() if line.isdigit()]
    assert child.returncode == -signal.SIGKILL
    stored = {e.seq for e in SessionsRepo(store).events(sid)}
    assert set(printed) <= stored
    assert sorted(stored) == list(range(1, max(stored) + 1))


@pytest.mark.parametrize("status", ["finished", "quit", "interrupted"])
def test_finish_ends_the_session_and_journals_the_ending_once(
    sessions: SessionsRepo, status: str
) -> None:
    sid = sessions.start(PLAN, None, None)
    sessions.record(sid, "segment-finished", 300.0, segment_index=0)
    sessions.record(sid, status, 301.0)
    ended = sessions.finish(sid, status)
    assert ended.status == status and ended.ended_at is not None
    assert [e.kind for e in sessions.events(sid)].count(status) == 1
    assert ended.done_seconds == 301


def test_finish_with_running_is_refused(sessions: SessionsRepo) -> None:
    sid = sessions.start(PLAN, None, None)
    with pytest.raises(StoreError, match="a session ends as one of"):
        sessions.finish(sid, "running")


def test_unknown_session_is_a_store_error(sessions: SessionsRepo) -> None:
    with pytest.raises(StoreError, match="no session number 999"):
        sessions.record(999, "paused", 1.0)
    with pytest.raises(StoreError, match="no session number 999"):
        sessions.get(999)


def test_a_session_whose_owner_went_quiet_becomes_the_one_to_resume(
    sessions: SessionsRepo,
) -> None:
    sid = sessions.start(PLAN, None, None, owner="web:a", now=T0)
    sessions.record(sid, "segment-started", 300.0, segment_index=1, position_s=300.0, now=T0)
    assert sessions.last_interrupted() is None  # still running: nothing to resume yet
    assert sessions.mark_stale(T0 + timedelta(seconds=LIMIT - 1), LIMIT, alive) == []
    assert sessions.mark_stale(T0 + timedelta(seconds=LIMIT + 1), LIMIT, alive) == [sid]
    resumable = sessions.last_interrupted()
    assert resumable is not None
    assert (resumable.id, resumable.position_s, resumable.segment_index) == (sid, 300.0, 1)
    assert resumable.ended_at == T0  # it stopped at its last sign of life
    assert sessions.events(sid)[-1].kind == "interrupted"
    assert sessions.mark_stale(T0 + timedelta(hours=1), LIMIT, alive) == []


def test_a_heartbeat_keeps_a_quiet_session_running(sessions: SessionsRepo) -> None:
    sid = sessions.start(PLAN, None, None, owner="guide:a", now=T0)
    later = T0 + timedelta(seconds=LIMIT - 1)
    assert sessions.heartbeat(sid, now=later) == "running"
    assert sessions.mark_stale(later + timedelta(seconds=LIMIT - 1), LIMIT, alive) == []
    assert sessions.get(sid).status == "running"


def test_a_session_whose_owner_is_known_dead_is_interrupted_at_once(
    sessions: SessionsRepo,
) -> None:
    dead = sessions.start(PLAN, None, None, owner="guide:dead", now=T0)
    live = sessions.start(PLAN, None, None, owner="guide:alive", now=T0)
    assert sessions.mark_stale(T0, LIMIT, lambda owner: owner != "guide:dead") == [dead]
    assert sessions.get(live).status == "running"


def test_resume_sets_the_session_running_again(sessions: SessionsRepo) -> None:
    sid = sessions.start(PLAN, None, None)
    sessions.record(sid, "segment-started", 120.0, segment_index=0)
    sessions.finish(sid, "interrupted")
    resumed = sessions.resume(sid)
    assert (resumed.status, resumed.ended_at, resumed.position_s) == ("running", None, 120.0)
    assert sessions.events(sid)[-1].kind == "resumed"
    assert sessions.last_interrupted() is None
    with pytest.raises(StoreError, match="is running, not interrupted"):
        sessions.resume(sid)


def test_a_newer_session_supersedes_the_interrupted_one(
    sessions: SessionsRepo, run_session: RunSession
) -> None:
    interrupted = run_session(None, None, date(2025, 11, 3), status="interrupted")
    last = sessions.last_interrupted()
    assert last is not None and last.id == interrupted
    run_session(None, None, date(2025, 11, 4))
    assert sessions.last_interrupted() is None


def test_history_lists_newest_first_with_names_minutes_and_rating(
    store: Store, people: PeopleRepo, sessions: SessionsRepo, run_session: RunSession
) -> None:
    older = run_session("Ann", "Bo", date(2025, 11, 3), seconds=1200)
    newer = run_session("Bo", "Ann", date(2025, 11, 4), seconds=450, status="quit")
    FeedbackRepo(store).save(older, overall=5, pressure_verdict="right")
    rows = sessions.history(limit=10)
    assert [r.id for r in rows] == [newer, older]
    summary = [
        (r.giver, r.receiver, r.done_minutes, r.planned_minutes, r.status, r.rating) for r in rows
    ]
    assert summary == [
        ("Bo", "Ann", 7.5, 10.0, "quit", None),
        ("Ann", "Bo", 20.0, 10.0, "finished", 5),
    ]
    assert [r.id for r in sessions.history(limit=1)] == [newer]


def test_feedback_is_saved_replaced_and_journalled(store: Store, sessions: SessionsRepo) -> None:
    sid = sessions.start(PLAN, None, None)
    sessions.record(sid, "finished", 600.0)
    sessions.finish(sid, "finished")
    feedback = FeedbackRepo(store)
    feedback.save(sid, overall=3, pressure_verdict="too-firm")
    saved = feedback.save(sid, overall=4, favourite_technique="neck-circles")
    assert feedback.get(sid) == saved
    assert (saved.overall, saved.pressure_verdict, saved.favourite_technique) == (
        4,
        None,
        "neck-circles",
    )
    assert [e.kind for e in sessions.events(sid)][-2:] == ["feedback", "feedback"]
    assert sessions.get(sid).position_s == 600.0


@pytest.mark.parametrize(
    ("overall", "verdict", "message"),
    [(0, None, "1 to 5"), (6, None, "1 to 5"), (None, "meh", "pressure verdict must be")],
)
def test_bad_feedback_is_refused(
    store: Store, sessions: SessionsRepo, overall: int | None, verdict: str | None, message: str
) -> None:
    sid = sessions.start(PLAN, None, None)
    with pytest.raises(StoreError, match=message):
        FeedbackRepo(store).save(sid, overall=overall, pressure_verdict=verdict)
