"""Security for every response: the LAN pairing token, and headers that keep pages local."""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders

COOKIE = "rubdown_token"
COOKIE_MAX_AGE = 30 * 24 * 3600
# Everything comes from this server: no CDN, no inline script, nothing leaves the machine.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self' blob:; connect-src 'self'; font-src 'self'; worker-src 'self'; "
    "manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), screen-wake-lock=(self)",
}
REFUSED = (
    b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pairing needed'
    b"</title></head><body><main><h1>Pairing needed</h1><p>This rubdown runs on the local "
    b"network and only opens for paired devices. Scan the QR code shown where "
    b"<code>rubdown serve --lan</code> runs, or open the link printed there.</p></main>"
    b"</body></html>"
)


def new_token() -> str:
    """A random pairing token, short enough to type if the QR code cannot be scanned."""
    return secrets.token_urlsafe(12)


def _cookie_token(scope: dict[str, Any]) -> str | None:
    """The pairing token from the request's cookie header, if any."""
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            jar.load(value.decode("latin-1"))
            if COOKIE in jar:
                return jar[COOKIE].value
    return None


def _query_token(scope: dict[str, Any]) -> str | None:
    """The pairing token from ?token=, if any."""
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
    return values[0] if values else None


def _matches(given: str | None, token: str) -> bool:
    return given is not None and secrets.compare_digest(given.encode(), token.encode())


class Guard:
    """ASGI middleware: in LAN mode, 401 without the token; security headers on every reply."""

    def __init__(self, app: Any, token: str | None = None) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        remember = False
        if self.token is not None:
            remember = _matches(_query_token(scope), self.token)
            if not remember and not _matches(_cookie_token(scope), self.token):
                await _refuse(send)
                return

        async def send_with_headers(message: dict[str, Any]) -> None:
            """Add the headers (and the pairing cookie) to the response as it starts."""
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if remember and self.token is not None:
                    headers.append(
                        "set-cookie",
                        f"{COOKIE}={self.token}; Path=/; HttpOnly; "
                        f"SameSite=Lax; Max-Age={COOKIE_MAX_AGE}",
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _refuse(send: Any) -> None:
    """Answer 401 with a short page saying how to pair."""
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(REFUSED)).encode()),
        *((k.encode(), v.encode()) for k, v in HEADERS.items()),
    ]
    await send({"type": "http.response.start", "status": 401, "headers": headers})
    await send({"type": "http.response.body", "body": REFUSED})
