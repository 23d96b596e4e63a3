"""The pressure check in chromium: the player's and the remote's less, more and right buttons."""

from __future__ import annotations

import os
from typing import Any

import pytest
from browser_helpers import CHROMIUM, PHONE, journal_until, open_player, wait_until

pytestmark = pytest.mark.browser
if not os.path.exists(CHROMIUM):
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api")

FIRST_WORK = (
    "() => window.__rubdown.state.plan.segments"
    ".find((s) => s.kind === 'step' && s.role === 'work').pressure"
)
CHECK_SHOWN = "() => !document.getElementById('pressure-check').hidden"


def checked_session(server: dict[str, Any]) -> dict[str, Any]:
    """A session planned with the pressure check, its player's position at the check."""
    body = {"minutes": 10, "giver": "Ann", "receiver": "Ben", "calibrate": True}
    reply = server["api"].post("/api/sessions", json=body)
    assert reply.status_code == 201, reply.text
    session: dict[str, Any] = reply.json()
    index, seg = next(
        (i, s) for i, s in enumerate(session["plan"]["segments"]) if s["kind"] == "calibrate"
    )
    beat = {"clock_s": seg["start_s"] + 0.5, "segment_index": index}
    assert server["api"].post(f"/api/sessions/{session['id']}/heartbeat", json=beat).is_success
    return session


def pressure_is(page: Any, value: int) -> None:
    wait_until(page, f"() => ({FIRST_WORK[6:]}) === {value}", 5)


def test_the_check_is_answered_from_the_player_and_the_remote(server, browser) -> None:
    session = checked_session(server)
    giver = browser.new_context(viewport=PHONE)
    player = open_player(giver, server["url"], session["id"], speed=1)
    assert player.evaluate(CHECK_SHOWN) is False  # not before the session begins
    player.click("#play-btn")
    wait_until(player, CHECK_SHOWN, 5)
    assert player.evaluate("document.querySelector('main.player').dataset.screen") == (
        "pressure-check"
    )
    assert player.evaluate("document.querySelector('.zones').hidden") is True
    before = player.evaluate(FIRST_WORK)
    player.click("#pressure-check button[data-check=more]")
    pressure_is(player, before + 1)
    wait_until(player, "() => document.getElementById('say').textContent.startsWith('Firmer')", 5)

    receiver = browser.new_context(viewport=PHONE)
    remote = receiver.new_page()
    remote.goto(f"{server['url']}/remote/{session['id']}")
    wait_until(remote, "() => document.querySelector('main.remote').dataset.mode === 'check'", 5)
    remote.click("#check-pads button[data-check=less]")
    pressure_is(player, before)
    remote.click("#check-pads button[data-check=right]")
    wait_until(player, "() => document.getElementById('pressure-check').hidden", 5)
    assert player.evaluate("document.querySelector('.zones').hidden") is False
    wait_until(remote, "() => document.querySelector('main.remote').dataset.mode === 'steer'", 5)
    assert player.csp_errors == []
    giver.close()
    receiver.close()
    events = journal_until(
        server,
        session["id"],
        lambda found: sum(e.kind == "pressure-checked" for e in found) == 3,
    )
    checks = [e for e in events if e.kind == "pressure-checked"]
    assert [(e.data["answer"], e.data["by"]) for e in checks] == [
        ("more", "giver"),
        ("less", "receiver"),
        ("right", "receiver"),
    ]
