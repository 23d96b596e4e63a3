"""Fan-out of live messages to every page watching a session (server-sent events)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

QUEUE_LIMIT = 64
KEEPALIVE_S = 15.0
# A session's pages (player, remote, a reload or two) need a few streams; every watcher costs
# each other one a presence message, so a flood of streams would stall the server for everyone.
MAX_WATCHERS = 16
MAX_STREAMS = 64


def _offer(queue: asyncio.Queue[dict[str, Any]], message: dict[str, Any]) -> None:
    """Queue a message, dropping it for a reader so slow it has 64 unread."""
    with contextlib.suppress(asyncio.QueueFull):
        queue.put_nowait(message)


class Hub:
    """Subscribers per session; publish is safe to call from any thread."""

    def __init__(self) -> None:
        self._subs: dict[int, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Any]]]]
        self._subs = defaultdict(set)
        self._lock = threading.Lock()

    def subscribe(self, session_id: int) -> asyncio.Queue[dict[str, Any]]:
        """A new queue receiving the session's messages; call from the event loop."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_LIMIT)
        with self._lock:
            self._subs[session_id].add((asyncio.get_running_loop(), queue))
        return queue

    def unsubscribe(self, session_id: int, queue: asyncio.Queue[dict[str, Any]]) -> None:
        """Stop delivering to a queue."""
        with self._lock:
            subs = self._subs.get(session_id, set())
            subs.difference_update({s for s in subs if s[1] is queue})
            if not subs:
                self._subs.pop(session_id, None)

    def listeners(self, session_id: int) -> int:
        """How many pages are watching the session."""
        with self._lock:
            return len(self._subs.get(session_id, ()))

    def full(self, session_id: int) -> str | None:
        """Why one more stream would be too many (per session, or on this server), else None."""
        with self._lock:
            watching = len(self._subs.get(session_id, ()))
            total = sum(len(subs) for subs in self._subs.values())
        if watching >= MAX_WATCHERS:
            return f"{MAX_WATCHERS} pages already follow session {session_id}: close one first."
        if total >= MAX_STREAMS:
            return f"{MAX_STREAMS} pages already follow sessions on this server: close one first."
        return None

    def publish(self, session_id: int, message: dict[str, Any]) -> int:
        """Send a message to every subscriber of the session; returns how many."""
        with self._lock:
            subs = list(self._subs.get(session_id, ()))
        sent = 0
        for loop, queue in subs:
            try:
                loop.call_soon_threadsafe(_offer, queue, message)
                sent += 1
            except RuntimeError:  # that loop has shut down: its page is gone
                self.unsubscribe(session_id, queue)
        return sent


def sse_frame(message: dict[str, Any]) -> str:
    """One server-sent event carrying a JSON message."""
    return f"data: {json.dumps(message, separators=(',', ':'))}\n\n"


async def sse_stream(
    hub: Hub,
    session_id: int,
    first: Callable[[], dict[str, Any]],
    limit: int | None,
    is_gone: Callable[[], Awaitable[bool]],
) -> AsyncIterator[str]:
    """Yield the current state, then the session's messages, with keep-alive comments."""
    queue = hub.subscribe(session_id)
    _presence(hub, session_id)
    try:
        # Built after subscribing, so nothing published in between is missed.
        yield sse_frame(first())
        sent = 1
        while limit is None or sent < limit:
            try:
                message = await asyncio.wait_for(queue.get(), KEEPALIVE_S)
            except TimeoutError:
                if await is_gone():
                    break
                yield ": still here\n\n"
                continue
            yield sse_frame(message)
            sent += 1
    finally:
        hub.unsubscribe(session_id, queue)
        _presence(hub, session_id)


def _presence(hub: Hub, session_id: int) -> None:
    """Tell the session's pages how many are watching (so the player sees the remote)."""
    hub.publish(session_id, {"type": "presence", "watchers": hub.listeners(session_id)})
