"""Security for every request: pairing (owner and per-session remotes), same-origin changes,
and headers that keep pages local."""

from __future__ import annotations

import json
import re
import secrets
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import cookie_parser

from rubdown.web.pairing import Pairings
from rubdown.web.schemas import BODY_TOO_LARGE, MAX_BODY_BYTES

COOKIE = "rubdown_token"
REMOTE_COOKIE = "rubdown_remote"
COOKIE_MAX_AGE = 30 * 24 * 3600
# Where pairing links used to carry a token (query parameters, which servers log and browsers
# keep in history and Referer); a token now rides in the fragment and is posted to PAIR_PATH.
TOKEN_PARAMS = ("token", "pair")
PAIR_PATH = "/pair"
PAIR_HEADER = "x-rubdown-pair"
# The pairing script, open to unpaired devices (the refusal page runs it).
PAIR_SCRIPT = "/trust/pairing.js"
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
    "permissions-policy": "camera=(), microphone=(self), geolocation=(), screen-wake-lock=(self)",
}
PAIRING_NEEDED = (
    "This rubdown runs on the local network and only opens for paired devices. Scan the QR "
    "code shown where <code>rubdown serve --lan</code> runs, or open the link printed there."
)
OLD_LINK = (
    "This link carries its pairing code in the address, where it is logged and remembered, so "
    "rubdown no longer takes it. Open the link or scan the QR code rubdown shows now."
)
BAD_CODE = (
    "This pairing code is not valid (any more): open the link or scan the QR code rubdown "
    "shows now."
)
REMOTE_ONLY = "This phone is paired as the remote of one session: it can only steer that session."
CROSS_SITE = (
    "This change came from another site, so it was refused: rubdown only accepts changes made "
    "on its own pages."
)
# What a remote may reach besides its own session: the page's look, sounds and offline shell.
REMOTE_SHARED = re.compile(
    r"^/(static/.*|sw\.js|manifest\.webmanifest|api/(ticks|background)/\w+\.wav)$"
)
REMOTE_OWN = re.compile(r"^/(remote/(\d+)|api/sessions/(\d+)(/stream|/control|/answer)?)$")
# Open to every device on the network without pairing: how to trust rubdown (its own style).
PUBLIC = re.compile(r"^/trust(/[\w.-]+)?$")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
EVERY_ADDRESS = ("0.0.0.0", "::", "")


def served_hosts(bind: str, public_url: str | None = None, extra: Iterable[str] = ()) -> list[str]:
    """The Host names this server answers to; any other (DNS rebinding) gets 400.

    Loopback names always; on the network also the bind address, the address handed out,
    and this machine's name (plain and `.local`). `extra` adds names (a certificate's, say).
    """
    hosts = list(LOOPBACK_HOSTS)
    if bind not in LOOPBACK_HOSTS:
        name = socket.gethostname()
        hosts += [name, f"{name}.local"] if name else []
        if bind not in EVERY_ADDRESS:
            hosts.append(bind)
    if public_url:
        hosts.append(urlsplit(public_url).hostname or "")
    hosts += extra
    return list(dict.fromkeys(h.lower() for h in hosts if h))


def local_path(value: str | None, fallback: str) -> str:
    """value if it is a path of this server, else fallback: never another site (open redirect)."""
    # Browsers drop tabs and newlines from addresses and read a backslash as a slash, so
    # "/\\evil" or "/\\n/evil" would become "//evil": another host.
    if not value or not value.startswith("/") or value.startswith("//"):
        return fallback
    if "\\" in value or any(ch.isspace() or not ch.isprintable() for ch in value):
        return fallback
    return value


def new_token() -> str:
    """A random pairing token, short enough to type if the QR code cannot be scanned."""
    return secrets.token_urlsafe(12)


def _matches(given: str | None, token: str) -> bool:
    return given is not None and secrets.compare_digest(given.encode(), token.encode())


def remote_allows(path: str, method: str, session_id: int) -> bool:
    """Whether a remote paired with session_id may make this request (its actions only)."""
    if REMOTE_SHARED.match(path):
        return method in ("GET", "HEAD")
    found = REMOTE_OWN.match(path)
    if found is None or int(found.group(2) or found.group(3)) != session_id:
        return False
    if found.group(4) in ("/control", "/answer"):
        return method == "POST"
    return method in ("GET", "HEAD")


class Guard:
    """ASGI middleware: in LAN mode, the owner's token or a session's remote token is needed;
    a page posts the token from its address's fragment and gets an HttpOnly cookie; security
    headers go on every reply."""

    def __init__(self, app: Any, token: str | None = None, pairings: Pairings | None = None):
        self.app, self.token = app, token
        self.pairings = pairings if pairings is not None else Pairings()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        public = PUBLIC.match(scope["path"]) and scope["method"] in ("GET", "HEAD")
        if self.token is None or public:
            await self._pass(scope, receive, send)
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if any(query.get(name) for name in TOKEN_PARAMS):
            await _refuse(scope, send, 400, "Old pairing link", OLD_LINK)
            return
        if scope["path"] == PAIR_PATH and scope["method"] == "POST":
            await self._pair(scope, send, self.token)
            return
        cookies = cookie_parser(Headers(scope=scope).get("cookie", ""))
        if _matches(cookies.get(COOKIE), self.token):
            await self._pass(scope, receive, send)
            return
        remote = self.pairings.session_for(cookies.get(REMOTE_COOKIE))
        if remote is None:
            await _refuse(scope, send, 401, "Pairing needed", PAIRING_NEEDED)
        elif not remote_allows(scope["path"], scope["method"], remote):
            await _refuse(scope, send, 403, "Remote only", REMOTE_ONLY)
        else:
            await self._pass(scope, receive, send)

    async def _pair(self, scope: dict[str, Any], send: Any, token: str) -> None:
        """A page posts the code from its address's fragment: an HttpOnly cookie (LAN mode only)."""
        if _cross_site(scope):
            await _refuse(scope, send, 403, "Refused", CROSS_SITE)
            return
        code = Headers(scope=scope).get(PAIR_HEADER, "")
        if _matches(code, token):
            await _paired(scope, send, COOKIE, code)
        elif self.pairings.session_for(code) is not None:
            await _paired(scope, send, REMOTE_COOKIE, code)
        else:
            await _refuse(scope, send, 401, "Pairing needed", BAD_CODE)

    async def _pass(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Serve the request with the security headers (a session's end revokes its remote:
        LiveSessions.on_end)."""
        await self.app(scope, receive, _with_headers(send))


class SameOrigin:
    """ASGI middleware: a change (POST, PATCH, ...) must come from this server's own pages.

    Browsers say where a request comes from (Sec-Fetch-Site, else Origin); a request without
    either is not from a browser page (curl, scripts, tests) and cannot carry a victim's session.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE and _cross_site(scope):
            await _refuse(scope, send, 403, "Refused", CROSS_SITE)
            return
        await self.app(scope, receive, send)


class BodyTooLarge(HTTPException):
    """A body that went past the limit while being read (the error handlers answer 413)."""

    def __init__(self) -> None:
        super().__init__(413, BODY_TOO_LARGE)


class BodyLimit:
    """ASGI middleware: a body declared over the limit is refused before a byte of it is read;
    one sent in pieces is cut off as it passes the limit."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
            await _refuse(scope, send, 413, "Too large", BODY_TOO_LARGE)
            return
        seen = 0

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > MAX_BODY_BYTES:
                raise BodyTooLarge
            return message

        await self.app(scope, counted, send)


def _cross_site(scope: dict[str, Any]) -> bool:
    """Whether a browser says this request was made by a page of another origin."""
    headers = Headers(scope=scope)
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return False
    scheme = scope.get("scheme", "http")
    return origin.lower() != f"{scheme}://{headers.get('host', '')}".lower()


def _with_headers(send: Any) -> Any:
    """A send that adds the security headers to the response as it starts."""

    async def sender(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in HEADERS.items():
                headers.setdefault(name, value)
        await send(message)

    return sender


async def _paired(scope: dict[str, Any], send: Any, cookie: str, token: str) -> None:
    """204 with the token as an HttpOnly cookie (the page then loads what it was opened for)."""
    # Over HTTPS the cookie is Secure: the plain-HTTP trust port on the same host never sees it.
    secure = "; Secure" if scope.get("scheme") == "https" else ""
    headers = [
        (b"cache-control", b"no-store"),
        (
            b"set-cookie",
            f"{cookie}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={COOKIE_MAX_AGE}"
            f"{secure}".encode(),
        ),
        *((k.encode(), v.encode()) for k, v in HEADERS.items()),
    ]
    await send({"type": "http.response.start", "status": 204, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


async def _refuse(scope: dict[str, Any], send: Any, status: int, title: str, text: str) -> None:
    """Answer with a short page (or JSON for the API) saying why and what to do."""
    if scope["path"].startswith("/api/") or scope["path"] == PAIR_PATH:
        plain = re.sub(r"</?code>", "`", text)
        body, kind = json.dumps({"error": plain}).encode(), b"application/json"
    else:
        body = (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}'
            f'</title><script type="module" src="{PAIR_SCRIPT}"></script></head><body '
            f'data-unpaired><main><h1>{title}</h1><p id="pairing-status" role="status">{text}'
            "</p></main></body></html>"
        ).encode()
        kind = b"text/html; charset=utf-8"
    headers = [
        (b"content-type", kind),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *((k.encode(), v.encode()) for k, v in HEADERS.items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
