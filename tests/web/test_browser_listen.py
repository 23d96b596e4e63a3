"""The player's Listen switch in chromium: a fake microphone says "lighter"; the session obeys."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    current,
    journal_until,
    new_session,
    open_player,
    wait_until,
)
from playwright import sync_api

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "voice"))
from test_listen import recording

pytestmark = pytest.mark.browser
SPEED = 20


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


def player(server: dict[str, Any], browser: Any) -> tuple[int, Any]:
    """A new session's player on a phone-sized page in this browser."""
    sid = int(new_session(server)["id"])
    page = open_player(browser.new_context(viewport=PHONE), server["url"], sid, SPEED)
    return sid, page


def paused_in_a_step(page: Any) -> None:
    """Begin, let the fast clock reach a massage step, and pause there (no cue playing)."""
    page.click("#play-btn")
    wait_until(
        page,
        "() => document.querySelector('[data-testid=current-step]').dataset.kind === 'step'",
        30,
    )
    page.click("#play-btn")
    wait_until(page, "() => !window.__rubdown.clock.running")


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
    echo = wait_until(
        page,
        "() => { const t = document.getElementById('listen-echo').textContent;"
        " return t.startsWith('lighter:') && t; }",
        30,
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
    switch.click()
    wait_until(page, "() => document.body.dataset.listening === 'off'")
    assert page.text_content("#listen-status") == "Listen"
    assert page.csp_errors == []
    page.context.close()


@pytest.fixture(scope="module")
def deaf(playwright: Any) -> Iterator[Any]:
    """Chromium that grants the microphone, on a machine with none (no fake device)."""
    args = [*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream"]
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    yield chromium
    chromium.close()


def test_with_no_microphone_the_switch_stays_off_and_says_why_and_how(
    server: dict[str, Any], deaf: Any
) -> None:
    _, page = player(server, deaf)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.click("#listen-btn")
    why = wait_until(page, "() => document.getElementById('listen-echo').textContent", 15)
    assert "No microphone was found: plug one in" in why, why
    assert page.get_attribute("#listen-btn", "aria-checked") == "false"
    assert page.text_content("#listen-status") == "Listen"
    assert errors == [] and page.csp_errors == []
    page.context.close()
