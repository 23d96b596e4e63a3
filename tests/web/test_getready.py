"""Getting ready in the player: the prep timeline from the server, one step a screen, each
position drawn; it fits one phone screen, portrait and landscape, and can be skipped."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

import pytest

from rubdown.core.models import Catalogue
from rubdown.core.planjson import plan_from_json
from rubdown.core.prep import prep_timeline
from rubdown.web.getready import lead_text, position_picture, ready_steps


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "Just before you begin"),
        (3, "3 minutes ahead"),
        (30, "30 minutes ahead"),
        (60, "1 hour ahead"),
        (120, "2 hours ahead"),
        (90, "1 h 30 min ahead"),
    ],
)
def test_lead_times_read_as_words(minutes: int, text: str) -> None:
    assert lead_text(minutes) == text


def test_every_shipped_position_has_a_picture_with_a_text_alternative(cat: Catalogue) -> None:
    for position in cat.positions:
        svg = position_picture(position)
        assert svg.startswith("<svg") and 'role="img"' in svg, position
        assert "<title>" in svg and "pose-receiver" in svg and "pose-giver" in svg, position


def test_an_undrawn_position_has_no_picture() -> None:
    assert position_picture("upside-down") == ""


def test_the_sequence_is_the_prep_timeline_the_sheet_uses(cat: Catalogue) -> None:
    from rubdown.core.models import PlanRequest
    from rubdown.core.planner import plan_session

    plan = plan_session(cat, PlanRequest(minutes=20))
    ready = ready_steps(cat, plan)
    timeline = prep_timeline(cat, plan, datetime(2030, 5, 1, 20, 0))
    assert [s["what"] for s in ready["steps"]] == [item.what for item in timeline]
    assert [s["why"] for s in ready["steps"]] == [item.why for item in timeline]
    assert ready["position"] == cat.positions[plan.position].name
    assert ready["picture"] == position_picture(plan.position)


in_browser = pytest.mark.browser
needs_chromium = pytest.mark.skipif(
    not os.path.exists("/usr/bin/chromium"), reason="browser tests need Debian's chromium"
)
MEASURE = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height,
             width: r.width, font: parseFloat(getComputedStyle(el).fontSize) }; };
  const dialog = document.getElementById('ready-dialog');
  const step = dialog.querySelector('.ready-steps > li:not([hidden])');
  const list = document.getElementById('ready-steps');
  return { open: dialog.open, scroll: document.documentElement.scrollHeight,
    dialogScroll: dialog.scrollHeight, dialogHeight: dialog.clientHeight,
    listScroll: list.scrollHeight, listHeight: list.clientHeight,
    what: box(step.querySelector('.ready-what')), lead: box(step.querySelector('.ready-lead')),
    why: box(step.querySelector('.ready-why')),
    picture: box(dialog.querySelector('.ready-picture svg')),
    next: box(document.getElementById('ready-next')),
    back: box(document.getElementById('ready-back')),
    skip: box(dialog.querySelector('button[value=skip]')),
    text: step.querySelector('.ready-what').textContent,
    count: document.getElementById('ready-count').textContent };
}"""


def inside(found: dict[str, Any], key: str, width: int, height: int) -> None:
    box = found[key]
    assert box["top"] >= 0 and box["bottom"] <= height + 0.5, key
    assert box["left"] >= 0 and box["right"] <= width + 0.5, key


@in_browser
@needs_chromium
@pytest.mark.parametrize(("width", "height"), [(360, 640), (390, 844), (844, 390)])
def test_get_ready_fits_one_screen_and_reads_from_a_metre(
    server, browser, cat: Catalogue, width: int, height: int
) -> None:
    from browser_helpers import new_session, open_player, wait_until

    session = new_session(server, minutes=10)
    expected = ready_steps(cat, plan_from_json(session["plan"]))["steps"]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = open_player(context, server["url"], session["id"], speed=1)
    page.click("#ready-btn")
    seen = []
    for index in range(len(expected)):
        found = page.evaluate(MEASURE)
        assert found["open"] and found["count"] == f"Get ready: {index + 1} of {len(expected)}"
        assert found["scroll"] <= height and found["dialogScroll"] <= found["dialogHeight"]
        assert found["listScroll"] <= found["listHeight"] + 1, f"step {index} is cut: {found}"
        for key in ("what", "lead", "why", "picture", "next", "back", "skip"):
            inside(found, key, width, height)
        assert found["what"]["font"] >= 28 and found["lead"]["font"] >= 18
        assert found["why"]["font"] >= 16 and found["picture"]["height"] >= 100
        assert found["next"]["height"] >= 56 and found["skip"]["height"] >= 44
        seen.append(found["text"])
        page.click("#ready-next")
    assert seen == [step["what"] for step in expected]
    # The last step's button begins the session.
    wait_until(page, "() => document.getElementById('play-btn').innerText === 'Pause'")
    assert not page.evaluate("document.getElementById('ready-dialog').open")
    assert not page.is_visible("#ready-btn")
    context.close()


@in_browser
@needs_chromium
@pytest.mark.parametrize("how", ["button", "escape"])
def test_get_ready_can_be_skipped_and_begin_waits(server, browser, how: str) -> None:
    from browser_helpers import new_session, open_player

    session = new_session(server)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = open_player(context, server["url"], session["id"], speed=1)
    page.click("#ready-btn")
    page.click("#ready-next")
    page.click("#ready-back")
    assert page.inner_text("#ready-count").startswith("Get ready: 1 of")
    if how == "button":
        page.click("#ready-dialog button[value=skip]")
    else:
        page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('ready-dialog').open")
    assert page.inner_text("#play-btn") == "Begin"
    assert page.evaluate("window.__rubdown.clock.running") is False
    context.close()


@in_browser
@needs_chromium
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_axe_finds_no_violations_in_get_ready(server, browser, theme: str) -> None:
    from browser_helpers import AXE, AXE_RUN, new_session, open_player

    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE}")
    session = new_session(server)
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.goto(server["url"] + "/")
    light = "true" if theme == "light" else "false"
    page.evaluate(f"localStorage.setItem('rubdown-settings', '{{\"light\": {light}}}')")
    page.close()
    page = open_player(context, server["url"], session["id"], speed=1)
    page.click("#ready-btn")
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_RUN) == []
    context.close()
