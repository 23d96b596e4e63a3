"""API: sessions as they are played: start, journal, steer, follow live, finish, rate."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse

from rubdown.session.checkin import WAIT_LIMIT_S
from rubdown.store.repos import FeedbackRepo, SessionsRepo
from rubdown.web.hub import sse_stream
from rubdown.web.pairing import pairing_link, qr_svg
from rubdown.web.planning import start_session, voice_info
from rubdown.web.routes.api_plan import PLAN_ERRORS
from rubdown.web.schemas import (
    AnswerIn,
    ControlIn,
    EventIn,
    EventOut,
    FeedbackIn,
    FeedbackOut,
    FinishIn,
    HeartbeatIn,
    HeartbeatOut,
    LiveMessageOut,
    PlanIn,
    PlaySessionOut,
    PressureCheckIn,
    ResumeIn,
    SessionId,
    SessionOut,
    StartedOut,
)
from rubdown.web.state import State
from rubdown.web.views import session_json

router = APIRouter(prefix="/api/sessions", tags=["sessions"])
LIMIT = "Close the stream after this many messages."
MISSING: dict[int | str, dict[str, Any]] = {404: {"description": "No such session."}}
ENDED: dict[int | str, dict[str, Any]] = {
    **MISSING,
    409: {"description": "The session has ended, or is interrupted (resume it first)."},
}


@router.post(
    "",
    status_code=201,
    summary="Plan and start a session",
    responses=PLAN_ERRORS,
    response_model=StartedOut,
)
def post_session(body: PlanIn, state: State) -> dict[str, Any]:
    """Open a running session (session-started is journalled) and say where to play it."""
    session_id, _ = start_session(state, body)
    return {
        "id": session_id,
        "player_url": f"/play/{session_id}",
        "remote_url": f"/remote/{session_id}",
        **get_session(session_id, state),
    }


@router.get(
    "/{session_id}",
    summary="A session with its live plan and cues",
    responses=MISSING,
    response_model=PlaySessionOut,
)
def get_session(session_id: SessionId, state: State) -> dict[str, Any]:
    """Everything the player needs to play (or carry on) a session."""
    live = state.live.get(session_id)
    record = SessionsRepo(state.store).get(session_id)
    return {
        **session_json(record),
        **state.live.payload(live),
        "voice": voice_info(state),
        "checkin_wait_s": WAIT_LIMIT_S,
    }


@router.post(
    "/{session_id}/events",
    status_code=201,
    summary="Journal a player event",
    responses={**ENDED, 413: {"description": "The event's data is too large."}},
    response_model=EventOut,
)
def post_event(session_id: SessionId, body: EventIn, state: State) -> dict[str, Any]:
    """Write one event to the journal as it happens, committed before the answer.

    An event resent with the same client_id (after a lost answer) is stored once.
    """
    event = state.live.record(
        session_id,
        body.kind,
        body.clock_s,
        body.segment_index,
        dict(body.data) if body.data else None,
        client_id=body.client_id,
        speed=body.speed,
    )
    return {"seq": event.seq, "kind": event.kind}


@router.post(
    "/{session_id}/heartbeat",
    summary="The player is still playing",
    responses=MISSING,
    response_model=HeartbeatOut,
)
def post_heartbeat(session_id: SessionId, body: HeartbeatIn, state: State) -> dict[str, Any]:
    """Keep the session from going stale, saving the player's position; says its status."""
    status = state.live.heartbeat(session_id, body.clock_s, body.segment_index)
    return {"id": session_id, "status": status}


@router.post(
    "/{session_id}/control",
    summary="Lighter, firmer, more, skip, back or stop",
    responses=ENDED,
    response_model=LiveMessageOut,
)
def post_control(session_id: SessionId, body: ControlIn, state: State) -> dict[str, Any]:
    """Change the live plan through the session engine; every open page hears of it at once.

    A press resent with the same client_id (after a lost answer) is applied and stored once.
    """
    live, outcome = state.live.control(
        session_id, body.action, body.by, body.clock_s, client_id=body.client_id
    )
    return state.live.message(live, outcome)


@router.post(
    "/{session_id}/answer",
    summary="Answer a check-in: good, lighter, firmer or stay",
    responses={**MISSING, 409: {"description": "Not at a check-in, or the session has ended."}},
)
def post_answer(session_id: SessionId, body: AnswerIn, state: State) -> dict[str, Any]:
    """The receiver's answer ends the check-in's wait; lighter, firmer and stay change the plan.

    Every answer is journalled with who gave it ("good" as check-in-answered: no change, go
    on); one resent with the same client_id is applied and stored once.
    """
    live, outcome = state.live.answer(
        session_id, body.answer, body.by, body.clock_s, client_id=body.client_id
    )
    return {**state.live.message(live, outcome), "type": "answer", "answer": body.answer}


@router.post(
    "/{session_id}/check",
    summary="Answer the pressure check: less, more or right",
    responses={**MISSING, 409: {"description": "Not at the pressure check, or it is over."}},
)
def post_check(session_id: SessionId, body: PressureCheckIn, state: State) -> dict[str, Any]:
    """The receiver's answer shifts the pressures from here on (up to three rounds); each is
    journalled as pressure-checked with who gave it, and one resent is applied once."""
    live, outcome = state.live.answer(
        session_id, body.answer, body.by, body.clock_s, client_id=body.client_id, to="check"
    )
    return {**state.live.message(live, outcome), "type": "check", "answer": body.answer}


@router.get(
    "/{session_id}/stream",
    summary="Live messages (server-sent events)",
    response_class=StreamingResponse,
    responses={**MISSING, 429: {"description": "Too many pages follow this session already."}},
)
async def get_stream(
    session_id: SessionId,
    request: Request,
    state: State,
    limit: Annotated[int | None, Query(ge=1, le=1000, description=LIMIT)] = None,
) -> StreamingResponse:
    """The current state first, then each plan change, pause and step as it happens."""
    live = state.live.get(session_id)
    full = state.hub.full(session_id)
    if full is not None:
        raise HTTPException(429, full)
    stream = sse_stream(
        state.hub,
        session_id,
        lambda: state.live.state_message(live),
        limit,
        request.is_disconnected,
    )
    return StreamingResponse(
        stream,
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )


@router.post(
    "/{session_id}/finish",
    summary="End a session as finished or quit",
    responses=ENDED,
    response_model=SessionOut,
)
def post_finish(session_id: SessionId, body: FinishIn, state: State) -> dict[str, Any]:
    """Journal the end and mark the session over; the same ending again changes nothing."""
    record = state.live.finish(session_id, body.status, body.clock_s, body.client_id)
    return session_json(record)


@router.post(
    "/{session_id}/resume",
    summary="Carry on an interrupted session",
    responses=ENDED,
    response_model=SessionOut,
)
def post_resume(
    session_id: SessionId, state: State, body: ResumeIn | None = None
) -> dict[str, Any]:
    """Set an interrupted session running again (journalling resumed), played from here; one
    resent with the same client_id is answered as the first time."""
    return session_json(state.live.resume(session_id, body.client_id if body else None))


@router.post(
    "/{session_id}/feedback",
    summary="The receiver's verdict",
    responses=MISSING,
    response_model=FeedbackOut,
)
def post_feedback(session_id: SessionId, body: FeedbackIn, state: State) -> dict[str, Any]:
    """Store overall rating, pressure verdict and favourite step; the next plan learns from it."""
    saved = FeedbackRepo(state.store).save(
        session_id,
        body.overall,
        body.pressure_verdict,
        body.favourite_technique,
        client_id=body.client_id,
    )
    return {
        "session_id": saved.session_id,
        "overall": saved.overall,
        "pressure_verdict": saved.pressure_verdict,
        "favourite_technique": saved.favourite_technique,
    }


@router.get(
    "/{session_id}/pair.svg", summary="QR code of the receiver's remote link", responses=MISSING
)
def get_pair_qr(session_id: SessionId, request: Request, state: State) -> Response:
    """A QR code the receiver's phone scans to open the remote."""
    SessionsRepo(state.store).get(session_id)
    # The code carries the remote's token: never cached, never kept by the service worker.
    return Response(
        qr_svg(pairing_link(state, request, session_id)),
        media_type="image/svg+xml",
        headers={"cache-control": "no-store"},
    )
