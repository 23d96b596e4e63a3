"""`rubdown serve`: loopback by default; --lan binds everywhere with a token and a QR code."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from rubdown.cli import serve_cmd
from rubdown.cli.main import cli


def test_defaults_to_loopback_without_token() -> None:
    plan = serve_cmd.serve_plan(None, 8000, lan=False)
    assert plan.host == "127.0.0.1" and plan.token is None
    assert plan.url == "http://127.0.0.1:8000/"


def test_lan_binds_everywhere_with_a_fresh_token() -> None:
    first = serve_cmd.serve_plan(None, 8000, lan=True)
    second = serve_cmd.serve_plan(None, 8000, lan=True)
    assert first.host == "0.0.0.0"
    assert first.token and len(first.token) >= 16 and first.token != second.token
    assert first.url.endswith(":8000/") and "0.0.0.0" not in first.url
    assert first.url.startswith("https://") and first.trust_port == 8001


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch, tmp_path) -> dict[str, Any]:
    import uvicorn

    from rubdown.web import lan

    calls: dict[str, Any] = {}

    def fake_run(app: Any, **options: Any) -> None:
        calls.update(options, app=app)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setattr(lan, "run_both", lambda app, host, port, *rest: fake_run(app, host=host))
    monkeypatch.setenv("RUBDOWN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("RUBDOWN_DATA_DIR", str(tmp_path / "data"))
    calls["db"] = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    return calls


def test_serve_starts_uvicorn_on_loopback(ran: dict[str, Any]) -> None:
    result = CliRunner().invoke(cli, ["serve", "--port", "8123", "--db", ran["db"]])
    assert result.exit_code == 0, result.output
    assert ran["host"] == "127.0.0.1" and ran["port"] == 8123
    assert "http://127.0.0.1:8123/" in result.output
    assert ran["app"].state.rubdown.lan_token is None
    assert ran["limit_concurrency"] and ran["backlog"] and ran["timeout_keep_alive"]


def test_serve_refuses_a_bad_header_timeout_saying_why(
    ran: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUBDOWN_HEADER_TIMEOUT_S", "soon")
    result = CliRunner().invoke(cli, ["serve", "--db", ran["db"]])
    assert result.exit_code == 2 and "RUBDOWN_HEADER_TIMEOUT_S" in result.output
    assert "Traceback" not in result.output and "app" not in ran


def test_serve_lan_prints_link_and_qr(ran: dict[str, Any]) -> None:
    result = CliRunner().invoke(cli, ["serve", "--lan", "--db", ran["db"]])
    assert result.exit_code == 0, result.output
    token = ran["app"].state.rubdown.lan_token
    assert ran["host"] == "0.0.0.0" and token
    assert "https://" in result.output and f"#token={token}" in result.output
    # Nothing a server logs or a browser sends holds the token: it only follows "#".
    for line in result.output.splitlines():
        assert token not in line.split("#")[0], line
    assert "█" in result.output  # the QR code, drawn with block characters


def test_help_does_not_import_the_web_stack() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from rubdown.cli.main import cli; "
        "print('fastapi' in sys.modules, 'uvicorn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_a_non_loopback_host_always_needs_pairing(host: str) -> None:
    plan = serve_cmd.serve_plan(host, 8000, lan=False)
    assert plan.host == host and plan.token


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1"])
def test_loopback_hosts_need_no_token(host: str) -> None:
    assert serve_cmd.serve_plan(host, 8000, lan=False).token is None


def test_a_busy_port_is_a_plain_error_before_anything_is_announced() -> None:
    import socket

    from click.testing import CliRunner

    from rubdown.cli.main import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert "cannot listen" in result.stderr and "running at" not in result.stdout
