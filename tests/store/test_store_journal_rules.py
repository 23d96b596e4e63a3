"""The journal's rules under concurrent writers, resends, endings and oversized data."""

from __future__ import annotations

import threading

import pytest
from store_helpers import PLAN

from rubdown.store.db import Store, open_store
from rubdown.store.errors import Conflict, NotFound, TooLarge
from rubdown.store.journal import MAX_DATA_BYTES
from rubdown.store.repos import FeedbackRepo, SessionsRepo

WRITERS = 6
EACH = 40


def write_from_threads(db_url: str, sid: int, writer: int, seqs: list[int]) -> None:
    """One writer with its own engine (like a second process) journalling EACH events."""
    with open_store(db_url) as own:
        repo = SessionsRepo(own)
        for n in range(EACH):
            event = repo.record(sid, "paused", float(n), client_id=f"w{writer}-{n}")
            seqs.append(event.seq)


def test_concurrent_writers_get_contiguous_event_numbers(store: Store, db_url: str) -> None:
    sid = SessionsRepo(store).start(PLAN, None, None)
    seqs: list[int] = []
    threads = [
        threading.Thread(target=write_from_threads, args=(db_url, sid, w, seqs))
        for w in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = [e.seq for e in SessionsRepo(store).events(sid)]
    assert stored == list(range(1, WRITERS * EACH + 2))
    assert sorted(seqs) == stored[1:]


def test_threads_sharing_one_store_never_collide(store: Store) -> None:
    repo = SessionsRepo(store)
    sid = repo.start(PLAN, None, None)
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            for n in range(EACH):
                repo.record(sid, "resumed", float(n), client_id=f"t{writer}-{n}")
        except BaseException as exc:  # collected, so the test shows what failed
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [e.seq for e in repo.events(sid)] == list(range(1, WRITERS * EACH + 2))


def test_an_event_resent_with_its_client_id_is_stored_once(sessions: SessionsRepo) -> None:
    sid = sessions.start(PLAN, None, None)
    first = sessions.record(sid, "paused", 12.0, client_id="abc")
    again = sessions.record(sid, "paused", 12.0, client_id="abc")
    assert again.seq == first.seq
    assert [e.kind for e in sessions.events(sid)] == ["session-started", "paused"]


def test_the_same_client_id_in_two_sessions_is_two_events(sessions: SessionsRepo) -> None:
    one, two = sessions.start(PLAN, None, None), sessions.start(PLAN, None, None)
    sessions.record(one, "paused", 1.0, client_id="same")
    sessions.record(two, "paused", 1.0, client_id="same")
    assert len(sessions.events(one)) == len(sessions.events(two)) == 2


@pytest.mark.parametrize(
    ("kinds", "same", "borrowed"),
    [
        (("lighter",), {"by": "receiver"}, False),
        ((), {"by": "receiver", "answer": "lighter"}, False),
        (("lighter", "firmer"), {}, False),
        (("firmer",), {"by": "receiver"}, True),
        (("lighter",), {"by": "giver"}, True),
        ((), {"answer": "firmer"}, True),
        ((), {"note": "a field the event lacks"}, True),
    ],
)
def test_a_key_is_found_for_its_own_request_and_refused_to_another(
    sessions: SessionsRepo, kinds: tuple[str, ...], same: dict[str, str], borrowed: bool
) -> None:
    sid = sessions.start(PLAN, None, None)
    data = {"by": "receiver", "answer": "lighter"}
    first = sessions.record(sid, "lighter", 5.0, data=data, client_id="key-1")
    if borrowed:
        with pytest.raises(Conflict, match="'key-1' was already used for another request"):
            sessions.event_by_client(sid, "key-1", *kinds, same=same)
    else:
        assert sessions.event_by_client(sid, "key-1", *kinds, same=same) == first
    assert sessions.event_by_client(sid, "key-2", "firmer", same={"by": "giver"}) is None
    assert sessions.event_by_client(sid, None, "firmer") is None


@pytest.mark.parametrize("ending", ["finished", "quit"])
def test_no_event_is_added_after_the_end(sessions: SessionsRepo, ending: str) -> None:
    sid = sessions.start(PLAN, None, None)
    sessions.finish(sid, ending, 100.0)
    with pytest.raises(Conflict, match=f"has ended \\({ending}\\)"):
        sessions.record(sid, "segment-started", 101.0)
    assert sessions.events(sid)[-1].kind == ending


def test_an_interrupted_session_takes_events_only_after_resuming(sessions: SessionsRepo) -> None:
    sid = sessions.start(PLAN, None, None)
    sessions.finish(sid, "interrupted", 50.0)
    with pytest.raises(Conflict, match="resume it"):
        sessions.record(sid, "paused", 51.0)
    sessions.resume(sid)
    assert sessions.record(sid, "paused", 51.0).kind == "paused"


def test_feedback_is_journalled_after_the_end(store: Store, sessions: SessionsRepo) -> None:
    sid = sessions.start(PLAN, None, None)
    sessions.finish(sid, "finished", 600.0)
    FeedbackRepo(store).save(sid, overall=5)
    assert sessions.events(sid)[-1].kind == "feedback"


def test_a_session_ends_once(sessions: SessionsRepo) -> None:
    sid = sessions.start(PLAN, None, None)
    sessions.finish(sid, "finished", 600.0)
    assert sessions.finish(sid, "finished", 600.0).status == "finished"  # a resend: no change
    with pytest.raises(Conflict, match="already ended \\(finished\\)"):
        sessions.finish(sid, "quit", 601.0)
    assert sessions.get(sid).status == "finished"
    assert [e.kind for e in sessions.events(sid)].count("finished") == 1


def test_an_interrupted_session_may_still_be_ended_for_good(sessions: SessionsRepo) -> None:
    sid = sessions.start(PLAN, None, None)
    sessions.finish(sid, "interrupted", 50.0)
    assert sessions.finish(sid, "quit").status == "quit"


def test_event_data_over_the_limit_is_refused_and_nothing_is_written(
    sessions: SessionsRepo,
) -> None:
    sid = sessions.start(PLAN, None, None)
    with pytest.raises(TooLarge, match=f"the most an event may carry is {MAX_DATA_BYTES}"):
        sessions.record(sid, "paused", 1.0, data={"note": "x" * MAX_DATA_BYTES})
    assert len(sessions.events(sid)) == 1


def test_a_missing_session_is_not_found(sessions: SessionsRepo) -> None:
    with pytest.raises(NotFound):
        sessions.record(404, "paused", 1.0)
    with pytest.raises(NotFound):
        sessions.finish(404, "quit")
