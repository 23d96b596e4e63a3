"""HTTPS on the home network: the local CA, the server certificate, the /trust page, --lan."""

from __future__ import annotations

import plistlib
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from web_helpers import QuickEngine

from rubdown.cli.main import cli
from rubdown.web import create_app, tls

x509 = pytest.importorskip("cryptography.x509")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tls.tls_dir(tmp_path / "data")


def sans(cert_file: Path) -> tuple[list[str], list[str]]:
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return names.get_values_for_type(x509.DNSName), [
        str(a) for a in names.get_values_for_type(x509.IPAddress)
    ]


def test_the_ca_is_made_once_and_its_key_is_the_owners_only(folder: Path) -> None:
    first = tls.ensure_ca(folder)
    made = first.read_bytes()
    assert tls.ensure_ca(folder).read_bytes() == made
    assert stat.S_IMODE((folder / tls.CA_KEY).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    ca = x509.load_pem_x509_certificate(made)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_the_server_certificate_names_every_address_and_verifies(folder: Path) -> None:
    from cryptography.x509 import verification

    tls.ensure_ca(folder)
    names = ["box.local", "localhost", "example.com"]
    addresses = ["127.0.0.1", "192.168.1.20", "10.0.0.7", "8.8.8.8"]
    cert = tls.issue_server_cert(folder, names, addresses, now=datetime.now(UTC))
    dns, ips = sans(cert.cert)
    assert dns == ["box.local", "localhost"]
    assert ips == ["127.0.0.1", "192.168.1.20", "10.0.0.7"]
    assert set(cert.left_out) == {"8.8.8.8", "example.com"}
    assert stat.S_IMODE(cert.key.stat().st_mode) == 0o600
    ca = x509.load_pem_x509_certificate((folder / tls.CA_CERT).read_bytes())
    leaf = x509.load_pem_x509_certificates(cert.cert.read_bytes())[0]
    store = verification.Store([ca])
    for subject in (
        x509.DNSName("box.local"),
        x509.IPAddress(__import__("ipaddress").ip_address("192.168.1.20")),
    ):
        verifier = verification.PolicyBuilder().store(store).build_server_verifier(subject)
        verifier.verify(leaf, [])


def test_the_ios_profile_carries_the_ca(folder: Path) -> None:
    ca = tls.ensure_ca(folder)
    profile = plistlib.loads(tls.mobileconfig(ca))
    payload = profile["PayloadContent"][0]
    assert payload["PayloadType"] == "com.apple.security.root"
    assert payload["PayloadContent"] == tls.ca_der(ca)


@pytest.fixture
def lan_client(cat, folder: Path, tmp_path: Path):
    ca = tls.ensure_ca(folder)
    trust = tls.Trust(ca, "https://192.168.1.20:8000/", "http://192.168.1.20:8001/")
    app = create_app(
        f"sqlite:///{tmp_path / 'lan.sqlite3'}",
        cat,
        "owner-token",
        base_url="https://192.168.1.20:8000",
        voice_engine=QuickEngine(),
        cue_dir=tmp_path / "cues",
        hosts=["192.168.1.20", "testserver"],
        trust=trust,
    )
    with TestClient(app, base_url="http://192.168.1.20:8001") as client:
        yield client


def test_the_trust_page_opens_unpaired_and_goes_on_to_the_app(lan_client: TestClient) -> None:
    page = lan_client.get("/trust", params={"next": "/remote/3"})
    assert page.status_code == 200
    text = page.text
    assert "iPhone" in text and "Android" in text and "Certificate Trust Settings" in text
    # Its script hands the pairing code after "#" on to this link.
    assert 'href="https://192.168.1.20:8000/remote/3" data-carry-pairing' in text
    assert 'src="/trust/pairing.js' in text
    assert "127.0.0.1" not in text
    assert lan_client.get("/plan").status_code == 401, "only /trust is open without pairing"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil", "/\t/evil.example"]
)
def test_the_trust_page_only_goes_on_inside_the_app(lan_client: TestClient, target: str) -> None:
    page = lan_client.get("/trust", params={"next": target})
    assert 'href="https://192.168.1.20:8000/"' in page.text


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("/trust/rubdown-ca.crt", "application/x-x509-ca-cert"),
        ("/trust/rubdown-ca.pem", "application/x-pem-file"),
        ("/trust/rubdown.mobileconfig", "application/x-apple-aspen-config"),
    ],
)
def test_the_certificate_downloads(lan_client: TestClient, path: str, media: str) -> None:
    reply = lan_client.get(path)
    assert reply.status_code == 200 and reply.headers["content-type"].startswith(media)
    assert "attachment" in reply.headers["content-disposition"]


def test_in_local_mode_the_trust_page_says_how_to_pair_phones(client: TestClient) -> None:
    page = client.get("/trust")
    assert page.status_code == 200 and "rubdown serve --lan" in page.text
    assert client.get("/trust/rubdown-ca.crt").status_code == 404


def test_serve_lan_serves_https_with_a_trust_link(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn

    from rubdown.web import lan

    ran: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: ran.update(options, app=app))
    monkeypatch.setattr(lan, "run_both", lambda app, *args: ran.update(app=app, args=args))
    monkeypatch.setenv("RUBDOWN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RUBDOWN_CACHE_DIR", str(tmp_path / "cache"))
    db = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    result = CliRunner().invoke(cli, ["serve", "--lan", "--port", "8443", "--db", db])
    assert result.exit_code == 0, result.output
    host, port, trust_port, cert, url, options = ran["args"]
    assert (host, port, trust_port) == ("0.0.0.0", 8443, 8444) and url.startswith("https://")
    assert options["limit_concurrency"] and options["http"], "both ports drop slow clients"
    assert ":8444/trust?next=%2F#token=" in result.output and "█" in result.output
    assert "127.0.0.1:" not in result.output.replace(url, ""), "no loopback link is handed out"
    dns, ips = sans(cert.cert)
    assert any(n.endswith(".local") for n in dns) and "127.0.0.1" in ips
    key = tmp_path / "data" / "tls" / tls.CA_KEY
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    state = ran["app"].state.rubdown
    assert state.trust.https_url == url and state.base_url == url.rstrip("/")
