"""Words stay whole at phone widths (no break inside a word on any page), and every area on the
planning page has a target of at least 44×44 CSS px that no neighbour covers."""

from __future__ import annotations

import os
from typing import Any

import pytest
from browser_helpers import CHROMIUM, new_session, open_player, wait_until

pytestmark = pytest.mark.browser
if not os.path.exists(CHROMIUM):
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api")

# Each word of each visible text node, measured by a Range: a word whose boxes sit on two
# lines was broken inside. A break right after a hyphen or a slash is a proper line break.
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const skip = '[hidden], dialog:not([open]), script, style, .visually-hidden';
    if (!el || !el.getClientRects().length || el.closest(skip)) continue;
    for (const match of node.textContent.matchAll(/[^\\s\\-\\/–—]+[\\-\\/–—]?/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0.5)
        .map((r) => Math.round(r.top + r.height / 2)));
      const lines = [...tops].sort((a, b) => a - b);
      if (lines.length > 1 && lines[lines.length - 1] - lines[0] > 4) {
        const where = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className}`;
        broken.push(`${match[0]} (in ${where})`);
      }
    }
  }
  return broken;
}"""
WIDTHS = [(360, 740), (390, 844)]


def pages(server: dict[str, Any]) -> dict[str, str]:
    session = new_session(server, minutes=10)
    return {
        "home": "/",
        "plan": "/plan?minutes=20&giver=Ann&receiver=Ben",
        "player": f"/play/{session['id']}",
        "remote": f"/remote/{session['id']}",
    }


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_no_word_breaks_across_lines(server, browser, width: int, height: int) -> None:
    found = {}
    context = browser.new_context(viewport={"width": width, "height": height})
    for name, path in pages(server).items():
        if name == "player":
            page = open_player(context, server["url"], int(path.rsplit("/", 1)[1]), speed=1)
        else:
            page = context.new_page()
            page.goto(server["url"] + path)
            page.wait_for_load_state("networkidle")
        found[name] = page.evaluate(BROKEN_WORDS)
        if name == "plan":
            page.click(".timeline-fold summary")
            found["plan, timeline open"] = page.evaluate(BROKEN_WORDS)
        if name == "player":
            page.click("#ready-btn")
            found["player, get ready"] = page.evaluate(BROKEN_WORDS)
            page.keyboard.press("Escape")
            page.click("#play-btn")
            wait_until(page, "() => document.getElementById('play-btn').innerText === 'Pause'")
            found["player, playing"] = page.evaluate(BROKEN_WORDS)
            page.click("#play-btn")
        page.close()
    context.close()
    assert {name: words for name, words in found.items() if words} == {}


def test_the_check_sees_a_word_broken_across_lines(browser) -> None:
    page = browser.new_page()
    page.set_content(
        '<p style="width: 4em; overflow-wrap: anywhere">Unbreakable continuation</p>'
        '<p style="width: 4em">well-known</p>'
    )
    broken = page.evaluate(BROKEN_WORDS)
    page.close()
    assert [word.split(" ")[0] for word in broken] == ["Unbreakable", "continuation"]


TARGETS = """() => [...document.querySelectorAll('.area-chip')].map((chip) => {
  const r = chip.getBoundingClientRect();
  const probes = [[0.5, 0.5], [0.08, 0.12], [0.92, 0.12], [0.08, 0.88], [0.92, 0.88]];
  const mine = probes.every(([fx, fy]) => {
    const hit = document.elementFromPoint(r.left + r.width * fx, r.top + r.height * fy);
    return hit && hit.closest('.area-chip') === chip;
  });
  return { region: chip.dataset.region, width: r.width, height: r.height, mine };
})"""


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_every_area_has_a_44_px_target_no_neighbour_covers(
    server, browser, cat, width: int, height: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{server['url']}/plan")
    targets = []
    for region in cat.regions:
        page.locator(f".area-chip[data-region={region}]").scroll_into_view_if_needed()
        found = {t["region"]: t for t in page.evaluate(TARGETS)}
        targets.append(found[region])
    print(
        f"{width} px: smallest target {min(t['width'] for t in targets):.0f}"
        f"×{min(t['height'] for t in targets):.0f} px"
    )
    small = [t for t in targets if t["width"] < 44 or t["height"] < 44]
    assert small == [], "targets under 44×44 px"
    assert [t["region"] for t in targets if not t["mine"]] == [], "a neighbour takes the tap"
    context.close()


def test_areas_answer_the_keyboard_and_show_their_state_by_pattern_and_word(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{server['url']}/plan")
    page.locator(".area-chip").first.focus()
    names = []
    for _ in range(3):
        names.append(page.evaluate("document.activeElement.dataset.region"))
        page.keyboard.press("Tab")
    assert len(set(names)) == 3, "Tab walks the area buttons"
    chip = page.locator(".area-chip[data-region=calves]")
    for state, word, pattern in (
        ("longer", "Longer", "pattern-focus"),
        ("left out", "Left out", "pattern-avoid"),
        ("as planned", "", ""),
    ):
        chip.focus()
        page.keyboard.press("Space")
        assert chip.get_attribute("aria-label") == f"Calves: {state}"
        assert page.inner_text(".area-chip[data-region=calves] .chip-state") == word
        drawn = page.evaluate(
            "[...document.querySelectorAll('#plan-map [data-region=calves]')]"
            ".map((el) => getComputedStyle(el.matches('g') ? el.firstElementChild : el).fill)"
        )
        assert drawn and all((pattern in f) if pattern else ("url" not in f) for f in drawn)
    context.close()
