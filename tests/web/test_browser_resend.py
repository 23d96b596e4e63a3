"""The player in chromium when a reply is lost: its press reached the server, the answer did
not, and the press is resent under the same id, so the session changes and journals it once."""

from __future__ import annotations

import json
import os
import time
from typing import Any

import pytest
from browser_helpers import (
    CHROMIUM,
    PHONE,
    current,
    first_step_s,
    journal,
    new_session,
    open_player,
    wait_until,
)

pytestmark = pytest.mark.browser
if not os.path.exists(CHROMIUM):
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api")


def lose_first_reply(page: Any, path: str) -> list[dict[str, Any]]:
    """Let every POST to path reach the server, but drop the first one's reply; the bodies."""
    sent: list[dict[str, Any]] = []

    def handle(route: Any) -> None:
        sent.append(json.loads(route.request.post_data or "{}"))
        if len(sent) == 1:
            route.fetch()  # the server gets it and answers ...
            route.abort("connectionreset")  # ... and the answer never arrives
        else:
            route.continue_()

    page.route(f"**{path}", handle)
    return sent


@pytest.mark.parametrize(("button", "kind"), [("lighter", "lighter"), ("skip", "segment-skipped")])
def test_a_press_whose_reply_is_lost_is_resent_and_stored_once(
    server: dict[str, Any], browser: Any, button: str, kind: str
) -> None:
    session = new_session(server)
    context = browser.new_context(viewport=PHONE)
    page = open_player(context, server["url"], session["id"], speed=4)
    sent = lose_first_reply(page, f"/api/sessions/{session['id']}/control")
    page.click("#play-btn")
    wait_until(
        page,
        "() => document.querySelector('[data-testid=current-step]').dataset.kind === 'step'",
        first_step_s(session, 4),
    )
    before = current(page)
    page.click(f"button[data-action={button}]")
    wait_until(page, "() => document.getElementById('say').textContent.length > 0")
    time.sleep(1.0)  # anything the player keeps for later goes out in this time
    assert len(sent) == 2 and sent[0]["client_id"] == sent[1]["client_id"], sent
    pressed = [e for e in journal(server, session["id"]) if e.kind == kind]
    assert [e.client_id for e in pressed] == [sent[0]["client_id"]]
    assert server["api"].get(f"/api/sessions/{session['id']}").json()["version"] == 1
    if button == "lighter":
        assert int(current(page)["pressure"]) == int(before["pressure"]) - 1
    context.close()
