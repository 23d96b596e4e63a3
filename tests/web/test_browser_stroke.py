"""The moving hands in chromium, read through the Web Animations API against the tick schedule."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from browser_helpers import CHROMIUM, PHONE, csp_errors, open_player, wait_until
from web_helpers import QuickEngine

from rubdown.core.planjson import plan_from_json
from rubdown.core.timeline import build_ticks
from rubdown.web import create_app
from rubdown.web.background import serve_in_thread

pytestmark = pytest.mark.browser
if not os.path.exists(CHROMIUM):
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

SPEED = 10
# One reading of the running stroke: the animations, and the session clock at the same frame.
READ = """() => {
  const { clock, state } = window.__rubdown;
  const frame = document.timeline.currentTime;
  const t = clock.timeAt(frame);
  const index = state.plan.segments.findIndex((s) => t < s.start_s + s.duration_s);
  const hands = [...document.querySelectorAll('#player-map .stroke-layer .hand')];
  return {
    t, index, running: clock.running,
    label: document.getElementById('stroke').textContent,
    animations: document.getAnimations().filter((a) => a.id === 'stroke').map((a) => ({
      time: a.currentTime, rate: a.playbackRate, state: a.playState,
      duration: a.effect.getTiming().duration, iterations: a.effect.getTiming().iterations,
      progress: a.effect.getComputedTiming().progress,
      iteration: a.effect.getComputedTiming().currentIteration,
    })),
    opacity: hands.map((h) => Number(getComputedStyle(h).opacity)),
  };
}"""


@pytest.fixture(scope="module")
def server(cat, tmp_path_factory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("stroke")
    app = create_app(
        f"sqlite:///{folder / 'web.sqlite3'}", cat, voice_engine=QuickEngine(), cue_dir=folder
    )
    running = serve_in_thread(app)
    with httpx.Client(base_url=running.url) as api:
        yield {"url": running.url, "api": api}
    running.stop()


def new_session(server: dict[str, Any], **request: Any) -> dict[str, Any]:
    reply = server["api"].post("/api/sessions", json={"minutes": 10, **request})
    assert reply.status_code == 201, reply.text
    return reply.json()


def check_reading(reading: dict[str, Any], plan: Any, downs: set[float], ups: set[float]) -> None:
    """One reading agrees with the step's pace and with the rhythm ticks the server plans."""
    seg = plan.segments[reading["index"]]
    assert seg.motion is not None
    assert len(reading["animations"]) == len(seg.motion.strokes)
    for animation in reading["animations"]:
        assert animation["duration"] == pytest.approx(seg.seconds_per_rep * 1000)
        assert animation["rate"] == SPEED and animation["iterations"] == seg.reps
        # The hand is where the session clock says, to within a frame or two at this speed.
        elapsed_ms = (reading["t"] - seg.start_s) * 1000
        assert animation["time"] == pytest.approx(elapsed_ms, abs=40 * SPEED)
        # Its repetitions start on the 'down' ticks, and its light part on the 'up' ones.
        rep_start = round(seg.start_s + animation["iteration"] * seg.seconds_per_rep, 3)
        assert rep_start in downs
        assert round(rep_start + seg.seconds_per_rep * seg.motion.firm_share, 3) in ups


def test_the_hands_keep_the_pace_of_the_ticks_for_a_minute(server, browser) -> None:
    session = new_session(server, routine="quick-neck-shoulders", minutes=None)
    plan = plan_from_json(session["plan"])
    # A minute that ends a firm-and-light step and goes on into the next: a change of step.
    firm_step = next(s for s in plan.steps if s.stroke_rule == "firm-down-light-up")
    begin = max(0.0, firm_step.start_s + firm_step.duration_s - 40)
    ticks = build_ticks(plan)
    downs = {round(t.at_s, 3) for t in ticks if t.kind == "down"}
    ups = {round(t.at_s, 3) for t in ticks if t.kind == "up"}
    context = browser.new_context(viewport=PHONE)
    page = open_player(context, server["url"], session["id"], speed=SPEED)
    page.evaluate("(t) => window.__rubdown.clock.seek(t)", begin)
    page.click("#play-btn")
    readings, steps = [], set()
    deadline = time.monotonic() + 60 / SPEED + 1
    while time.monotonic() < deadline:
        # A check-in in the minute waits for its answer, as the receiver would give it.
        if page.is_visible("#answers [data-answer=good]"):
            page.click("#answers [data-answer=good]")
        reading = page.evaluate(READ)
        seg = plan.segments[reading["index"]]
        if seg.kind == "step" and reading["running"]:
            check_reading(reading, plan, downs, ups)
            readings.append(reading)
            steps.add(seg.step_index)
        time.sleep(0.05)
    assert readings and readings[-1]["t"] >= begin + 58 and len(steps) >= 2
    # Firm, then faint: the hand is drawn fainter in the light part of a repetition.
    on_firm_step = [r for r in readings if plan.segments[r["index"]] == firm_step]
    firm = [r["opacity"][0] for r in on_firm_step if r["animations"][0]["progress"] < 0.45]
    light = [r["opacity"][0] for r in on_firm_step if r["animations"][0]["progress"] > 0.55]
    assert firm and light and min(firm) > max(light)
    # The words say where the hands go, from the same motion.
    labels = {r["label"] for r in readings}
    assert (
        labels <= {label for s in plan.steps if s.motion for label in s.motion.labels}
        and len(labels) >= 2
    )
    context.close()


def test_a_pause_holds_the_hand_still(server, browser) -> None:
    session = new_session(server, position="seated")
    context = browser.new_context(viewport=PHONE)
    page = open_player(context, server["url"], session["id"], speed=SPEED)
    page.click("#play-btn")
    wait_until(page, "() => document.getAnimations().some((a) => a.id === 'stroke')", 15)
    page.keyboard.press(" ")
    wait_until(page, "() => !window.__rubdown.clock.running")
    time.sleep(0.2)
    first = page.evaluate(READ)
    time.sleep(0.4)
    second = page.evaluate(READ)
    assert [a["state"] for a in second["animations"]] == ["paused"] * len(second["animations"])
    assert [a["time"] for a in first["animations"]] == [a["time"] for a in second["animations"]]
    # Still where the session clock stopped.
    seg = session["plan"]["segments"][second["index"]]
    at = (second["t"] - seg["start_s"]) * 1000
    assert all(abs(a["time"] - at) <= 1 for a in second["animations"])
    context.close()


def test_reduced_motion_shows_still_arrows_and_no_animation(server, browser) -> None:
    session = new_session(server, position="seated")
    context = browser.new_context(viewport=PHONE, reduced_motion="reduce")
    page = open_player(context, server["url"], session["id"], speed=SPEED)
    page.click("#play-btn")
    wait_until(page, "() => document.querySelector('#player-map .stroke-layer.still .hand')", 15)
    for _ in range(5):
        assert (
            page.evaluate("() => document.getAnimations().filter((a) => a.id === 'stroke')") == []
        )
        assert page.evaluate("() => document.querySelectorAll('#player-map .step-number').length")
        time.sleep(0.1)
    context.close()


STROKES = "document.getAnimations().filter((a) => a.id === 'stroke')"


def test_tapping_a_planned_step_previews_its_motion(server, browser) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors = csp_errors(page)
    page.goto(f"{server['url']}/plan?minutes=10&position=seated#result")
    plan = json.loads(page.text_content("#plan-data"))
    page.click(".timeline-fold summary")
    button = page.locator(".show-motion").nth(1)
    seg = plan["segments"][int(button.get_attribute("data-segment"))]
    button.click()
    wait_until(page, "() => document.getElementById('motion-dialog').open")
    timings = page.evaluate(
        f"() => {STROKES}.map((a) => [a.effect.getTiming().duration, a.playState,"
        " a.effect.getTiming().iterations === Infinity])"
    )
    assert timings == [[seg["seconds_per_rep"] * 1000, "running", True]] * len(
        seg["motion"]["strokes"]
    )
    assert page.text_content("#motion-words") == seg["motion"]["words"]
    assert page.text_content("#motion-title") == seg["technique_name"]
    page.click("#motion-dialog button")
    wait_until(page, "() => !document.getElementById('motion-dialog').open")
    # The dialog's close event comes as a task after `open` turns false: wait for it.
    wait_until(page, f"() => {STROKES}.length === 0")
    assert errors == []
    context.close()


def test_the_preview_holds_still_with_reduced_motion(server, browser) -> None:
    context = browser.new_context(viewport=PHONE, reduced_motion="reduce")
    page = context.new_page()
    page.goto(f"{server['url']}/plan?minutes=10&position=seated#result")
    page.click(".timeline-fold summary")
    page.locator(".show-motion").first.click()
    wait_until(page, "() => document.querySelector('#motion-map .stroke-layer.still .hand')")
    assert page.evaluate(f"() => {STROKES}.length") == 0
    assert page.evaluate("() => document.querySelectorAll('#motion-map .head').length") >= 2
    context.close()
