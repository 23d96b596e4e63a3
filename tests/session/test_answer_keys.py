"""A client id names one request: an answer to the check-in, an answer to the pressure check or
a press, never two of them; the same request sent again is told again, not applied twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rubdown.core.models import PlanRequest
from rubdown.core.planner import plan_session
from rubdown.session.engine import RunningSession
from rubdown.session.errors import Conflict, NotACheckIn
from rubdown.store.db import Store, open_store


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh store of each kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'keys.sqlite3'}"
    else:
        url = request.getfixturevalue("fresh_pg")
    with open_store(url) as opened:
        yield opened


@pytest.fixture(scope="module")
def plan(cat):
    """A plan with a pressure check at the start and a check-in later."""
    made = plan_session(cat, PlanRequest(minutes=20, position="lying", calibrate=True, vary=1))
    assert {"calibrate", "check-in"} <= {s.kind for s in made.segments}
    return made


def _at(plan, kind: str) -> float:
    """A clock reading inside the first segment of kind."""
    return next(s for s in plan.segments if s.kind == kind).start_s + 0.5


# (method, word, segment kind it is sent in): answered, refused as not now, and a press.
REQUESTS = {
    "check-in good": ("answer", "good", "check-in"),
    "check-in lighter": ("answer", "lighter", "check-in"),
    "check-in refused": ("answer", "lighter", "step"),
    "pressure right": ("check_pressure", "right", "calibrate"),
    "pressure less": ("check_pressure", "less", "calibrate"),
    "pressure refused": ("check_pressure", "less", "step"),
    "press lighter": ("change", "lighter", "check-in"),
}


def _send(session: RunningSession, plan, request: str, key: str):
    """Send one request of REQUESTS under key: its outcome, or the refusal it raised."""
    method, word, kind = REQUESTS[request]
    try:
        return getattr(session, method)(word, _at(plan, kind), by="receiver", client_id=key)
    except NotACheckIn as refused:
        return refused


@pytest.mark.parametrize(
    ("first", "second"),
    [(a, b) for a in REQUESTS for b in REQUESTS if REQUESTS[a][0] != REQUESTS[b][0]],
)
def test_a_key_used_for_one_kind_of_request_is_a_conflict_for_another(
    store: Store, cat, plan, first: str, second: str
) -> None:
    session = RunningSession.start(store, cat, plan)
    _send(session, plan, first, "key-1")
    before = session.repo.events(session.session_id)
    with pytest.raises(Conflict, match="already used for another request"):
        _send(session, plan, second, "key-1")
    assert session.repo.events(session.session_id) == before


@pytest.mark.parametrize("request_name", REQUESTS)
def test_the_same_request_resent_is_told_again_and_stored_once(
    store: Store, cat, plan, request_name: str
) -> None:
    session = RunningSession.start(store, cat, plan)
    first = _send(session, plan, request_name, "key-2")
    again = _send(session, plan, request_name, "key-2")
    if isinstance(first, NotACheckIn):
        assert type(again) is type(first) and str(again) == str(first)
    else:
        assert again.repeated and again.note == first.note
    stored = [e for e in session.repo.events(session.session_id) if e.client_id == "key-2"]
    assert len(stored) == 1


@pytest.mark.parametrize(
    ("request_name", "kind"),
    [("check-in good", "check-in-answered"), ("pressure right", "pressure-checked")],
)
def test_an_answer_journalled_before_to_was_is_a_resend_not_a_conflict(
    store: Store, cat, plan, request_name: str, kind: str
) -> None:
    session = RunningSession.start(store, cat, plan)
    word = REQUESTS[request_name][1]
    # As journalled before answers named their question: no "to" in the data.
    old = {"by": "receiver", "note": "Noted.", "answer": word}
    session.repo.record(session.session_id, kind, 1.0, 0, data=old, client_id="key-3")
    again = _send(session, plan, request_name, "key-3")
    assert again.repeated and again.note == "Noted."
    stored = [e for e in session.repo.events(session.session_id) if e.client_id == "key-3"]
    assert len(stored) == 1
