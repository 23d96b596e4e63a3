"""The session engine: changes keep the end, the journal rebuilds the plan, errors are types."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rubdown.core.calibrate import NotAtThePressureCheck
from rubdown.core.models import PlanRequest
from rubdown.core.planner import plan_session
from rubdown.core.words import CHANGES
from rubdown.session.changes import CHANGE_EVENTS, CLOSING_REST, plan_change
from rubdown.session.checkin import ANSWERED
from rubdown.session.engine import RunningSession
from rubdown.session.errors import Conflict, NotACheckIn, NotFound
from rubdown.session.force import plan_in_force
from rubdown.store.db import Store, open_store
from rubdown.store.errors import StoreError
from rubdown.store.repos import PeopleRepo


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    with open_store(f"sqlite:///{tmp_path_factory.mktemp('engine') / 's.db'}") as opened:
        yield opened


@pytest.fixture(scope="module")
def plan(cat):
    return plan_session(cat, PlanRequest(minutes=10, position="seated", vary=3))


CHANGE_LISTS = st.lists(
    st.tuples(st.sampled_from(CHANGES), st.floats(0.0, 1.0), st.sampled_from(["giver", "voice"])),
    max_size=8,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=CHANGE_LISTS)
def test_any_changes_keep_the_end_and_the_journal_rebuilds_the_plan(
    store: Store, cat, plan, changes
) -> None:
    session = RunningSession.start(store, cat, plan)
    for change, when, by in changes:
        outcome = session.change(change, when * plan.total_seconds, by=by)
        assert outcome.plan.total_seconds == pytest.approx(plan.total_seconds, abs=0.05)
        if outcome.event is not None:
            assert outcome.event.kind == CHANGE_EVENTS[change]
            assert outcome.event.data["by"] == by
    events = session.repo.events(session.session_id)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    rebuilt, version = plan_in_force(session.repo.get(session.session_id), events)
    assert (rebuilt, version) == (session.plan, session.version)
    reloaded = RunningSession.load(store, cat, session.session_id)
    assert reloaded.plan == session.plan


def test_the_closing_rest_cannot_be_skipped_or_stretched(cat, plan) -> None:
    last = len(plan.segments) - 1
    for change in ("skip", "next", "more", "back"):
        assert plan_change(plan, cat, change, last, plan.total_seconds - 1) == (plan, CLOSING_REST)


def test_someone_else_asking_is_said_as_their_wish(store: Store, cat, plan) -> None:
    session = RunningSession.start(store, cat, plan)
    step = next(s for s in plan.segments if s.kind == "step")
    outcome = session.change("firmer", step.start_s + 1, by="receiver")
    assert outcome.say.startswith("Your partner would like a bit more pressure.")
    own = session.change("lighter", step.start_s + 1)
    assert own.say == own.note


def test_a_listener_hears_each_change_from_another_thread(store: Store, cat, plan) -> None:
    session = RunningSession.start(store, cat, plan)
    heard = []
    session.subscribe(heard.append)
    step = next(s for s in plan.segments if s.kind == "step")
    voice = threading.Thread(target=session.change, args=("lighter", step.start_s + 1))
    voice.start()
    voice.join()
    assert [o.change for o in heard] == ["lighter"]


def test_an_ended_session_cannot_change(store: Store, cat, plan) -> None:
    session = RunningSession.start(store, cat, plan)
    session.finish("quit", 10.0)
    with pytest.raises(Conflict) as refused:
        session.change("lighter", 11.0)
    assert refused.value.status == "quit"


def test_a_missing_session_is_not_found(store: Store, cat) -> None:
    with pytest.raises(NotFound):
        RunningSession.load(store, cat, 987654)


@pytest.mark.parametrize(
    ("people", "words"),
    [
        (("Ann", "ann "), "two different people"),
        (("Zed", None), "no one named 'Zed'"),
        ((None, "Zed"), "no one named 'Zed'"),
    ],
)
def test_people_are_checked_before_a_session_starts(
    tmp_path: Path, cat, plan, people, words
) -> None:
    with open_store(f"sqlite:///{tmp_path / 'p.db'}") as fresh:
        PeopleRepo(fresh).add("Ann")
        with pytest.raises(StoreError, match=words):
            RunningSession.start(fresh, cat, plan, people)
        started = RunningSession.start(fresh, cat, plan)  # anonymous is fine
        assert [r.id for r in started.repo.history()] == [started.session_id]


@pytest.fixture(scope="module")
def with_check_in(cat):
    plan = plan_session(cat, PlanRequest(minutes=20, position="lying", vary=1))
    segs = plan.segments
    # A check-in before a step with room to go firmer (a spine glide is already at its most).
    index = next(
        i
        for i, s in enumerate(segs)
        if s.kind == "check-in"
        and (step := next(t for t in segs[i:] if t.kind == "step")).pressure < step.max_pressure
    )
    return plan, index


@pytest.mark.parametrize(
    ("answer", "by", "kind"),
    [
        ("good", "receiver", ANSWERED),
        ("good", "voice", ANSWERED),
        ("good", "giver", ANSWERED),
        ("lighter", "receiver", "lighter"),
        ("firmer", "voice", "firmer"),
        ("stay", "receiver", "more-time"),
    ],
)
def test_every_check_in_answer_is_journalled_with_who_gave_it(
    store: Store, cat, with_check_in, answer: str, by: str, kind: str
) -> None:
    plan, index = with_check_in
    session = RunningSession.start(store, cat, plan)
    outcome = session.answer(answer, plan.segments[index].start_s + 0.5, by=by)
    assert outcome.event is not None and outcome.event.kind == kind
    assert outcome.event.data["by"] == by and outcome.event.data["answer"] == answer
    # "That's good" is no change: the plan and its version stay, the session goes on.
    assert (outcome.changed, session.version) == ((False, 0) if answer == "good" else (True, 1))
    assert "carry on" in outcome.note.lower() or answer != "good"


def test_a_check_in_answer_resent_is_applied_once(store: Store, cat, with_check_in) -> None:
    plan, index = with_check_in
    session = RunningSession.start(store, cat, plan)
    at = plan.segments[index].start_s + 0.5
    first = session.answer("lighter", at, client_id="answer-1")
    again = session.answer("lighter", at, client_id="answer-1")
    assert again.repeated and not first.repeated and again.note == first.note
    assert session.version == 1
    answered = [e for e in session.repo.events(session.session_id) if e.client_id == "answer-1"]
    assert len(answered) == 1


def test_an_answer_outside_a_check_in_is_refused_by_type(store: Store, cat, plan) -> None:
    session = RunningSession.start(store, cat, plan)
    step = next(s for s in plan.segments if s.kind == "step")
    with pytest.raises(NotACheckIn):
        session.answer("good", step.start_s + 0.5)


@pytest.mark.parametrize(
    ("method", "answer", "refusal"),
    [("answer", "lighter", NotACheckIn), ("check_pressure", "more", NotAtThePressureCheck)],
)
def test_a_refused_answer_resent_is_refused_again_by_its_type_and_word(
    store: Store, cat, method: str, answer: str, refusal: type[NotACheckIn]
) -> None:
    plan = plan_session(cat, PlanRequest(minutes=20, position="lying", calibrate=True))
    session = RunningSession.start(store, cat, plan)
    step = next(s for s in plan.segments if s.kind == "step")
    send = getattr(session, method)
    for _ in range(2):  # the second time is a resend after a lost reply
        with pytest.raises(NotACheckIn) as refused:
            send(answer, step.start_s + 0.5, client_id="refused-1")
        assert type(refused.value) is refusal
    stored = [e for e in session.repo.events(session.session_id) if e.client_id == "refused-1"]
    assert [(e.kind, e.data["refused"]) for e in stored] == [(ANSWERED, refusal.word)]
