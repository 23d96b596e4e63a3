"""The app factory: one FastAPI app over the store, the catalogue and the cue cache."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from rubdown.core.catalogue import default_library_dirs, load_catalogue
from rubdown.core.models import Catalogue
from rubdown.store.db import Store, open_store
from rubdown.voice.cache import CueAudioCache
from rubdown.voice.engines import DEFAULT_RATE_WPM, SpeechEngine
from rubdown.web.contract import install_contract
from rubdown.web.cues import CueLibrary
from rubdown.web.errors import install_error_handlers
from rubdown.web.hub import Hub
from rubdown.web.listening import WebListening
from rubdown.web.live import LiveSessions
from rubdown.web.pairing import Pairings
from rubdown.web.security import LOOPBACK_HOSTS, BodyLimit, Guard, SameOrigin
from rubdown.web.state import WebState
from rubdown.web.tls import Trust

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
# Ticks (and cues where no MP3 encoder is installed) are plain WAV, which gzip shrinks;
# MP3 cues are compressed already.
GZIP_SKIPS = (*(t for t in DEFAULT_EXCLUDED_CONTENT_TYPES if t != "audio/*"), "audio/mpeg")
DESCRIPTION = (
    "Plan a partner massage, be guided through it on a phone, steer it from a second phone, "
    "and keep the history. Everything stays on this machine."
)


def asset_version(folder: Path = STATIC) -> str:
    """A short hash of every static file, so browsers and the service worker see new files."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _templates(version: str, cat: Catalogue) -> Jinja2Templates:
    """Jinja templates that link versioned static files and name regions and conditions."""
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.globals["asset"] = lambda path: f"/static/{path}?v={version}"
    names = {c.id: c.name for c in cat.conditions.values()}
    names.update({r.id: r.name for r in cat.regions.values()})
    templates.env.filters["label"] = lambda key: names.get(key, key)
    templates.env.filters["day"] = friendly_day
    templates.env.tests["startingwith"] = lambda text, prefix: str(text).startswith(prefix)
    templates.env.filters["minutes"] = whole_minutes
    return templates


def friendly_day(stamp: str | None) -> str:
    """An ISO date or timestamp as a day people read ("Tue 24 Nov 2026"), in local time."""
    if not stamp:
        return ""
    try:
        when = datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)[:10]
    if when.tzinfo is not None:
        when = when.astimezone()
    return f"{when:%a} {when.day} {when:%b %Y}"


def whole_minutes(value: float | None) -> str:
    """Minutes without a pointless ".0" (5.0 -> "5", 2.5 -> "2.5")."""
    if value is None:
        return "0"
    return f"{round(float(value), 1):g}"


def create_app(
    store_url: str | None = None,
    catalogue: Catalogue | None = None,
    lan_token: str | None = None,
    *,
    base_url: str | None = None,
    voice_engine: SpeechEngine | None = None,
    cue_dir: Path | None = None,
    hosts: Sequence[str] | None = None,
    voice: str = "auto",
    rate_wpm: int = DEFAULT_RATE_WPM,
    trust: Trust | None = None,
) -> FastAPI:
    """Build the web app; lan_token makes every request need pairing; hosts are the Host names
    answered (default: loopback only; see security.served_hosts)."""
    store = open_store(store_url)
    cat = catalogue if catalogue is not None else load_catalogue(default_library_dirs())
    cues = cue_library(voice_engine, cue_dir, voice, rate_wpm)
    state = _web_state(store, cat, cues, lan_token, base_url, trust)
    app = FastAPI(
        title="rubdown",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=_closing(state),
    )
    state.listening = WebListening(state.live)
    # What a session holds on this server goes when it ends, however it ends.
    state.live.on_end(state.pairings.revoke)
    state.live.on_end(state.listening.finished)
    app.state.rubdown = state
    install_error_handlers(app)
    _add_middleware(app, state, hosts)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    _include_routes(app)
    install_contract(app, cat)
    return app


def _web_state(
    store: Store,
    cat: Catalogue,
    cues: CueLibrary,
    lan_token: str | None,
    base_url: str | None,
    trust: Trust | None,
) -> WebState:
    """What the app's routes share: the store, the catalogue, the cues and the live sessions."""
    hub, version = Hub(), asset_version()
    return WebState(
        store=store,
        cat=cat,
        cues=cues,
        hub=hub,
        live=LiveSessions(store, cat, cues, hub),
        templates=_templates(version, cat),
        lan_token=lan_token,
        base_url=base_url,
        asset_version=version,
        pairings=Pairings(),
        trust=trust,
    )


def _add_middleware(app: FastAPI, state: WebState, hosts: Sequence[str] | None) -> None:
    """Compression, same-origin and body-size checks, the LAN guard and the Host check."""
    app.add_middleware(
        GZipMiddleware, minimum_size=1000, compresslevel=6, exclude_content_types=GZIP_SKIPS
    )
    app.add_middleware(SameOrigin)
    app.add_middleware(BodyLimit)
    app.add_middleware(Guard, token=state.lan_token, pairings=state.pairings)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts or LOOPBACK_HOSTS))


def cue_library(
    engine: SpeechEngine | None, cue_dir: Path | None, voice: str, rate_wpm: int
) -> CueLibrary:
    """The server's voices: the one asked for (Piper by default) and espeak-ng beside it."""

    from rubdown.voice.encode import audio_format, can_encode
    from rubdown.voice.prepare import VoiceSettings, open_cache

    if engine is not None:
        fmt = "mp3" if can_encode(audio_format("mp3")) else "wav"
        return CueLibrary(CueAudioCache(cue_dir, engine, rate_wpm=rate_wpm, fmt=fmt))
    cache, note = open_cache(VoiceSettings(voice, rate_wpm), cue_dir)
    others: tuple[CueAudioCache, ...] = ()
    if cache.engine.name == "piper":
        espeak, _ = open_cache(VoiceSettings("espeak", rate_wpm), cue_dir)
        others = (espeak,)
    library = CueLibrary(cache, others)
    library.note = note
    return library


def _closing(state: WebState) -> Any:
    """A lifespan that sweeps stale sessions, then releases the cue worker and the database."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        """Sweep sessions whose page went quiet while serving; tidy up afterwards."""
        state.live.start_sweeping()
        yield
        state.live.stop_sweeping()
        state.cues.close()
        state.store.close()

    return lifespan


def _include_routes(app: FastAPI) -> None:
    """Attach the API and page routers."""
    from rubdown.web.routes import (
        api_listen,
        api_people,
        api_plan,
        api_sessions,
        downloads,
        pages,
        pages_people,
        pwa,
        screen,
        trust,
    )

    modules = (
        api_plan, api_sessions, api_listen, api_people, screen, downloads, pages, pages_people,
        pwa, trust,
    )  # fmt: skip
    for module in modules:
        app.include_router(module.router)
