"""Pairing a second phone: the remote's link, as a QR code in the page or in the terminal."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import Request

    from rubdown.web.state import WebState


def origin(state: WebState, request: Request) -> str:
    """The address other devices reach this server at."""
    return (state.base_url or str(request.base_url)).rstrip("/")


def remote_url(state: WebState, request: Request, session_id: int) -> str:
    """The link that opens the receiver's remote, with the pairing token in LAN mode."""
    token = f"?token={state.lan_token}" if state.lan_token else ""
    return f"{origin(state, request)}/remote/{session_id}{token}"


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
