"""Pairing (the owner's token and per-session remote tokens), same-origin changes, known hosts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from rubdown.web import create_app
from rubdown.web.security import (
    COOKIE,
    PAIR_HEADER,
    PAIR_PATH,
    PAIR_SCRIPT,
    REMOTE_COOKIE,
    remote_allows,
    served_hosts,
)

TOKEN = "pair-me-please"
LOCAL = "http://127.0.0.1"


@pytest.fixture
def lan(cat, db_url: str, engine, tmp_path) -> Iterator[TestClient]:
    app = create_app(db_url, cat, TOKEN, voice_engine=engine, cue_dir=tmp_path / "cues")
    with TestClient(app, base_url=LOCAL, follow_redirects=False) as client:
        yield client


def _pair(lan: TestClient, code: str) -> httpx.Response:
    """What a page's pairing script does with the code after "#" in its address."""
    return lan.post(PAIR_PATH, headers={PAIR_HEADER: code})


def _owner(lan: TestClient) -> None:
    assert _pair(lan, TOKEN).status_code == 204


def _remote_token(lan: TestClient, session_id: int) -> str:
    """The token the session's QR code carries (decoded from the pairing link it encodes)."""
    state = lan.app.state.rubdown  # type: ignore[attr-defined]
    return state.pairings.issue(session_id)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/plan",
        "/api/catalogue",
        "/static/css/app.css",
        "/sw.js",
        "/openapi.json",
        "/manifest.webmanifest",
        "/api/ticks/up.wav",
    ],
)
def test_everything_needs_the_token(lan: TestClient, url: str) -> None:
    reply = lan.get(url)
    assert reply.status_code == 401
    assert "Pairing needed" in reply.text or "paired devices" in reply.text


def test_posts_need_the_token(lan: TestClient) -> None:
    assert lan.post("/api/plan", json={"minutes": 5}).status_code == 401
    assert lan.post("/api/sessions/1/control", json={"action": "stop"}).status_code == 401


def test_a_wrong_token_is_refused(lan: TestClient) -> None:
    for code in ("guess", ""):
        refused = _pair(lan, code)
        assert refused.status_code == 401 and "not valid" in refused.json()["error"]
        assert "set-cookie" not in refused.headers
    lan.cookies.set(COOKIE, "guess")
    assert lan.get("/").status_code == 401


def test_the_posted_token_becomes_a_cookie(lan: TestClient) -> None:
    reply = _pair(lan, TOKEN)
    assert reply.status_code == 204
    cookie = reply.headers["set-cookie"]
    assert f"{COOKIE}={TOKEN}" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert reply.headers["cache-control"] == "no-store"
    # The client keeps the cookie: later requests need no token at all.
    assert lan.get("/plan").status_code == 200
    assert lan.post("/api/plan", json={"minutes": 5}).status_code == 200


@pytest.mark.parametrize("url", [f"/?token={TOKEN}", "/remote/1?pair=abc", "/plan?token=x"])
def test_an_old_link_with_a_token_in_its_query_is_refused_saying_why(
    lan: TestClient, url: str
) -> None:
    reply = lan.get(url)
    assert reply.status_code == 400 and "set-cookie" not in reply.headers
    assert "no longer takes it" in reply.text and "QR code" in reply.text
    assert lan.get("/plan").status_code == 401, "and it paired nothing"


def test_another_site_cannot_pair_a_visitor(lan: TestClient) -> None:
    reply = lan.post(PAIR_PATH, headers={PAIR_HEADER: TOKEN, "sec-fetch-site": "cross-site"})
    assert reply.status_code == 403 and "set-cookie" not in reply.headers


def test_the_page_asking_for_pairing_runs_the_public_pairing_script(lan: TestClient) -> None:
    page = lan.get("/remote/1")
    assert page.status_code == 401 and f'src="{PAIR_SCRIPT}"' in page.text
    script = lan.get(PAIR_SCRIPT)
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "location.hash" in script.text and PAIR_HEADER in script.text


def test_no_token_appears_in_any_page(lan: TestClient) -> None:
    _owner(lan)
    sid = lan.post("/api/sessions", json={"minutes": 5}).json()["id"]
    remote = _remote_token(lan, sid)
    for url in ("/", "/plan", f"/play/{sid}", "/people", "/history", f"/api/sessions/{sid}"):
        text = lan.get(url).text
        assert TOKEN not in text and remote not in text, url


def test_the_qr_code_pairs_one_session_and_is_never_cached(lan: TestClient) -> None:
    _owner(lan)
    sid = lan.post("/api/sessions", json={"minutes": 5}).json()["id"]
    reply = lan.get(f"/api/sessions/{sid}/pair.svg")
    assert reply.status_code == 200 and reply.headers["cache-control"] == "no-store"


def test_a_remote_steers_its_own_session_and_nothing_else(lan: TestClient) -> None:
    _owner(lan)
    one = lan.post("/api/sessions", json={"minutes": 5}).json()["id"]
    two = lan.post("/api/sessions", json={"minutes": 5}).json()["id"]
    token = _remote_token(lan, one)
    lan.cookies.clear()
    paired = _pair(lan, token)
    assert paired.status_code == 204
    assert f"{REMOTE_COOKIE}={token}" in paired.headers["set-cookie"]
    assert lan.get(f"/remote/{one}").status_code == 200
    assert lan.post(f"/api/sessions/{one}/control", json={"action": "lighter"}).status_code == 200
    for method, url in [
        ("POST", f"/api/sessions/{two}/control"),
        ("POST", f"/api/sessions/{two}/finish"),
        ("POST", f"/api/sessions/{one}/finish"),
        ("GET", "/api/people"),
        ("GET", f"/play/{one}"),
        ("GET", "/people"),
        ("POST", "/api/sessions"),
    ]:
        reply = lan.request(method, url, json={"action": "stop", "status": "quit"})
        assert reply.status_code == 403, (method, url)
        assert "remote of one session" in reply.text


def test_the_end_of_a_session_revokes_its_remote(lan: TestClient) -> None:
    _owner(lan)
    sid = lan.post("/api/sessions", json={"minutes": 5}).json()["id"]
    token = _remote_token(lan, sid)
    assert lan.post(f"/api/sessions/{sid}/finish", json={"status": "quit"}).status_code == 200
    lan.cookies.clear()
    assert _pair(lan, token).status_code == 401
    assert lan.get(f"/remote/{sid}").status_code == 401


@pytest.mark.parametrize(
    "path, method, allowed",
    [
        ("/remote/3", "GET", True),
        ("/api/sessions/3", "GET", True),
        ("/api/sessions/3/stream", "GET", True),
        ("/api/sessions/3/control", "POST", True),
        ("/api/sessions/3/answer", "POST", True),
        ("/api/sessions/4/answer", "POST", False),
        ("/static/js/remote.js", "GET", True),
        ("/api/sessions/3/control", "GET", False),
        ("/api/sessions/3/events", "POST", False),
        ("/api/sessions/4", "GET", False),
        ("/remote/33", "GET", False),
        ("/static/js/remote.js", "POST", False),
        ("/api/people", "GET", False),
    ],
)
def test_what_a_remote_may_reach(path: str, method: str, allowed: bool) -> None:
    assert remote_allows(path, method, 3) is allowed


def test_without_lan_mode_no_token_is_needed(client: TestClient) -> None:
    reply = client.get("/")
    assert reply.status_code == 200
    assert "set-cookie" not in reply.headers


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "192.168.1.50"])
def test_a_foreign_host_header_is_refused(client: TestClient, host: str) -> None:
    for url in ("/api/people", "/", "/people"):
        assert client.get(url, headers={"host": host}).status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "127.0.0.1"])
def test_loopback_hosts_are_answered(client: TestClient, host: str) -> None:
    assert client.get("/api/people", headers={"host": host}).status_code == 200


def test_the_allowed_hosts_follow_where_the_server_listens() -> None:
    assert served_hosts("127.0.0.1") == ["127.0.0.1", "localhost", "::1", "[::1]"]
    lan = served_hosts("0.0.0.0", "http://192.168.1.20:8000/", extra=["rubdown.example"])
    assert {"127.0.0.1", "192.168.1.20", "rubdown.example"} <= set(lan)
    assert any(h.endswith(".local") for h in lan)
    assert "0.0.0.0" not in lan


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"origin": "http://127.0.0.1:9999"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site", "origin": "http://127.0.0.1:9999"},
    ],
)
def test_changes_from_another_origin_are_refused(client: TestClient, headers: dict) -> None:
    client.post("/api/people", json={"name": "Ann", "conditions": ["slipped-disc"]})
    forged = [
        client.post("/people/Ann", data={"pressure": "firm"}, headers=headers),
        client.post("/people", data={"name": "Eve"}, headers=headers),
        client.post("/sessions", data={"minutes": "5"}, headers=headers),
        client.patch("/api/people/Ann", json={"conditions": []}, headers=headers),
        client.post("/api/sessions", json={"minutes": 5}, headers=headers),
    ]
    assert [r.status_code for r in forged] == [403] * 5
    assert "another site" in forged[0].text and "another site" in forged[3].json()["error"]
    ann = client.get("/api/people/Ann").json()
    assert ann["conditions"] == ["slipped-disc"] and ann["pressure"] is None
    assert [p["name"] for p in client.get("/api/people").json()] == ["Ann"]
    assert client.get("/api/history").json() == []


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://127.0.0.1"},
        {"sec-fetch-site": "same-origin", "origin": "http://127.0.0.1"},
        {"sec-fetch-site": "none"},
        {},
    ],
)
def test_changes_from_its_own_pages_are_accepted(client: TestClient, headers: dict) -> None:
    reply = client.post("/people", data={"name": "Ann"}, headers=headers, follow_redirects=False)
    assert reply.status_code == 303


def test_security_headers_are_on_refusals_too(client: TestClient) -> None:
    reply = client.post("/api/sessions", json={"minutes": 5}, headers={"origin": "http://x.y"})
    assert reply.status_code == 403
    assert "frame-ancestors" in reply.headers["content-security-policy"]
    assert re.search(r"rubdown only accepts changes", reply.json()["error"])


def test_over_https_the_pairing_cookies_never_go_to_plain_http(
    cat, db_url: str, engine, tmp_path
) -> None:
    """The trust port serves plain HTTP on the same host: a cookie without Secure goes there."""
    app = create_app(db_url, cat, TOKEN, voice_engine=engine, cue_dir=tmp_path / "cues")
    with TestClient(app, base_url="https://127.0.0.1", follow_redirects=False) as lan:
        owner = _pair(lan, TOKEN)
        assert owner.status_code == 204 and "; Secure" in owner.headers["set-cookie"]
        sid = lan.post("/api/sessions", json={"minutes": 5}).json()["id"]
        token = _remote_token(lan, sid)
        lan.cookies.clear()
        remote = _pair(lan, token)
        assert remote.status_code == 204 and "; Secure" in remote.headers["set-cookie"]
