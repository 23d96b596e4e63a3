"""Run the web app on a loopback port in a background thread (browser tests, benchmarks)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

START_TIMEOUT_S = 15.0


@dataclass
class BackgroundServer:
    """A uvicorn server running in a thread; stop() shuts it down."""

    url: str
    server: Any
    thread: threading.Thread

    def stop(self) -> None:
        """Ask the server to exit and wait for its thread."""
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serve_in_thread(
    app: Any,
    host: str = "127.0.0.1",
    log_level: str = "warning",
    tls: tuple[str, str] | None = None,
) -> BackgroundServer:
    """Start app on a free port of host and return once it accepts connections.

    tls: (certificate file, key file) to serve HTTPS instead of plain HTTP.
    """
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    # Live streams stay open; a short grace period keeps shutdown quick.
    files: dict[str, Any] = {"ssl_certfile": tls[0], "ssl_keyfile": tls[1]} if tls else {}
    config = uvicorn.Config(
        app, log_level=log_level, timeout_graceful_shutdown=1, lifespan="on", **files
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="rubdown-web"
    )
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the web server did not start")
        time.sleep(0.02)
    scheme = "https" if tls else "http"
    return BackgroundServer(f"{scheme}://{host}:{port}", server, thread)
