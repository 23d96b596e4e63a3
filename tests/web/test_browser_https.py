"""The home-network HTTPS path in Debian's chromium: rubdown's CA trusted in an NSS database
(certutil) and the .local name mapped to 127.0.0.1, so the player is a secure context; the
same page over plain HTTP says plainly what is lost."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from browser_helpers import CHROMIUM, CHROMIUM_ARGS, trusting_home, wait_until
from web_helpers import QuickEngine

from rubdown.web import create_app, tls
from rubdown.web.background import serve_in_thread

pytestmark = pytest.mark.browser
if not os.path.exists(CHROMIUM):
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}", allow_module_level=True)
if shutil.which("certutil") is None:
    pytest.skip("the HTTPS test needs certutil (libnss3-tools)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
NAME = "rubdown-phone.local"


@pytest.fixture(scope="module")
def servers(cat, tmp_path_factory) -> Iterator[dict[str, Any]]:
    """The app over HTTPS with a certificate from rubdown's CA, and over plain HTTP."""
    folder = tmp_path_factory.mktemp("https")
    certs = tls.tls_dir(folder / "data")
    ca = tls.ensure_ca(certs)
    cert = tls.issue_server_cert(certs, [NAME, "localhost"], ["127.0.0.1"])
    db = f"sqlite:///{folder / 'web.sqlite3'}"
    hosts = [NAME, "127.0.0.1"]
    apps = [
        create_app(db, cat, voice_engine=QuickEngine(), cue_dir=folder / "cues", hosts=hosts)
        for _ in range(2)
    ]
    secure = serve_in_thread(apps[0], tls=(str(cert.cert), str(cert.key)))
    plain = serve_in_thread(apps[1])
    home = folder / "home"
    trusting_home(home, ca)
    with httpx.Client(base_url=plain.url) as api:
        session = api.post("/api/sessions", json={"minutes": 5}).json()
    yield {"secure": secure, "plain": plain, "home": home, "cert": cert, "certs": certs,
           "session": session}  # fmt: skip
    secure.stop()
    plain.stop()


@pytest.fixture(scope="module")
def browser(servers) -> Iterator[Any]:
    """Chromium with the trusting NSS database and NAME resolving to 127.0.0.1."""
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {NAME} 127.0.0.1"],
            env={**os.environ, "HOME": str(servers["home"])},
        )
        yield chromium
        chromium.close()


def port(url: str) -> str:
    return url.rsplit(":", 1)[1]


def test_over_https_the_player_is_a_secure_context(servers, browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    url = f"https://{NAME}:{port(servers['secure'].url)}/play/{servers['session']['id']}"
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    assert page.evaluate("window.isSecureContext") is True
    assert page.evaluate("'wakeLock' in navigator && 'caches' in window") is True
    wait_until(
        page,
        "() => navigator.serviceWorker.getRegistration().then((r) => Boolean(r && r.active))",
        15,
    )
    assert page.is_hidden("#secure-warning")
    context.close()


KEPT_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    urls.push(...(await cache.keys()).map((request) => request.url));
  }
  return urls;
}"""


def test_a_pairing_code_in_the_address_is_never_kept_by_the_service_worker(
    servers, browser
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    url = f"https://{NAME}:{port(servers['secure'].url)}/play/{servers['session']['id']}"
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    wait_until(page, "() => navigator.serviceWorker.controller !== null", 15)
    page.goto(f"{url}?from=qr#token=code-in-the-fragment")
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    kept = page.evaluate(KEPT_URLS)
    assert url in kept  # the worker keeps pages it fetched: the check below can fail
    assert not [kept_url for kept_url in kept if "code-in-the-fragment" in kept_url], kept
    context.close()


def test_over_plain_http_the_player_says_what_is_lost(servers, browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"http://{NAME}:{port(servers['plain'].url)}/play/{servers['session']['id']}")
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    assert page.evaluate("window.isSecureContext") is False
    warning = page.inner_text("#secure-warning")
    assert "screen may lock" in warning and "offline" in warning and "voice" in warning
    assert page.get_attribute("#secure-warning a", "href") == "/trust"
    assert page.evaluate("document.documentElement.scrollHeight") <= 844
    context.close()


def test_the_certificate_names_the_addresses_and_the_ca_key_is_private(servers) -> None:
    from cryptography import x509

    leaf = x509.load_pem_x509_certificates(servers["cert"].cert.read_bytes())[0]
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert NAME in names.get_values_for_type(x509.DNSName)
    assert "127.0.0.1" in [str(a) for a in names.get_values_for_type(x509.IPAddress)]
    key = servers["certs"] / tls.CA_KEY
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
