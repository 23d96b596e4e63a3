"""The web app in a real browser (Debian's chromium): play, steer remotely, go offline, axe."""

from __future__ import annotations

import os
import shutil
import time
from typing import Any

import pytest
from browser_helpers import (
    AXE,
    CHROMIUM,
    PHONE,
    WATCH_STEPS,
    axe_problems,
    current,
    first_step_s,
    journal_until,
    new_session,
    open_player,
    wait_offline_ready,
    wait_until,
)
from web_helpers import step_sequence

pytestmark = pytest.mark.browser
if not os.path.exists(CHROMIUM):
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api")


def test_player_moves_through_the_plan(server, browser) -> None:
    session = new_session(server)
    context = browser.new_context(viewport=PHONE)
    page = open_player(context, server["url"], session["id"], speed=30)
    page.evaluate(WATCH_STEPS)
    page.click("#play-btn")
    wait_until(page, "() => document.getElementById('end-dialog').open", 40)
    seen = page.evaluate("window.__seen")
    shown: list[tuple[str, str]] = []
    for kind, region, technique in seen:
        if kind == "step" and (not shown or shown[-1] != (region, technique)):
            shown.append((region, technique))
    assert shown == step_sequence(session["plan"])
    assert page.csp_errors == []
    context.close()
    events = journal_until(server, session["id"], lambda found: found[-1].kind == "finished")
    started = [e.segment_index for e in events if e.kind == "segment-started"]
    assert started == list(range(len(session["plan"]["segments"])))
    assert events[-1].kind == "finished"


def test_space_pauses_and_resumes(server, browser) -> None:
    context = browser.new_context(viewport=PHONE)
    page = open_player(context, server["url"], new_session(server)["id"], speed=10)
    page.click("#play-btn")
    # Starting is asynchronous (audio is unlocked first): wait until it is really playing.
    wait_until(page, "() => document.querySelector('#play-btn').innerText === 'Pause'")
    page.keyboard.press("Space")
    wait_until(page, "() => document.querySelector('#play-btn').innerText === 'Resume'")
    frozen = page.inner_text("#countdown")
    time.sleep(0.4)
    assert page.inner_text("#countdown") == frozen
    page.keyboard.press("Space")
    wait_until(page, "() => document.querySelector('#play-btn').innerText === 'Pause'")
    context.close()


def test_lighter_from_the_remote_reaches_the_player(server, browser) -> None:
    session = new_session(server)
    giver = browser.new_context(viewport=PHONE)
    player = open_player(giver, server["url"], session["id"], speed=4)
    player.click("#play-btn")
    wait_until(
        player,
        "() => document.querySelector('[data-testid=current-step]').dataset.kind === 'step'",
        first_step_s(session, 4),
    )
    before = int(current(player)["pressure"])
    receiver = browser.new_context(viewport=PHONE)
    remote = receiver.new_page()
    remote.goto(f"{server['url']}/remote/{session['id']}")
    wait_until(
        remote,
        "() => document.querySelector('main.remote').dataset.mode === 'steer' && "
        "document.getElementById('remote-detail').textContent.includes('pressure')",
    )
    pressed = time.monotonic()
    remote.click("button[data-action=lighter]")
    wait_until(
        player,
        "() => document.querySelector('[data-testid=current-step]')"
        f".dataset.pressure === '{before - 1}'",
        5,
    )
    print(f"remote press reached the player in {1000 * (time.monotonic() - pressed):.0f} ms")
    assert "softer" in player.inner_text("#say")
    wait_until(
        remote,
        "() => document.getElementById('remote-sent').textContent.startsWith('Sent: lighter')",
        5,
    )
    events = journal_until(
        server, session["id"], lambda found: any(e.kind == "lighter" for e in found)
    )
    lighter = [e for e in events if e.kind == "lighter"]
    assert lighter and lighter[-1].data["by"] == "receiver"
    remote.click("button[data-action=stop]")
    wait_until(player, "() => document.getElementById('play-btn').textContent === 'Resume'", 5)
    assert "stop" in player.inner_text("#alert")
    giver.close()
    receiver.close()


def test_a_loaded_session_plays_offline(server, browser) -> None:
    session = new_session(server)
    context = browser.new_context(viewport=PHONE)
    page = open_player(context, server["url"], session["id"], speed=20)
    wait_offline_ready(page)
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    page.evaluate(WATCH_STEPS)
    page.click("#play-btn")
    wait_until(page, "() => window.__seen.some(([kind]) => kind === 'step')", 15)
    cached_cues = page.evaluate("window.__rubdown.audio.buffers.size")
    assert cached_cues > 2, "cue audio and ticks came from the cache"
    context.set_offline(False)
    # What was journalled while offline reaches the server once it is back.
    events = journal_until(
        server, session["id"], lambda found: any(e.kind == "segment-started" for e in found), 15
    )
    assert any(e.kind == "segment-started" for e in events)
    context.close()


def axe_pages(server: dict[str, Any]) -> list[str]:
    sid = new_session(server)["id"]
    return [
        "/",
        "/plan",
        "/plan?minutes=10&receiver=Ben",
        "/plan?minutes=10&conditions=fever",
        f"/play/{sid}",
        f"/remote/{sid}",
        "/history",
        "/people",
        "/trust",
    ]


@pytest.mark.skipif(
    not AXE.exists(),
    reason=f"axe-core is not installed at {AXE} "
    "(scripts/setup.sh: npm install --prefix .cache/axe axe-core@4)",
)
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_axe_finds_no_violations(server, browser, theme: str) -> None:
    # bypass_csp lets axe's script in; the app itself allows no inline script.
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.goto(server["url"] + "/")
    light = "true" if theme == "light" else "false"
    page.evaluate(f"localStorage.setItem('rubdown-settings', '{{\"light\": {light}}}')")
    assert axe_problems(page, server["url"], axe_pages(server)) == {}
    context.close()


def test_no_request_leaves_the_server(server, browser) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server["url"]) else outside.append(r.url))
    for path in ("/", "/plan?minutes=10", f"/play/{new_session(server)['id']}", "/history"):
        page.goto(server["url"] + path)
        page.wait_for_load_state("networkidle")
    assert outside == []
    context.close()


def test_chromium_is_debians() -> None:
    assert shutil.which("chromium") == CHROMIUM or os.path.exists(CHROMIUM)


def test_skip_on_the_player_moves_on(server, browser) -> None:
    session = new_session(server)
    context = browser.new_context(viewport=PHONE)
    page = open_player(context, server["url"], session["id"], speed=2)
    page.click("#play-btn")
    # The opening (oil, breathing, the pressure scale) lasts about 25 s: 13 s at this speed.
    wait_until(
        page,
        "() => document.querySelector('[data-testid=current-step]').dataset.kind === 'step'",
        30,
    )
    before = current(page)
    page.click("button[data-action=skip]")
    wait_until(
        page,
        "() => document.querySelector('[data-testid=current-step]').dataset"
        f".technique !== '{before['technique']}'",
        5,
    )
    events = journal_until(
        server, session["id"], lambda found: any(e.kind == "segment-skipped" for e in found)
    )
    assert any(e.kind == "segment-skipped" for e in events)
    context.close()


def test_reduced_motion_keeps_the_arrows_still(server, browser) -> None:
    context = browser.new_context(viewport=PHONE, reduced_motion="reduce")
    session = new_session(server)
    page = open_player(context, server["url"], session["id"], speed=3)
    page.click("#play-btn")
    wait_until(
        page,
        "() => document.querySelector('[data-testid=current-step]')"
        ".dataset.kind === 'step' && document.querySelector('#player-map .stroke-layer .hand')",
        first_step_s(session, 3),
    )
    read = (
        "() => { const hand = document.querySelector('#player-map .stroke-layer .hand');"
        " return [hand.getAttribute('transform'),"
        " document.getAnimations().filter((a) => a.id === 'stroke').length,"
        " document.querySelectorAll('#player-map .stroke-layer .head').length]; }"
    )
    spots = set()
    for _ in range(8):
        transform, moving, heads = page.evaluate(read)
        assert moving == 0 and heads >= 2  # still arrows, firm and light, and no animation
        spots.add(transform)
        time.sleep(0.1)
    assert len(spots) == 1
    context.close()


def test_changes_while_paused_show_at_once(server, browser) -> None:
    session = new_session(server)
    context = browser.new_context(viewport=PHONE)
    page = open_player(context, server["url"], session["id"], speed=4)
    page.click("#play-btn")
    wait_until(
        page,
        "() => document.querySelector('[data-testid=current-step]').dataset.kind === 'step'",
        first_step_s(session, 4),
    )
    page.keyboard.press("Space")
    before = int(current(page)["pressure"])
    page.click("button[data-action=lighter]")
    wait_until(
        page, f"() => document.getElementById('pressure-value').textContent === '{before - 1}'"
    )
    assert f"pressure {before - 1} of 10" in page.inner_text("#instruction")
    wait_until(page, "() => document.getElementById('say').textContent.length > 0")
    what, count = page.inner_text("#step-what"), page.inner_text("#step-count")
    page.click("button[data-action=skip]")
    wait_until(
        page,
        f"() => document.getElementById('step-what').textContent !== {what!r} || "
        f"document.getElementById('step-count').textContent !== {count!r}",
        5,
    )
    assert page.inner_text("#countdown") != "0:00"
    assert page.inner_text("#play-btn") == "Resume"
    context.close()


def test_an_offline_reload_resumes_where_it_was(server, browser) -> None:
    session = new_session(server)
    context = browser.new_context(viewport=PHONE)
    page = open_player(context, server["url"], session["id"], speed=20)
    wait_offline_ready(page)
    page.click("#play-btn")
    wait_until(page, "() => window.__rubdown.clock.time() > 30", 10)
    page.keyboard.press("Space")
    paused_at = page.evaluate("window.__rubdown.clock.time()")
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    assert abs(page.evaluate("window.__rubdown.clock.time()") - paused_at) < 1
    assert page.inner_text("#play-btn") == "Continue"
    home = context.new_page()
    home.goto(server["url"] + "/history")
    assert "You're offline" in home.inner_text("h1")
    context.set_offline(False)
    context.close()
