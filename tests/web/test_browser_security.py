"""In chromium: a page from another origin cannot change a person or start a session."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from browser_helpers import CHROMIUM, launch
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from web_helpers import QuickEngine

from rubdown.web import create_app
from rubdown.web.background import serve_in_thread

pytestmark = pytest.mark.browser
if not os.path.exists(CHROMIUM):
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

# The attacker's page: two forms posted into hidden frames, and a script's fetch, on load.
ATTACK = """<!doctype html><html><body>
<iframe name="a"></iframe><iframe name="b"></iframe><iframe name="c"></iframe>
<form id="edit" method="post" action="{target}/people/Ann" target="a">
  <input name="pressure" value="firm"><input name="rename" value="Ann"></form>
<form id="start" method="post" action="{target}/sessions" target="b">
  <input name="minutes" value="10"><input name="receiver" value="Ann"></form>
<form id="add" method="post" action="{target}/people" target="c">
  <input name="name" value="Mallory"></form>
<script>
  document.getElementById("edit").submit();
  document.getElementById("start").submit();
  document.getElementById("add").submit();
  fetch("{target}/api/sessions", {{method: "POST", mode: "no-cors",
    headers: {{"content-type": "text/plain"}}, body: '{{"minutes": 5}}'}})
    .finally(() => {{ document.title = "sent"; }});
</script></body></html>"""


@pytest.fixture(scope="module")
def target(cat, tmp_path_factory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("csrf")
    app = create_app(
        f"sqlite:///{folder / 'web.sqlite3'}", cat, voice_engine=QuickEngine(), cue_dir=folder
    )
    running = serve_in_thread(app)
    with httpx.Client(base_url=running.url) as api:
        api.post("/api/people", json={"name": "Ann", "conditions": ["slipped-disc"]})
        yield {"url": running.url, "api": api}
    running.stop()


@pytest.fixture(scope="module")
def attacker(target: dict[str, Any]) -> Iterator[str]:
    page = ATTACK.format(target=target["url"])
    app = Starlette(routes=[Route("/", lambda _: HTMLResponse(page))])
    running = serve_in_thread(app)
    yield running.url
    running.stop()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_page_of_another_origin_cannot_change_anything(
    target: dict[str, Any], attacker: str, host: str
) -> None:
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        page = chromium.new_page()
        refused: list[int] = []
        page.on(
            "response",
            lambda r: refused.append(r.status) if r.url.startswith(target["url"]) else None,
        )
        page.goto(attacker.replace("127.0.0.1", host))
        deadline = time.monotonic() + 10
        while (len(refused) < 4 or page.title() != "sent") and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        chromium.close()
    assert sorted(refused) == [403, 403, 403, 403]
    ann = target["api"].get("/api/people/Ann").json()
    assert ann["pressure"] is None and ann["conditions"] == ["slipped-disc"]
    assert [p["name"] for p in target["api"].get("/api/people").json()] == ["Ann"]
    assert target["api"].get("/api/history").json() == []


def test_the_apps_own_forms_still_work_in_the_browser(target: dict[str, Any]) -> None:
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        page = chromium.new_page()
        page.goto(f"{target['url']}/people")
        page.fill("input[name=name]", "Ben")
        page.locator("form", has=page.locator("input[name=name]")).locator(
            "button[type=submit]"
        ).first.click()
        page.wait_for_url("**/people?saved=Ben")
        chromium.close()
    assert "Ben" in [p["name"] for p in target["api"].get("/api/people").json()]


@pytest.mark.parametrize("host", ["evil.example", "rubdown.evil.example:8000"])
def test_a_foreign_host_header_is_refused_by_the_real_server(
    target: dict[str, Any], host: str
) -> None:
    reply = httpx.get(f"{target['url']}/api/people", headers={"host": host})
    assert reply.status_code == 400
