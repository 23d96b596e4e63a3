"""Serving on the home network: every address this machine listens on, HTTPS for the app, and
a plain-HTTP port that only shows how to trust rubdown (everything else goes to HTTPS)."""

from __future__ import annotations

import socket
import struct
from typing import Any

SIOCGIFADDR = 0x8915  # Linux: an interface's IPv4 address


def interface_addresses() -> list[str]:
    """The IPv4 addresses of this machine's network interfaces (loopback included)."""
    found: list[str] = ["127.0.0.1"]
    try:
        import fcntl

        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            for _, name in socket.if_nameindex():
                request = struct.pack("256s", name.encode()[:15])
                try:
                    reply = fcntl.ioctl(probe.fileno(), SIOCGIFADDR, request)
                except OSError:
                    continue  # an interface without an IPv4 address
                found.append(socket.inet_ntoa(reply[20:24]))
    except (ImportError, OSError):
        pass  # not Linux: the host name's addresses below
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        found += [str(info[4][0]) for info in infos]
    except OSError:
        pass
    return list(dict.fromkeys(found))


def listen_addresses(bind: str, shown: str) -> list[str]:
    """Every address the server answers on: all interfaces for 0.0.0.0, else the one bound."""
    if bind in ("0.0.0.0", ""):
        return list(dict.fromkeys([shown, *interface_addresses()]))
    return list(dict.fromkeys([bind, shown, "127.0.0.1"]))


def local_names() -> list[str]:
    """This machine's .local name (mDNS) and localhost."""
    host = socket.gethostname().split(".")[0]
    return [f"{host}.local", "localhost"] if host else ["localhost"]


class ToHttps:
    """ASGI wrapper for the plain-HTTP port: /trust and its files pass, the rest moves to HTTPS."""

    def __init__(self, app: Any, https_url: str, public: Any) -> None:
        self.app, self.https_url, self.public = app, https_url.rstrip("/"), public

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self.public.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        target = self.https_url + scope["path"] + (f"?{query}" if query else "")
        headers = [(b"location", target.encode("latin-1")), (b"content-length", b"0")]
        await send({"type": "http.response.start", "status": 307, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


def _trust_server(app: Any, host: str, port: int, https_url: str, options: dict[str, Any]) -> Any:
    """The plain HTTP server for the trust page; everything else it sends on to HTTPS."""
    import uvicorn

    from rubdown.web.security import PUBLIC

    config = uvicorn.Config(
        ToHttps(app, https_url, PUBLIC), host=host, port=port, lifespan="off", **options
    )
    return uvicorn.Server(config)


def run_both(
    app: Any,
    host: str,
    port: int,
    trust_port: int,
    cert: Any,
    https_url: str,
    options: dict[str, Any],
) -> None:
    """Serve the app over HTTPS on port and the trust page over HTTP on trust_port, together
    (options: serving.uvicorn_options, for both)."""
    import threading

    import uvicorn

    from rubdown.web.serving import bound_tls_handshake, header_timeout

    bound_tls_handshake(header_timeout())
    plain = _trust_server(app, host, trust_port, https_url, options)
    # Off the main thread uvicorn leaves Ctrl+C to the HTTPS server, which stops both.
    thread = threading.Thread(target=plain.run, daemon=True, name="rubdown-trust")
    thread.start()
    try:
        uvicorn.run(
            app,
            host=host,
            port=port,
            **options,
            ssl_certfile=str(cert.cert),
            ssl_keyfile=str(cert.key),
        )
    finally:
        plain.should_exit = True
        thread.join(timeout=5)
