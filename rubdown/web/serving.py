"""How `rubdown serve` runs uvicorn: timeouts and limits that drop slow or idle connections."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections import Counter
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

# A client has this long from connecting (or from the first byte of its next request) to send
# the whole request, head and body; uvicorn itself waits for ever, so slow senders held sockets
# open. Bodies are capped at 64 KiB, so the same few seconds are enough for both.
HEADER_TIMEOUT_S = 10.0
HEADER_TIMEOUT_ENV = "RUBDOWN_HEADER_TIMEOUT_S"
# An idle kept-alive connection is closed after this many seconds.
KEEP_ALIVE_S = 5
# Connections and requests at once (past it uvicorn answers 503); under a file-descriptor
# limit of 1024, above the 64 live streams and every page's own requests.
LIMIT_CONCURRENCY = 256
# Connections the kernel queues before uvicorn accepts them.
BACKLOG = 128
# Connections one address may hold open at once: half of LIMIT_CONCURRENCY, so one host on the
# network cannot take every slot and earn everyone else a 503.
PER_PEER = LIMIT_CONCURRENCY // 2


class ServeSettingError(ValueError):
    """A serving setting from the environment that cannot be used."""


def header_timeout() -> float:
    """The header timeout: $RUBDOWN_HEADER_TIMEOUT_S (seconds, > 0) or HEADER_TIMEOUT_S."""
    given = os.environ.get(HEADER_TIMEOUT_ENV)
    if not given:
        return HEADER_TIMEOUT_S
    try:
        seconds = float(given)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds <= 3600:  # NaN fails this too
        raise ServeSettingError(f"{HEADER_TIMEOUT_ENV} is seconds from 0 to 3600, not {given!r}")
    return seconds


_UNFINISHED = (h11.IDLE, h11.SEND_BODY)


class HeaderTimeout(H11Protocol):
    """H11Protocol with a deadline for each request, head and body together (timeout_s)."""

    timeout_s = HEADER_TIMEOUT_S
    _deadline: asyncio.TimerHandle | None = None
    _peer: str | None = None
    # Shared by both of `serve --lan`'s servers, each on its own thread: hence the lock.
    _open: ClassVar[Counter[str]] = Counter()
    _open_lock: ClassVar[threading.Lock] = threading.Lock()

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        if not self._admit(_peer_host(transport)):
            transport.close()
            return
        self._arm()

    def _admit(self, peer: str) -> bool:
        """Count this connection against its address, unless that address already has PER_PEER."""
        with self._open_lock:
            if self._open[peer] >= PER_PEER:
                return False
            self._open[peer] += 1
        self._peer = peer
        return True

    def _release(self) -> None:
        if self._peer is None:
            return
        with self._open_lock:
            self._open[self._peer] -= 1
            if self._open[self._peer] <= 0:
                del self._open[self._peer]
        self._peer = None

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        # IDLE: the request head is still coming (or the next one began); SEND_BODY: its
        # body is. The deadline armed for the head goes on through the body.
        if self.conn.their_state in _UNFINISHED and data:
            self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self._release()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(self.timeout_s, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.conn.their_state in _UNFINISHED and not self.transport.is_closing():
            if self._owes_an_answer():
                self.transport.write(timed_out(self.timeout_s))
            self.transport.close()

    def _owes_an_answer(self) -> bool:
        """Whether part of a request came and nothing of its response has gone out yet."""
        # A socket that never sent a byte (a browser's spare connection) is closed quietly.
        begun = self.conn.their_state is h11.SEND_BODY or bool(self.conn.trailing_data[0])
        return begun and self.conn.our_state in (h11.IDLE, h11.SEND_RESPONSE)


def timed_out(timeout_s: float) -> bytes:
    """The 408 answer to a request whose head or body did not all arrive within timeout_s."""
    error = f"the request did not arrive within {timeout_s:g} s; send it again"
    body = json.dumps({"error": error}).encode()
    head = (
        "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode() + body


def _peer_host(transport: Any) -> str:
    """The address a connection comes from ("" when the transport does not say)."""
    peer = transport.get_extra_info("peername")
    return str(peer[0]) if isinstance(peer, tuple) and peer else ""


def timed_protocol(timeout_s: float) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol, answering 408 and closing when a request (head or body) is late."""
    return type("HeaderTimeout", (HeaderTimeout,), {"timeout_s": timeout_s})


def bound_tls_handshake(seconds: float) -> None:
    """Give every TLS handshake this process accepts from now on at most seconds to finish."""
    from asyncio import constants

    # asyncio calls connection_made (where the header deadline starts) only after the
    # handshake, whose own limit is 60 s, and limit_concurrency does not count sockets
    # mid-handshake; uvicorn has no setting for it, and create_server (given none) reads
    # this constant for each new connection.
    constants.SSL_HANDSHAKE_TIMEOUT = seconds


def uvicorn_options(timeout_s: float | None = None) -> dict[str, Any]:
    """The keyword arguments `rubdown serve` gives every uvicorn server it runs."""
    seconds = header_timeout() if timeout_s is None else timeout_s
    return {
        "http": timed_protocol(seconds),
        "timeout_keep_alive": KEEP_ALIVE_S,
        "limit_concurrency": LIMIT_CONCURRENCY,
        "backlog": BACKLOG,
        "log_level": "warning",
    }
