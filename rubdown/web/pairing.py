"""Pairing a second phone: a token per session, its link as a QR code (page or terminal)."""

from __future__ import annotations

import io
import re
import secrets
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import Request

    from rubdown.web.state import WebState


def origin(state: WebState, request: Request) -> str:
    """The address other devices reach this server at."""
    return (state.base_url or str(request.base_url)).rstrip("/")


class Pairings:
    """Remote tokens, each good for one session's remote only, until that session ends."""

    def __init__(self) -> None:
        self._sessions: dict[str, int] = {}
        self._lock = threading.Lock()

    def issue(self, session_id: int) -> str:
        """The session's remote token (the same one while the session lasts)."""
        with self._lock:
            for token, paired in self._sessions.items():
                if paired == session_id:
                    return token
            token = secrets.token_urlsafe(16)
            self._sessions[token] = session_id
            return token

    def session_for(self, token: str | None) -> int | None:
        """The session a remote token steers, or None for an unknown or revoked one."""
        if not token:
            return None
        with self._lock:
            for known, session_id in self._sessions.items():
                if secrets.compare_digest(known.encode(), token.encode()):
                    return session_id
        return None

    def revoke(self, session_id: int) -> None:
        """End every remote pairing of a session (it is over)."""
        with self._lock:
            self._sessions = {t: s for t, s in self._sessions.items() if s != session_id}


def remote_link(state: WebState, request: Request, session_id: int) -> str:
    """The remote's address as a page may show it: never with a token."""
    return f"{origin(state, request)}/remote/{session_id}"


def remote_url(state: WebState, request: Request, session_id: int) -> str:
    """The link that pairs the receiver's phone (in LAN mode with a token for this session,
    after "#": browsers never send it, so no server log or Referer holds it)."""
    if not state.lan_token:
        return remote_link(state, request, session_id)
    return f"{remote_link(state, request, session_id)}#pair={state.pairings.issue(session_id)}"


def pairing_link(state: WebState, request: Request, session_id: int) -> str:
    """What the receiver's phone opens: on the home network the /trust page first, then the
    remote (a phone that already trusts rubdown just taps on)."""
    url = remote_url(state, request, session_id)
    if state.trust is None:
        return url
    from urllib.parse import quote

    path, _, code = url[len(origin(state, request)) :].partition("#")
    return f"{state.trust.http_url}trust?next={quote(path, safe='')}" + (f"#{code}" if code else "")


def qr_svg(text: str) -> str:
    """A QR code as a standalone SVG with a white quiet zone, readable on a dark page."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r' width="[^"]*" height="[^"]*"', "", svg, count=1)
    # Scanners need dark modules on light ground, whatever the page's theme.
    return re.sub(
        r"(<svg[^>]*>)", r'\1<rect width="100%" height="100%" fill="#fff"/>', svg, count=1
    )


def terminal_qr(text: str) -> str:
    """A QR code drawn with block characters, for the terminal."""
    import qrcode

    code = qrcode.QRCode(border=1)
    code.add_data(text)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()
