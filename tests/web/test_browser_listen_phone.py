"""The phone's own microphone, in chromium: a real `rubdown serve --lan` over HTTPS, its CA
trusted in an NSS database and the laptop's .local name mapped to 127.0.0.1, so the player is a
secure context as on a paired phone. A fake microphone says "lighter"; the session obeys by
voice. A phone without a microphone is told why and how; plain HTTP moves to HTTPS."""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ECHO,
    HEARD,
    current,
    journal_until,
    open_player,
    paused_in_a_step,
    stays_off_saying,
    trusting_home,
    wait_until,
)
from web_helpers import rubdown_serve

from rubdown.web import tls
from rubdown.web.security import COOKIE

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "voice"))
from test_listen import recording

pytestmark = pytest.mark.browser
if not os.path.exists(CHROMIUM):
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}", allow_module_level=True)
if shutil.which("certutil") is None:
    pytest.skip("the HTTPS test needs certutil (libnss3-tools)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
SPEED = 20
# The name a phone reaches the laptop by (mDNS); `serve --lan` puts it in its certificate.
NAME = f"{socket.gethostname().split('.')[0]}.local"
PHONE = {"width": 390, "height": 844}
LISTENING = "() => document.body.dataset.listening === 'on'"


@pytest.fixture(scope="module")
def lan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`rubdown serve --lan` on loopback, its pairing token, and a home trusting its CA."""
    folder = tmp_path_factory.mktemp("phone")
    with rubdown_serve(dict(os.environ), folder, lan=True) as url:
        found = re.search(r"#token=([\w-]+)", (folder / "serve.log").read_text())
        assert found, (folder / "serve.log").read_text()
        ca = tls.tls_dir(folder) / tls.CA_CERT
        trusting_home(folder / "home", ca)
        port = int(url.rsplit(":", 1)[1])
        verify = ssl.create_default_context(cafile=str(ca))
        api = httpx.Client(base_url=url, verify=verify, cookies={COOKIE: found[1]})
        with api:
            yield {"url": f"https://{NAME}:{port}", "plain": f"http://{NAME}:{port + 1}",
                   "token": found[1], "home": folder / "home", "api": api, "log": folder,
                   "db": f"sqlite:///{folder / 'db.sqlite3'}"}  # fmt: skip


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    """One Playwright for the module's browsers."""
    with sync_api.sync_playwright() as running:
        yield running


def phone_browser(playwright: Any, lan: dict[str, Any], *fake: str) -> Any:
    """Chromium that trusts rubdown's CA, finds NAME at 127.0.0.1 and grants the microphone."""
    args = [*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {NAME} 127.0.0.1"]
    args += ["--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required"]
    home = {**os.environ, "HOME": str(lan["home"])}
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*args, *fake], env=home)


@pytest.fixture(scope="module")
def talking(playwright: Any, lan: dict[str, Any], tmp_path_factory: pytest.TempPathFactory):
    """The phone, its microphone saying "lighter" every few seconds (chromium loops the WAV)."""
    wav, _ = recording(["lighter"], tmp_path_factory.mktemp("mic"), gap_s=2.0)
    fake = ["--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={wav}"]
    chromium = phone_browser(playwright, lan, *fake)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def deaf(playwright: Any, lan: dict[str, Any]) -> Iterator[Any]:
    """The phone with no microphone at all (no fake device)."""
    chromium = phone_browser(playwright, lan)
    yield chromium
    chromium.close()


def paired_player(lan: dict[str, Any], browser: Any) -> tuple[int, Any]:
    """A new session's player on a phone-sized page, paired through the token link."""
    context = browser.new_context(viewport=PHONE)
    pairing = context.new_page()
    pairing.goto(f"{lan['url']}/#token={lan['token']}")
    wait_paired(pairing)
    pairing.close()
    reply = lan["api"].post("/api/sessions", json={"minutes": 5})
    assert reply.status_code == 201, reply.text
    sid = int(reply.json()["id"])
    page = open_player(context, lan["url"], sid, SPEED)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    assert page.evaluate("[location.protocol, window.isSecureContext]") == ["https:", True]
    return sid, page


def wait_paired(page: Any) -> None:
    """Until the page's pairing script has the cookie and the page it was opened for is shown."""
    for _ in range(100):
        if any(c["name"] == COOKIE for c in page.context.cookies()):
            break
        page.wait_for_timeout(100)
    page.wait_for_function("() => !document.body.hasAttribute('data-unpaired')")
    page.wait_for_load_state()


def test_a_phone_pairs_through_the_printed_link_and_no_address_keeps_the_token(
    lan: dict[str, Any], deaf: Any
) -> None:
    printed = re.search(r"open (http://\S+)\):", (lan["log"] / "serve.log").read_text())
    assert printed and printed[1].endswith(f"#token={lan['token']}"), printed
    link = printed[1].replace("127.0.0.1", NAME)
    context = deaf.new_context(viewport=PHONE)
    sent: list[str] = []
    context.on("request", lambda request: sent.append(request.url))
    page = context.new_page()
    page.goto(link)
    page.wait_for_selector("a[data-carry-pairing]")
    assert lan["token"] not in page.url, "the trust page takes the code out of the address"
    page.click("a[data-carry-pairing]")
    wait_paired(page)
    # The trust page goes on to the address the server hands out (here its loopback one).
    assert page.url.startswith("https://") and page.url.endswith(f":{lan['url'].rsplit(':')[-1]}/")
    assert page.title().endswith("rubdown") and "Pairing needed" not in page.content()
    cookie = next(c for c in context.cookies() if c["name"] == COOKIE)
    assert cookie["httpOnly"] and cookie["secure"]
    assert page.evaluate("history.length") >= 2 and lan["token"] not in page.url
    assert sent and not [url for url in sent if lan["token"] in url], sent
    context.close()


def in_view(page: Any, selector: str) -> bool:
    """Whether the element is wholly on screen without scrolling."""
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return (
        bool(box)
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and (box["x"] >= 0 and box["x"] + box["width"] <= size["width"])
    )


def test_a_phone_over_https_steers_by_its_own_microphone(
    lan: dict[str, Any], talking: Any, tmp_path: Path
) -> None:
    sid, page = paired_player(lan, talking)
    switch = page.locator("#listen-btn")
    assert switch.get_attribute("aria-checked") == "false", "off by default"
    paused_in_a_step(page)
    before = int(current(page)["pressure"])
    switch.click()
    prompt = wait_until(page, f"() => ({LISTENING})() && ({ECHO})()")
    assert prompt.startswith("Listening: say lighter, firmer"), prompt
    assert switch.get_attribute("aria-checked") == "true"
    assert page.text_content("#listen-status") == "Listening"
    assert in_view(page, "#listen-btn") and in_view(page, "#listen-echo")
    page.screenshot(path=str(tmp_path / "phone-listening.png"))
    echo = wait_until(
        page, f"() => {{ const t = ({ECHO})(); return t.startsWith('lighter:') && t; }}", 40
    )
    assert f"pressure {before - 1}" in echo.lower(), echo
    page.screenshot(path=str(tmp_path / "phone-heard.png"))
    events = journal_until(lan, sid, lambda es: any(e.kind == "lighter" for e in es))
    lighter = [e for e in events if e.kind == "lighter"]
    assert lighter and all(e.data["by"] == "voice" for e in lighter)
    assert int(current(page)["pressure"]) < before
    assert all(h["command"] == "lighter" for h in page.evaluate(HEARD))
    switch.click()
    wait_until(page, "() => document.body.dataset.listening === 'off'")
    assert page.errors == [] and page.csp_errors == []
    page.context.close()


def test_a_phone_without_a_microphone_is_told_why_and_how(lan: dict[str, Any], deaf: Any) -> None:
    _, page = paired_player(lan, deaf)
    why = stays_off_saying(page, "No microphone was found")
    assert "then turn Listen on again" in why
    page.context.close()


def test_the_plain_http_address_sends_the_phone_to_https_where_it_can_listen(
    lan: dict[str, Any], deaf: Any
) -> None:
    context = deaf.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{lan['plain']}/#token={lan['token']}")
    wait_paired(page)
    assert page.evaluate("[location.protocol, window.isSecureContext]") == ["https:", True]
    context.close()
