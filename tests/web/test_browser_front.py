"""The front-view body map in a real browser: the player switches view, the plan page taps, axe."""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import AXE, PHONE, axe_problems, open_player, wait_until

pytestmark = pytest.mark.browser
SHOWN = "(v) => !document.querySelector(`#player-map svg[data-view=${v}]`).hasAttribute('hidden')"


def face_up_session(server: dict[str, Any]) -> dict[str, Any]:
    reply = server["api"].post(
        "/api/sessions",
        json={"minutes": 5, "position": "face-up", "giver": "Ann", "receiver": "Ben"},
    )
    assert reply.status_code == 201, reply.text
    return reply.json()


def test_the_player_shows_the_front_map_for_a_face_up_step(server, browser) -> None:
    session = face_up_session(server)
    context = browser.new_context(viewport=PHONE)
    page = open_player(context, server["url"], session["id"], speed=30)
    assert page.evaluate(SHOWN, "front") and not page.evaluate(SHOWN, "back")
    page.click("#play-btn")
    region = wait_until(
        page,
        "() => document.querySelector('#player-map svg[data-view=front] .region.current')"
        "?.dataset.region",
        20,
    )
    assert region in {s["region"] for s in session["plan"]["segments"] if s.get("region")}
    assert (
        page.evaluate(
            "document.querySelectorAll('#player-map svg[data-view=back] .current').length"
        )
        == 0
    )
    assert page.csp_errors == []
    context.close()


def test_the_player_keeps_the_back_map_for_a_back_position(server, browser) -> None:
    reply = server["api"].post(
        "/api/sessions", json={"minutes": 5, "position": "lying", "receiver": "Ben"}
    )
    context = browser.new_context(viewport=PHONE)
    page = open_player(context, server["url"], reply.json()["id"], speed=30)
    assert page.evaluate(SHOWN, "back") and not page.evaluate(SHOWN, "front")
    context.close()


def test_tapping_the_front_map_focuses_then_avoids(server, browser) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(server["url"] + "/plan")
    shins = "#plan-map svg[data-view=front] [data-region=shins] .left"
    page.click(shins)
    assert page.is_checked("input[name=focus][value=shins]")
    page.click(shins)
    assert page.is_checked("input[name=avoid][value=shins]")
    assert not page.is_checked("input[name=focus][value=shins]")
    # The hands are on both drawings: a tap on the front marks the back as well.
    page.click("#plan-map svg[data-view=front] [data-region=hands] .right")
    assert page.evaluate(
        "[...document.querySelectorAll('#plan-map [data-region=hands]')]"
        ".every((el) => el.classList.contains('focus'))"
    )
    context.close()


@pytest.mark.skipif(not AXE.exists(), reason=f"axe-core is not installed at {AXE}")
def test_axe_finds_no_violations_on_front_map_and_screen_pages(server, browser) -> None:
    sid = face_up_session(server)["id"]
    server["api"].post("/api/people", json={"name": "Cy"})
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    paths = (
        "/plan?minutes=20&position=face-up",
        "/plan?minutes=30&conditions=pregnancy",
        f"/play/{sid}",
        "/screen/Cy",
        "/people",
    )
    assert axe_problems(page, server["url"], paths) == {}
    context.close()
