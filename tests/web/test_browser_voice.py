"""The player fetches cue audio a little ahead of the clock, never the whole session at load."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from browser_helpers import PHONE, open_player, wait_until
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


def test_offline_the_voice_has_what_was_fetched_and_reads_the_rest_aloud(server, browser) -> None:
    # What the settings say of rubdown's voice without the network, checked.
    session = httpx.post(f"{server}/api/sessions", json={"minutes": 30}).json()
    context = browser.new_context(viewport=PHONE)
    page = open_player(context, server, session["id"], speed=SPEED)
    label = page.inner_text("label:has(input[name=voice][value=server])")
    assert "only the cues fetched so far" in label and "this device's voice" in label
    cues = httpx.get(f"{server}/api/sessions/{session['id']}").json()["cues"]
    page.click("#play-btn")
    time.sleep(1.0)
    context.set_offline(True)
    fetched = page.evaluate("window.__rubdown.audio.requests.length")
    # The first cue it could not fetch comes when the plan says: wait that long, and some.
    ahead = max(r["cue_s"] for r in page.evaluate("window.__rubdown.audio.requests"))
    unfetched = min(c["at_s"] for c in cues if c["at_s"] > ahead)
    clock_s = page.evaluate("window.__rubdown.clock.time()")
    waiting = (unfetched - clock_s) / SPEED + 15
    wait_until(page, "() => window.__rubdown.audio.stats.missing > 0", waiting)
    stats = page.evaluate("window.__rubdown.audio.stats")
    assert stats["cue"], "cues fetched while online played as rubdown's voice"
    assert page.evaluate("window.__rubdown.audio.requests.length") >= fetched
    context.set_offline(False)
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
        " tick: a.buses.tick.gain.value, background: a.bgKind, less: a.settings.less }; })()"
    )
    assert levels["voice"] == pytest.approx(0.4) and levels["tick"] == pytest.approx(0.0)
    assert levels["background"] == "drone" and levels["less"]
    # The drone is the server's loop (voice.mix.background_wav), fetched once and looped.
    wait_until(page, "() => window.__rubdown.audio.bgNodes.length === 1", 10)
    assert page.evaluate("window.__rubdown.audio.bgNodes[0].loop")
    saved = page.evaluate("JSON.parse(localStorage.getItem('rubdown-settings'))")
    assert saved["volume"] == 0.4 and saved["background"] == "drone"
    context.close()


# Renders a scene through the page's own AudioOut into an OfflineAudioContext: the background
# from 0 s, the shortest cue at 1 s, then a second of down ticks; returns the RMS of the output
# alone, under the cue, and over the ticks.
SCENE = """async ({ id, settings }) => {
  const { AudioOut } = await import("/static/js/audio.js");
  const session = await (await fetch(`/api/sessions/${id}`)).json();
  const cue = session.cues.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const out = new AudioOut({ voice: "server", ticks: true, ...settings });
  out.setVoice(session.voice);
  const rate = 22050, seconds = 1 + cue.seconds + 2.5;
  out.ctx = new OfflineAudioContext(1, Math.ceil(rate * seconds), rate);
  out.running = () => true;
  await out.loadTicks(session.voice.ticks);
  await out.load(out.url(cue), out.url(cue));
  out.bus("voice");
  while (settings.background !== "off" && !out.bgNodes.length) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const t0 = performance.now();
  out.cue(cue, t0 + 1000);
  const ticksFrom = 1 + cue.seconds + 1;
  for (let t = ticksFrom; t < ticksFrom + 1; t += 0.25) out.tick("down", t0 + t * 1000);
  const data = (await out.ctx.startRendering()).getChannelData(0);
  const rms = (from, to) => {
    let sum = 0, n = 0;
    for (let i = Math.floor(from * rate); i < Math.floor(to * rate); i++) {
      sum += data[i] ** 2;
      n++;
    }
    return Math.sqrt(sum / n);
  };
  return { alone: rms(0.1, 0.6), cue: rms(1.35, 1 + cue.seconds - 0.05),
    ticks: rms(ticksFrom, ticksFrom + 1), duck_to: session.voice.mix.duck_to };
}"""


@pytest.fixture(scope="module")
def scene(server, browser) -> Iterator[Any]:
    session = httpx.post(f"{server}/api/sessions", json={"minutes": 10}).json()
    context = browser.new_context(viewport=PHONE)
    page = open_player(context, server, session["id"], speed=SPEED)

    def render(**settings: Any) -> dict[str, float]:
        wanted = {"volume": 1.0, "balance": 0.5, "background": "noise", **settings}
        return page.evaluate(SCENE, {"id": session["id"], "settings": wanted})

    yield render
    context.close()


def test_master_volume_scales_everything_the_page_plays(scene) -> None:
    loud, soft = scene(volume=1.0), scene(volume=0.5)
    assert loud["alone"] > 0.005 and loud["cue"] > loud["alone"] and loud["ticks"] > loud["alone"]
    for part in ("alone", "cue", "ticks"):
        assert soft[part] == pytest.approx(loud[part] / 2, rel=0.05), part
    assert scene(volume=0.0) == {"alone": 0.0, "cue": 0.0, "ticks": 0.0, "duck_to": loud["duck_to"]}


def test_the_balance_moves_level_between_voice_and_ticks(scene) -> None:
    voice, ticks = scene(balance=1.0, background="off"), scene(balance=0.0, background="off")
    assert voice["cue"] > 0.01 and voice["ticks"] == 0.0  # ticks silent at "voice only"
    assert ticks["ticks"] > 0.01 and ticks["cue"] == 0.0  # the voice silent at "ticks only"
    middle = scene(balance=0.5, background="off")
    # Both full at the middle. The scene is placed from performance.now(), so a cue can start a
    # few milliseconds apart between renders: its window's level then differs by a per cent or so.
    assert middle["cue"] == pytest.approx(voice["cue"], rel=0.05)
    assert middle["ticks"] == pytest.approx(ticks["ticks"], rel=0.05)


def test_the_background_ducks_under_a_cue(scene) -> None:
    # Ticks only: the cue is silent, so what sounds under it is the ducked background alone.
    heard = scene(balance=0.0)
    assert heard["alone"] > 0.005
    ratio = heard["cue"] / heard["alone"]
    # The noise swells slowly over its loop, so the share is near duck_to, not exactly it.
    assert heard["duck_to"] * 0.6 < ratio < heard["duck_to"] * 1.5
    assert scene(balance=0.0, background="off")["alone"] == 0.0
