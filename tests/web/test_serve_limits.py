"""`rubdown serve` drops slow and silent connections, so they cannot crowd out a plain request.

The server runs with few file descriptors (as a busy machine might) and a half-second header
timeout (`RUBDOWN_HEADER_TIMEOUT_S`), then a crowd of slow senders opens more sockets than it
can hold, each trickling its request head a byte at a time.
"""

from __future__ import annotations

import os
import resource
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
import pytest
from web_helpers import rubdown_serve

from rubdown.web import serving

SLOW_SENDERS = 200
FILES = 128  # the server's descriptor limit: fewer than the slow senders


def few_files() -> None:
    """In the server's process: a descriptor limit below the crowd of slow senders."""
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILES, FILES))


@contextmanager
def slowloris(port: int) -> Iterator[list[socket.socket]]:
    """SLOW_SENDERS sockets each sending a request head a byte every 50 ms, never finishing."""
    crowd: list[socket.socket] = []
    for _ in range(SLOW_SENDERS):
        with_timeout = socket.create_connection(("127.0.0.1", port), timeout=5)
        with_timeout.sendall(b"GET /api/catalogue HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        crowd.append(with_timeout)
    done = threading.Event()

    def trickle() -> None:
        while not done.wait(0.05):
            for sock in crowd:
                with suppress(OSError):  # the server dropped it: what should happen
                    sock.send(b"X")

    sender = threading.Thread(target=trickle, daemon=True)
    sender.start()
    try:
        yield crowd
    finally:
        done.set()
        sender.join(timeout=5)
        for sock in crowd:
            sock.close()


def last_words(sock: socket.socket, within: float = 10) -> bytes | None:
    """What the server sent before closing this socket within seconds (None: still open)."""
    sock.settimeout(within)
    said = b""
    try:
        while chunk := sock.recv(4096):
            said += chunk
    except ConnectionResetError:
        pass
    except TimeoutError:
        return None
    return said


def dropped(sock: socket.socket, within: float = 10) -> bool:
    """Whether the server closed this socket within seconds (end of file, or a reset)."""
    return last_words(sock, within) is not None


def timed_out(said: bytes | None) -> bool:
    """Whether the server's last words were a 408 saying the request came too slowly."""
    head, _, body = (said or b"").partition(b"\r\n\r\n")
    return head.startswith(b"HTTP/1.1 408 ") and b"did not arrive within 0.5 s" in body


def test_slow_senders_do_not_keep_a_plain_get_from_answering(tmp_path: Path) -> None:
    env = {**os.environ, serving.HEADER_TIMEOUT_ENV: "0.5"}
    with rubdown_serve(env, tmp_path, preexec=few_files) as url:
        port = int(url.rsplit(":", 1)[1])
        with slowloris(port) as crowd:
            try:
                reply = httpx.get(f"{url}/api/catalogue", timeout=20)
            except httpx.TimeoutException as err:
                pytest.fail(f"a plain GET did not answer behind {SLOW_SENDERS} slow senders: {err}")
            assert reply.status_code == 200
            # Still sending when closed, they may get a reset before the 408: only closed.
            assert dropped(crowd[0]) and dropped(crowd[-1])


def test_a_connection_that_never_speaks_is_closed(tmp_path: Path) -> None:
    env = {**os.environ, serving.HEADER_TIMEOUT_ENV: "0.5"}
    with rubdown_serve(env, tmp_path) as url:
        silent = socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])))
        with silent:
            assert last_words(silent) == b""  # no request, so nothing to answer
        assert httpx.get(f"{url}/api/catalogue", timeout=10).status_code == 200


@pytest.mark.parametrize("given", ["0", "-1", "soon", "nan", "1e9"])
def test_a_bad_header_timeout_is_refused_saying_why(
    given: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(serving.HEADER_TIMEOUT_ENV, given)
    with pytest.raises(serving.ServeSettingError, match="seconds from 0 to 3600"):
        serving.header_timeout()


def test_every_server_gets_the_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(serving.HEADER_TIMEOUT_ENV, raising=False)
    options = serving.uvicorn_options()
    assert options["limit_concurrency"] == serving.LIMIT_CONCURRENCY
    assert (options["timeout_keep_alive"], options["backlog"]) == (5, 128)
    assert serving.header_timeout() == serving.HEADER_TIMEOUT_S


def test_a_silent_socket_on_the_https_port_is_closed_mid_handshake(tmp_path: Path) -> None:
    env = {**os.environ, serving.HEADER_TIMEOUT_ENV: "0.5"}
    with rubdown_serve(env, tmp_path, lan=True) as url:
        silent = socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])))
        with silent:
            assert dropped(silent, within=5)


def test_a_request_body_that_stalls_is_answered_408_then_closed(tmp_path: Path) -> None:
    env = {**os.environ, serving.HEADER_TIMEOUT_ENV: "0.5"}
    with rubdown_serve(env, tmp_path) as url:
        slow = socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])))
        with slow:
            head = b"POST /api/plan HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            slow.sendall(head + b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{}")
            assert timed_out(last_words(slow, within=5))
        assert httpx.get(f"{url}/api/catalogue", timeout=10).status_code == 200


def test_a_request_head_that_stalls_is_answered_408_then_closed(tmp_path: Path) -> None:
    env = {**os.environ, serving.HEADER_TIMEOUT_ENV: "0.5"}
    with rubdown_serve(env, tmp_path) as url:
        slow = socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])))
        with slow:
            slow.sendall(b"GET /api/catalogue HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            said = last_words(slow, within=5)
            assert timed_out(said), said
        assert httpx.get(f"{url}/api/catalogue", timeout=10).status_code == 200


def from_other_host(port: int) -> socket.socket:
    """A connection to the server from 127.0.0.2: to it, another address on the network."""
    return socket.create_connection(("127.0.0.1", port), timeout=5, source_address=("127.0.0.2", 0))


def test_one_address_cannot_take_every_connection_slot(tmp_path: Path) -> None:
    env = {**os.environ, serving.HEADER_TIMEOUT_ENV: "30"}  # longer than the test: no timeouts
    with rubdown_serve(env, tmp_path) as url:
        port = int(url.rsplit(":", 1)[1])
        crowd = [from_other_host(port) for _ in range(serving.PER_PEER)]
        try:
            one_more = from_other_host(port)
            with one_more:
                assert dropped(one_more, within=5)
            assert not dropped(crowd[-1], within=0.2)
            assert httpx.get(f"{url}/api/catalogue", timeout=10).status_code == 200
        finally:
            for sock in crowd:
                sock.close()
        again = httpx.HTTPTransport(local_address="127.0.0.2", retries=3)
        with httpx.Client(transport=again, timeout=10) as client:
            assert client.get(f"{url}/api/catalogue").status_code == 200
