"""The player's Listen switch in chromium: a fake microphone says "lighter"; the session obeys.
With the wake word on only "rubdown, ..." counts; an insecure page, no microphone, a refused
one and a server without the listen extra each leave the switch off, saying why and how."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ECHO,
    HEARD,
    PHONE,
    current,
    journal_until,
    new_session,
    open_player,
    paused_in_a_step,
    stays_off_saying,
    wait_until,
)
from playwright import sync_api
from web_helpers import QuickEngine, all_no, rubdown_serve

from rubdown.voice.listen import WAKE_WINDOW_S
from rubdown.web import create_app
from rubdown.web.background import serve_in_thread

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "voice"))
from test_listen import recording

pytestmark = pytest.mark.browser
SPEED = 20
# A home-network name mapped to 127.0.0.1 in chromium: plain http to it is not a secure context.
LAN_NAME = "rubdown-laptop.lan"


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    """One Playwright for the module's two browsers."""
    with sync_api.sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def talking(playwright: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Chromium whose microphone says "lighter" over and over (the WAV loops), allowed at once."""
    wav, _ = recording(["lighter"], tmp_path_factory.mktemp("mic"), gap_s=2.0)
    fake = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={wav}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + fake)
    yield chromium
    chromium.close()


def player(server: dict[str, Any], browser: Any, **context: Any) -> tuple[int, Any]:
    """A new session's player on a phone-sized page in this browser."""
    session = new_session(server)
    sid = int(session["id"])
    page = open_player(browser.new_context(viewport=PHONE, **context), server["url"], sid, SPEED)
    # The opening's words play at their own pace whatever the clock's speed, and the server
    # hears nothing in rubdown's own voice: a command can only be heard once they are over.
    page.opening_s = float(
        next(s for s in session["plan"]["segments"] if s["kind"] == "step")["start_s"]
    )
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return sid, page


def test_saying_lighter_with_listen_on_lowers_the_pressure_by_voice(
    server: dict[str, Any], talking: Any
) -> None:
    sid, page = player(server, talking)
    switch = page.locator("#listen-btn")
    assert switch.get_attribute("aria-checked") == "false", "off by default"
    assert page.text_content("#listen-status") == "Listen"
    paused_in_a_step(page)
    before = int(current(page)["pressure"])
    switch.click()
    wait_until(page, "() => document.body.dataset.listening === 'on'")
    assert switch.get_attribute("aria-checked") == "true"
    assert page.text_content("#listen-status") == "Listening"
    dot = "() => getComputedStyle(document.getElementById('listen-btn'), '::before').content"
    assert page.evaluate(dot) == '"● "', "a filled chip with a dot while listening"
    assert switch.get_attribute("data-wake") == "off"
    echo = wait_until(
        page,
        "() => { const t = document.getElementById('listen-echo').textContent;"
        " return t.startsWith('lighter:') && t; }",
        page.opening_s + 30,
    )
    assert f"pressure {before - 1}" in echo.lower(), echo
    events = journal_until(server, sid, lambda es: any(e.kind == "lighter" for e in es))
    lighter = [e for e in events if e.kind == "lighter"]
    assert lighter and all(e.data["by"] == "voice" for e in lighter)
    wait_until(
        page,
        "() => Number(document.querySelector('[data-testid=current-step]').dataset.pressure)"
        f" < {before}",
    )
    assert all(h["echo"].startswith("lighter: ") for h in page.evaluate(HEARD))
    switch.click()
    wait_until(page, "() => document.body.dataset.listening === 'off'")
    assert page.text_content("#listen-status") == "Listen"
    assert page.evaluate(dot) in ("none", "normal")
    assert page.csp_errors == []
    page.context.close()


@pytest.fixture(scope="module")
def deaf(playwright: Any) -> Iterator[Any]:
    """Chromium that grants the microphone, on a machine with none (no fake device)."""
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        f"--host-resolver-rules=MAP {LAN_NAME} 127.0.0.1",
    ]
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    yield chromium
    chromium.close()


def test_with_no_microphone_the_switch_stays_off_and_says_why_and_how(
    server: dict[str, Any], deaf: Any
) -> None:
    _, page = player(server, deaf)
    stays_off_saying(page, "No microphone was found: plug one in")
    page.context.close()


@pytest.fixture(scope="module")
def wakeful(playwright: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Chromium whose microphone says "lighter", then "rubdown, firmer" (looping); each page
    is granted the microphone or not by its context."""
    # Pauses longer than the wake word's window: after a lone "rubdown" (the comma's pause can
    # split it off), the next command within that window would rightly count.
    gap_s = WAKE_WINDOW_S + 1
    wav, _ = recording(["lighter", "rubdown, firmer"], tmp_path_factory.mktemp("mic"), gap_s=gap_s)
    fake = ["--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={wav}"]
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + fake)
    yield chromium
    chromium.close()


def test_with_the_wake_word_on_only_commands_after_rubdown_are_applied(
    server: dict[str, Any], wakeful: Any
) -> None:
    sid, page = player(server, wakeful, permissions=["microphone"])
    paused_in_a_step(page)
    page.click("#settings-btn")
    page.check("#listen-wake")
    page.locator("#settings-form button", has_text="Done").click()
    saved = "() => JSON.parse(localStorage.getItem('rubdown-settings')).wake"
    assert page.evaluate(saved) is True
    page.click("#listen-btn")
    prompt = wait_until(page, f"() => document.body.dataset.listening === 'on' && ({ECHO})()")
    assert prompt.startswith('Listening: say "rubdown", then lighter, firmer'), prompt
    assert page.get_attribute("#listen-btn", "data-wake") == "on"
    # Two "rubdown, firmer"s heard means a whole loop, its bare "lighter" too, was decided.
    heard = wait_until(page, f"() => ({HEARD})().length >= 2 && ({HEARD})()", 90)
    assert {h["command"] for h in heard} == {"firmer"}, heard
    events = journal_until(server, sid, lambda es: any(e.kind == "firmer" for e in es))
    voiced = {e.kind for e in events if (e.data or {}).get("by") == "voice"}
    assert voiced == {"firmer"}, voiced
    assert page.errors == [] and page.csp_errors == []
    page.context.close()


def test_a_refused_microphone_leaves_the_switch_off_saying_where_to_allow_it(
    server: dict[str, Any], wakeful: Any
) -> None:
    _, page = player(server, wakeful)  # no microphone permission in this context
    why = stays_off_saying(page, "The microphone was refused")
    assert "allow it for this page in the browser's site settings" in why
    page.context.close()


@pytest.fixture(scope="module")
def lan_server(cat: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The app on a loopback port answering to LAN_NAME too (as `serve --lan` would, unpaired)."""
    folder = tmp_path_factory.mktemp("lan")
    db = f"sqlite:///{folder / 'web.sqlite3'}"
    app = create_app(
        db, cat, voice_engine=QuickEngine(), cue_dir=folder / "cues", hosts=[LAN_NAME, "127.0.0.1"]
    )
    running = serve_in_thread(app)
    port = running.url.rsplit(":", 1)[1]
    with httpx.Client(base_url=running.url) as api:
        for name in ("Ann", "Ben"):
            api.post("/api/people", json={"name": name})
            api.post(f"/api/people/{name}/screen", json={"answers": all_no()})
        yield {"url": f"http://{LAN_NAME}:{port}", "db": db, "api": api}
    running.stop()


def test_on_a_plain_http_lan_address_the_switch_says_it_needs_a_secure_page(
    lan_server: dict[str, Any], deaf: Any
) -> None:
    _, page = player(lan_server, deaf)
    assert page.evaluate("window.isSecureContext") is False
    why = stays_off_saying(page, "Listening needs a secure page")
    assert "https" in why and "Trust this server" in why and "http://127.0.0.1" in why
    page.context.close()


@pytest.fixture(scope="module")
def unequipped(
    without_listen_extra: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """A real `rubdown serve` on a machine where pocketsphinx cannot be imported."""
    folder = tmp_path_factory.mktemp("no-listen")
    with rubdown_serve(without_listen_extra, folder) as url, httpx.Client(base_url=url) as api:
        yield {"url": url, "api": api}


def test_on_a_server_without_the_listen_extra_the_switch_says_how_to_install_it(
    unequipped: dict[str, Any], deaf: Any
) -> None:
    sid = unequipped["api"].post("/api/sessions", json={"minutes": 5}).json()["id"]
    page = open_player(deaf.new_context(viewport=PHONE), unequipped["url"], sid, SPEED)
    page.errors = []
    why = stays_off_saying(page, "Listening is off:")
    assert "'listen' extra, which is not installed" in why
    assert "pip install '.[listen]' in rubdown's folder" in why
    page.context.close()
