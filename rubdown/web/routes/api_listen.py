"""API: the player's Listen switch streams microphone audio here; spoken commands steer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from rubdown.voice.prompt import listen_prompt
from rubdown.web.listening import MAX_CHUNK_BYTES, ListenRefused, WebListening
from rubdown.web.schemas import SessionId
from rubdown.web.state import State

router = APIRouter(prefix="/api/sessions", tags=["listening"])
StreamId = Annotated[
    str, Query(pattern=r"^[A-Za-z0-9-]{1,40}$", description="The page's id for this stream.")
]
AStream = Annotated[
    str | None,
    Query(pattern=r"^[A-Za-z0-9-]{1,40}$", description="The stream to stop (default: any)."),
]
Speaking = Annotated[
    str | None,
    Query(max_length=200, description="What rubdown was saying over this chunk, if anything."),
]
Wake = Annotated[
    bool, Query(description='Act only on commands after the wake word ("rubdown, lighter").')
]
REFUSALS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such session."},
    409: {"description": "The session has ended, or a terminal guide plays it."},
    413: {"description": "The chunk is over a second of audio."},
    429: {
        "description": "Audio faster than real time, too many sessions listening, or the "
        "stream restarted too often (Retry-After says when to try again)."
    },
    501: {"description": "The listen extra (PocketSphinx) is not installed here."},
}


async def read_chunk(request: Request) -> bytes:
    """The request's body, refused as soon as it passes one chunk's limit."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_CHUNK_BYTES:
        raise ListenRefused(413, f"A chunk is at most {MAX_CHUNK_BYTES} bytes (1 s of audio).")
    body = bytearray()
    async for part in request.stream():
        body.extend(part)
        if len(body) > MAX_CHUNK_BYTES:
            raise ListenRefused(413, f"A chunk is at most {MAX_CHUNK_BYTES} bytes (1 s of audio).")
    return bytes(body)


def listening(state: State) -> WebListening:
    """The app's listening streams."""
    assert state.listening is not None
    return state.listening


@router.post(
    "/{session_id}/listen", summary="Hear a chunk of the receiver's voice", responses=REFUSALS
)
async def post_listen(
    session_id: SessionId,
    request: Request,
    state: State,
    stream: StreamId,
    speaking: Speaking = None,
    wake: Wake = False,
) -> dict[str, Any]:
    """Decode 16 kHz 16-bit mono PCM (little-endian) in memory; apply each command heard.

    An empty chunk opens the stream (and says whether listening can work here, and what to
    say). Audio is never stored. Each command goes through the session engine as a press
    would, by voice. With wake, only commands after "rubdown" count.
    """
    pcm = await read_chunk(request)
    feed = listening(state).feed
    heard = await run_in_threadpool(feed, session_id, stream, pcm, speaking, wake)
    return {"listening": True, "wake": wake, "prompt": listen_prompt(wake), "heard": heard}


@router.delete("/{session_id}/listen", status_code=204, summary="Stop listening")
def delete_listen(session_id: SessionId, state: State, stream: AStream = None) -> Response:
    """The page turned its Listen switch off: its recogniser is dropped (a newer one is kept)."""
    listening(state).stop(session_id, stream)
    return Response(status_code=204)
