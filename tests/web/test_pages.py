"""The pages, rendered on the server: content, forms, errors, and nothing from elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient


def session_id(client: TestClient, **extra) -> int:
    return client.post("/api/sessions", json={"minutes": 5, **extra}).json()["id"]


def test_home_shows_whose_turn_and_start(client: TestClient, couple) -> None:
    page = client.get("/").text
    assert "gives today" in page
    assert 'href="/plan?giver=' in page


def test_home_without_people(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "People" in page.text


def test_plan_form_offers_the_choices_and_the_body_map(client: TestClient) -> None:
    page = client.get("/plan").text
    assert 'type="range"' in page and 'name="minutes"' in page
    assert 'id="region-neck"' in page and 'class="region"' in page
    assert 'name="conditions" value="fever"' in page
    assert "<style>" not in page  # the strict CSP would block an inline style


def test_plan_preview_shows_timeline_notes_and_start(client: TestClient) -> None:
    page = client.get("/plan?minutes=10&focus=neck").text
    assert "Your 10-minute plan" in page
    assert 'class="timeline"' in page and "Why it looks like this" in page
    assert 'action="/sessions"' in page and 'name="focus" value="neck"' in page


def test_plan_refusal_is_shown_plainly(client: TestClient) -> None:
    reply = client.get("/plan?minutes=10&conditions=fever")
    assert reply.status_code == 409
    assert "Not today" in reply.text and "Instead:" in reply.text


def test_plan_errors_are_4xx_pages(client: TestClient) -> None:
    reply = client.get("/plan?minutes=2")
    assert reply.status_code == 422 and "minutes" in reply.text
    reply = client.get("/plan?minutes=10&receiver=Nobody")
    assert reply.status_code == 400 and "Nobody" in reply.text


def test_start_form_opens_the_player(client: TestClient, couple) -> None:
    reply = client.post(
        "/sessions",
        data={"minutes": "5", "giver": "Ann", "receiver": "Ben"},
        follow_redirects=False,
    )
    assert reply.status_code == 303
    assert re.fullmatch(r"/play/\d+", reply.headers["location"])


def test_player_page(client: TestClient) -> None:
    sid = session_id(client)
    page = client.get(f"/play/{sid}").text
    assert 'data-testid="current-step"' in page
    assert 'data-region=""' in page and 'data-technique=""' in page
    assert 'aria-live="polite"' in page
    assert f"/remote/{sid}" in page
    assert 'id="region-shoulders"' in page


def test_remote_page_has_four_buttons(client: TestClient) -> None:
    page = client.get(f"/remote/{session_id(client)}").text
    for action in ("lighter", "firmer", "more", "stop"):
        assert f'data-action="{action}"' in page


def test_missing_session_page_is_404(client: TestClient) -> None:
    reply = client.get("/play/4242")
    assert reply.status_code == 404 and "<html" in reply.text


def test_history_page_with_chart(client: TestClient, couple) -> None:
    sid = session_id(client, giver="Ann", receiver="Ben")
    client.post(f"/api/sessions/{sid}/finish", json={"status": "finished", "clock_s": 300})
    page = client.get("/history").text
    assert '<svg class="chart"' in page and "Minutes given per week" in page
    assert "+5 min" in page and "-5 min" in page


def test_people_forms(client: TestClient) -> None:
    reply = client.post(
        "/people",
        data={"name": "Cy", "pressure": "light", "conditions": ["osteoporosis"]},
        follow_redirects=False,
    )
    assert reply.status_code == 303
    page = client.get("/people").text
    assert "Cy" in page and "Osteoporosis" in page
    reply = client.post(
        "/people/Cy",
        data={"rename": "Cy", "pressure": "", "focus": ["neck"]},
        follow_redirects=False,
    )
    assert reply.status_code == 303
    assert client.get("/api/people/Cy").json()["focus"] == ["neck"]
    assert client.get("/api/people/Cy").json()["conditions"] == []


def test_people_form_errors_are_shown(client: TestClient, couple) -> None:
    reply = client.post("/people", data={"name": "ann"})
    assert reply.status_code == 400 and "already exists" in reply.text
    reply = client.post("/people", data={"name": "Dee", "conditions": ["nope"]})
    assert reply.status_code == 400 and "nope" in reply.text


def test_no_external_requests(client: TestClient, couple) -> None:
    sid = session_id(client)
    for url in (
        "/",
        "/plan",
        "/plan?minutes=10",
        f"/play/{sid}",
        f"/remote/{sid}",
        "/history",
        "/people",
    ):
        page = client.get(url).text
        refs = re.findall(r'(?:src|href|action)="([^"]*)"', page)
        assert all(not r.startswith(("http:", "https:", "//")) or "/remote/" in r for r in refs), (
            url
        )
        assert "<script>" not in page and " style=" not in page  # nothing inline for the CSP


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_manifest_and_service_worker(client: TestClient) -> None:
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert client.get(manifest["icons"][0]["src"]).status_code == 200
    worker = client.get("/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    shell = re.search(r"const SHELL = (\[.*?\]);", worker.text).group(1)
    urls = re.findall(r'"([^"]+)"', shell)
    assert any(u.startswith("/static/js/player.js?v=") for u in urls)
    for url in urls:
        assert client.get(url).status_code == 200, url


def loaded_assets(page: str) -> set[Path]:
    """Every stylesheet and script a page loads, with the modules those scripts import."""
    from rubdown.web.app import STATIC

    todo = [STATIC / m for m in re.findall(r"/static/([\w/.-]+\.(?:js|css))\?v=", page)]
    found: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.add(path)
        if path.suffix == ".js":
            imports = re.findall(r'from "\./([\w.-]+\.js)"', path.read_text())
            todo += [path.parent / name for name in imports]
    return found


def test_player_and_all_its_assets_stay_under_100_kb(client: TestClient) -> None:
    import gzip

    # What a phone downloads: the server gzips text (level 6) and the ticks.
    def wire(body: bytes) -> int:
        return len(gzip.compress(body, compresslevel=6))

    page = client.get(f"/play/{session_id(client)}").content
    assets = sum(wire(p.read_bytes()) for p in loaded_assets(page.decode()))
    ticks = sum(wire(client.get(f"/api/ticks/{k}.wav").content) for k in ("down", "up"))
    raw = len(page) + sum(p.stat().st_size for p in loaded_assets(page.decode()))
    print(f"player: {raw} bytes of text, {wire(page) + assets + ticks} bytes on the wire")
    assert wire(page) + assets + ticks < 100_000


def test_people_form_errors_are_plain_and_keep_what_was_typed(client: TestClient) -> None:
    blank = client.post("/people", data={"name": "", "pressure": "firm", "focus": "neck"})
    assert blank.status_code == 400
    assert "Please enter a name." in blank.text and "Field required" not in blank.text
    assert 'name="pressure" value="firm" checked' in blank.text
    assert 'name="focus" value="neck" checked' in blank.text
    slash = client.post("/people", data={"name": "Ann/Ben"})
    assert slash.status_code == 400 and "cannot contain /" in slash.text
    assert 'value="Ann/Ben"' in slash.text
    assert client.post("/api/people", json={"name": "a/b"}).status_code == 422


def test_a_condition_needing_leave_out_says_so_in_words(client: TestClient, cat) -> None:
    needs = next(c for c in cat.conditions.values() if c.requires_avoid)
    reply = client.post("/people", data={"name": "Cat", "conditions": needs.id})
    assert reply.status_code == 400
    assert "under &#39;Leave out&#39;" in reply.text
    assert "--avoid" not in reply.text and "regions:" not in reply.text
    assert 'value="Cat"' in reply.text
