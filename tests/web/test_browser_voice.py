"""The player fetches cue audio a little ahead of the clock, never the whole session at load."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from browser_helpers import PHONE, launch, open_player, wait_until
from playwright import sync_api
from web_helpers import QuickEngine

from rubdown.voice.engines import EspeakEngine
from rubdown.web import create_app
from rubdown.web.background import serve_in_thread

pytestmark = pytest.mark.browser
SPEED = 10


@pytest.fixture(scope="module")
def server(cat, tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("voice-web")
    espeak = EspeakEngine()
    engine = espeak if espeak.available() else QuickEngine()
    app = create_app(
        f"sqlite:///{folder / 'web.sqlite3'}", cat, voice_engine=engine, cue_dir=folder / "cues"
    )
    running = serve_in_thread(app)
    yield running.url
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def test_the_player_fetches_cues_ahead_of_the_clock_not_all_at_load(server, browser) -> None:
    session = httpx.post(f"{server}/api/sessions", json={"minutes": 30}).json()
    cues = httpx.get(f"{server}/api/sessions/{session['id']}").json()["cues"]
    distinct = {c["key"] for c in cues}
    context = browser.new_context(viewport=PHONE)
    page = open_player(context, server, session["id"], speed=SPEED)
    at_load = page.evaluate("window.__rubdown.audio.requests.length")
    assert 0 < at_load < len(distinct) / 3, "only the first cues are fetched before Begin"
    page.click("#play-btn")
    counts = []
    for _ in range(5):
        time.sleep(1.5)
        counts.append(page.evaluate("window.__rubdown.audio.requests.length"))
    assert counts[-1] > at_load, "more cues are fetched as the session goes on"
    assert counts == sorted(counts)
    requests = page.evaluate("window.__rubdown.audio.requests")
    clock_s = page.evaluate("window.__rubdown.clock.time()")
    assert all(r["cue_s"] >= r["clock_s"] - 1 for r in requests), "fetched before it is due"
    # Never more than the decode window (20 s of playing time) plus
    # three spare cues ahead of the clock.
    beyond = sorted(c["at_s"] for c in cues if c["at_s"] >= clock_s + 20 * SPEED)
    horizon = beyond[2] if len(beyond) > 2 else float("inf")
    assert max(r["cue_s"] for r in requests) <= horizon
    wait_until(page, "() => !document.getElementById('voice-progress')", 60)
    context.close()


def test_the_mix_settings_reach_the_audio_graph(server, browser) -> None:
    session = httpx.post(f"{server}/api/sessions", json={"minutes": 10}).json()
    context = browser.new_context(viewport=PHONE)
    page = open_player(context, server, session["id"], speed=SPEED)
    page.click("#play-btn")
    page.click("#settings-btn")
    page.eval_on_selector(
        "input[name=volume]",
        "el => { el.value = 0.4; el.dispatchEvent(new Event('input', {bubbles: true})); }",
    )
    page.eval_on_selector(
        "input[name=balance]",
        "el => { el.value = 1; el.dispatchEvent(new Event('input', {bubbles: true})); }",
    )
    page.select_option("select[name=background]", "drone")
    page.check("input[name=less]")
    levels = page.evaluate(
        "(() => { const a = window.__rubdown.audio; return { voice: a.buses.voice.gain.value,"
        " tick: a.buses.tick.gain.value, background: a.bgKind, nodes: a.bgNodes.length,"
        " less: a.settings.less }; })()"
    )
    assert levels["voice"] == pytest.approx(0.4) and levels["tick"] == pytest.approx(0.0)
    assert levels["background"] == "drone" and levels["nodes"] == 3 and levels["less"]
    saved = page.evaluate("JSON.parse(localStorage.getItem('rubdown-settings'))")
    assert saved["volume"] == 0.4 and saved["background"] == "drone"
    context.close()
