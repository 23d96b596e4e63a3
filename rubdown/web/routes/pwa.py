"""Installable and offline: the web app manifest and the service worker."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from rubdown.web.app import STATIC
from rubdown.web.state import State

router = APIRouter(include_in_schema=False)
# The service worker pre-caches these, so every page's look and logic works offline.
SHELL_DIRS = ("css", "js")
SHELL_FILES = ("icon.svg",)
EXTRA_SHELL = (
    "/api/ticks/down.wav",
    "/api/ticks/up.wav",
    "/api/background/noise.wav",
    "/api/background/drone.wav",
    "/manifest.webmanifest",
)


def shell_urls(version: str) -> list[str]:
    """Every static asset a page links, with the version query the pages use."""
    names = [
        p.relative_to(STATIC).as_posix()
        for d in SHELL_DIRS
        for p in sorted((STATIC / d).glob("*"))
        if p.is_file()
    ]
    return [f"/static/{n}?v={version}" for n in (*names, *SHELL_FILES)] + list(EXTRA_SHELL)


@cache
def _worker_source() -> str:
    return (STATIC / "sw.js").read_text("utf-8")


@router.get("/sw.js")
def service_worker(state: State) -> Response:
    """The service worker, served from the root so it can look after every page."""
    source = _worker_source().replace('"__VERSION__"', json.dumps(state.asset_version))
    source = source.replace('["__SHELL__"]', json.dumps(shell_urls(state.asset_version)))
    return Response(
        source,
        media_type="text/javascript",
        headers={"cache-control": "no-cache", "service-worker-allowed": "/"},
    )


@router.get("/manifest.webmanifest")
def manifest(state: State) -> JSONResponse:
    """What the phone needs to install rubdown like an app."""
    icon = f"/static/icon.svg?v={state.asset_version}"
    body: dict[str, Any] = {
        "name": "rubdown: partner massage coach",
        "short_name": "rubdown",
        "description": "Plans a massage for your partner and talks you through it.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#0e1116",
        "theme_color": "#0e1116",
        "icons": [{"src": icon, "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }
    return JSONResponse(body, media_type="application/manifest+json")
