"""API: the choices a form offers, planning, cue audio and rhythm ticks."""

from __future__ import annotations

from functools import cache, partial
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Response
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from rubdown.voice.mix import background_wav
from rubdown.voice.ticks import render_tick
from rubdown.web.planning import choices, make_plan, plan_payload
from rubdown.web.schemas import PlanIn, PlanOut
from rubdown.web.state import State, WebState

router = APIRouter(prefix="/api", tags=["planning"])
IMMUTABLE = "public, max-age=31536000, immutable"
PLAN_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Cannot be planned: the error and the valid choices."},
    409: {"description": "Refused for safety: reason and what to do instead."},
    422: {"description": "Malformed input."},
}


@router.get("/catalogue", summary="Regions, positions, conditions and routines to choose from")
def get_catalogue(state: State) -> dict[str, Any]:
    """Everything the plan form offers."""
    return choices(state.cat)


@router.post("/plan", summary="Plan a session", responses=PLAN_ERRORS, response_model=PlanOut)
async def post_plan(body: PlanIn, state: State) -> JSONResponse:
    """A plan that fits the minutes and the receiver, with its spoken cues."""
    work = partial(_planned, state, body)
    # Planning takes a few ms of CPU: on the event loop, requests are served in arrival order,
    # which keeps the slowest answers fast under load. A stored receiver means reading the
    # database, so that case goes to a worker thread.
    payload = await run_in_threadpool(work) if body.receiver else work()
    return JSONResponse(payload)


def _planned(state: WebState, body: PlanIn) -> dict[str, Any]:
    return plan_payload(state, make_plan(state, body))


@router.get(
    "/cues/{voice}/{name}",
    summary="One spoken cue (MP3) in one voice, by the key listed in a plan",
    response_class=FileResponse,
)
def get_cue(voice: str, name: str, state: State) -> FileResponse:
    """The recording of a cue; made on first request, then served from the cache."""
    key, _, _suffix = name.partition(".")
    path = state.cues.path(voice, key)
    if path is None:
        reason = "no speech engine on the server" if not state.cues.available else "unknown cue"
        raise HTTPException(404, f"{reason}: {voice}/{name}")
    media = state.cues.media_type(voice)
    return FileResponse(path, media_type=media, headers={"cache-control": IMMUTABLE})


@router.get("/voice/progress", summary="How many cues of the latest plan are synthesised")
def get_voice_progress(state: State) -> dict[str, Any]:
    """Ready and total cue counts, for the player's "preparing the voice" line."""
    return state.cues.progress()


@cache
def _tick(kind: str) -> bytes:
    return render_tick(kind)  # type: ignore[arg-type]


@router.get("/ticks/{kind}.wav", summary="A rhythm tick: 'down' (firm stroke) or 'up' (light)")
def get_tick(kind: Literal["down", "up"]) -> Response:
    """One tick sound as WAV."""
    return Response(_tick(kind), media_type="audio/wav", headers={"cache-control": IMMUTABLE})


@cache
def _background(kind: str) -> bytes:
    return background_wav(kind)


@router.get(
    "/background/{kind}.wav",
    summary="The soft background loop: 'noise' (like distant surf) or 'drone' (low and slow)",
)
def get_background(kind: Literal["noise", "drone"]) -> Response:
    """One seamless background loop as WAV; the player loops it and ducks it under cues."""
    return Response(_background(kind), media_type="audio/wav", headers={"cache-control": IMMUTABLE})
