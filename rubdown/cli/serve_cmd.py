"""`rubdown serve`: the phone-friendly web app (FastAPI and uvicorn are imported on use)."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rubdown.cli.options import LIBRARY_OPTION, catalogue_for
from rubdown.cli.voice_cmds import RATE_OPTION, VOICE_OPTION, check_voice

if TYPE_CHECKING:
    from rubdown.web.tls import ServerCert

LOOPBACK = "127.0.0.1"
EVERYWHERE = "0.0.0.0"


@dataclass(frozen=True)
class ServePlan:
    """Where to listen, the address to hand out, and the pairing token in LAN mode."""

    host: str
    port: int
    url: str
    token: str | None
    # In LAN mode: the plain-HTTP port that shows how to trust rubdown's certificate.
    trust_port: int | None = None


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent to find it)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        # A UDP connect only picks the outgoing interface; nothing leaves the machine.
        probe.connect(("10.255.255.255", 1))
        return str(probe.getsockname()[0])
    except OSError:
        return LOOPBACK
    finally:
        probe.close()


def is_loopback(host: str) -> bool:
    """Whether an address only reaches this machine."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_plan(host: str | None, port: int, lan: bool) -> ServePlan:
    """Decide the bind address, the public URL and, for --lan, a fresh pairing token.

    Health data must not reach the network unpaired: any address other than loopback
    gets a pairing token, as --lan does.
    """
    if not lan and (host is None or is_loopback(host)):
        bind = host or LOOPBACK
        return ServePlan(bind, port, f"http://{bind}:{port}/", None)
    from rubdown.web.security import new_token

    bind = host or EVERYWHERE
    shown = lan_address() if bind in (EVERYWHERE, "::") else bind
    where = f"[{shown}]" if ":" in shown else shown
    trust_port = port + 1 if port < 65535 else port - 1
    return ServePlan(bind, port, f"https://{where}:{port}/", new_token(), trust_port)


def trust_link(plan: ServePlan) -> str:
    """The plain-HTTP address of the /trust page, going on to the app with the pairing token
    after "#" (browsers never send a fragment: no server log or Referer holds it)."""
    from urllib.parse import urlsplit

    host = urlsplit(plan.url).netloc.rsplit(":", 1)[0]
    return f"http://{host}:{plan.trust_port}/trust?next=%2F#token={plan.token}"


def announce(plan: ServePlan, cert: ServerCert | None = None) -> None:
    """Print where to open rubdown, with a QR code for phones in LAN mode."""
    if plan.token is None:
        click.echo(f"rubdown is running at {plan.url}  (this machine only; Ctrl+C stops it)")
        click.echo("To use phones as well, start it with --lan.")
        return
    from rubdown.web.pairing import terminal_qr

    link = trust_link(plan)
    click.echo("rubdown is open to your home network over HTTPS, for paired devices only.")
    click.echo(f"On your phone, scan this code (or open {link}):")
    click.echo(terminal_qr(link))
    click.echo("It shows how to trust rubdown's certificate once, then opens rubdown.")
    click.echo(f"Already trusted: {plan.url}#token={plan.token}")
    if cert is not None:
        click.echo(f"The certificate names {', '.join((*cert.names, *cert.addresses))}.")
        if cert.left_out:
            click.echo(f"Left out (not a home-network address): {', '.join(cert.left_out)}.")
    click.echo("Anyone without the link gets 'pairing needed'. Ctrl+C stops the server.")


def lan_certificate(plan: ServePlan) -> ServerCert:
    """The local CA (made on first use) and a fresh server certificate for every address."""
    from urllib.parse import urlsplit

    from rubdown.store.db import data_dir
    from rubdown.web import lan, tls

    folder = tls.tls_dir(data_dir())
    shown = urlsplit(plan.url).hostname or LOOPBACK
    try:
        tls.ensure_ca(folder, label=socket.gethostname())
        return tls.issue_server_cert(
            folder, lan.local_names(), lan.listen_addresses(plan.host, shown)
        )
    except (tls.CertificateError, OSError, ValueError) as err:
        click.echo(f"Error: cannot prepare the HTTPS certificate in {folder}: {err}", err=True)
        raise click.exceptions.Exit(2) from None


def check_port_free(host: str, port: int) -> None:
    """Fail with a plain message, before announcing anything, when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as err:
            click.echo(
                f"Error: cannot listen on {host}:{port} ({err.strerror}); "
                f"is rubdown already running? Try another --port.",
                err=True,
            )
            raise click.exceptions.Exit(2) from None


@click.command("serve")
@click.option(
    "--host", default=None, help="Address to listen on (default 127.0.0.1; 0.0.0.0 with --lan)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--lan",
    is_flag=True,
    help="Open to the home network over HTTPS (rubdown's own certificate), behind pairing.",
)
@click.option("--db", "db_url", default=None, help="Database URL (default: your rubdown data).")
@VOICE_OPTION
@RATE_OPTION
@LIBRARY_OPTION
def serve_command(
    host: str | None,
    port: int,
    lan: bool,
    db_url: str | None,
    voice: str,
    rate_wpm: int,
    library: tuple[Path, ...],
) -> None:
    """Run the web app: plan, play with voice and body map, pair a remote, see the history."""
    from rubdown.web.serving import ServeSettingError, uvicorn_options

    try:
        options = uvicorn_options()
    except ServeSettingError as err:
        click.echo(f"Error: {err}", err=True)
        raise click.exceptions.Exit(2) from None
    plan = serve_plan(host, port, lan)
    check_port_free(plan.host, plan.port)
    speech: dict[str, Any] = {"voice": check_voice(voice), "rate_wpm": rate_wpm}
    run = serve_here if plan.token is None else serve_on_lan
    run(plan, db_url, library, speech, options)


def serve_here(
    plan: ServePlan,
    db_url: str | None,
    library: tuple[Path, ...],
    speech: dict[str, Any],
    options: dict[str, Any],
) -> None:
    """Serve this machine only, over plain HTTP on loopback, until Ctrl+C."""
    import uvicorn

    from rubdown.web.app import create_app
    from rubdown.web.security import served_hosts

    hosts = served_hosts(plan.host, plan.url)
    app = create_app(db_url, catalogue_for(library), hosts=hosts, **speech)
    click.echo(app.state.rubdown.cues.describe())
    announce(plan)
    uvicorn.run(app, host=plan.host, port=plan.port, **options)


def serve_on_lan(
    plan: ServePlan,
    db_url: str | None,
    library: tuple[Path, ...],
    speech: dict[str, Any],
    options: dict[str, Any],
) -> None:
    """Serve the home network over HTTPS behind pairing, with the trust page, until Ctrl+C."""
    from rubdown.web import lan as lan_serving
    from rubdown.web.app import create_app
    from rubdown.web.security import served_hosts
    from rubdown.web.tls import Trust

    assert plan.trust_port is not None
    check_port_free(plan.host, plan.trust_port)
    cert = lan_certificate(plan)
    trust = Trust(cert.ca_cert, plan.url, trust_link(plan).split("/trust")[0] + "/")
    app = create_app(
        db_url,
        catalogue_for(library),
        plan.token,
        base_url=plan.url.rstrip("/"),
        hosts=served_hosts(plan.host, plan.url, extra=(*cert.names, *cert.addresses)),
        trust=trust,
        **speech,
    )
    click.echo(app.state.rubdown.cues.describe())
    announce(plan, cert)
    lan_serving.run_both(app, plan.host, plan.port, plan.trust_port, cert, plan.url, options)


def register(group: click.Group) -> None:
    """Add this module's commands to the CLI."""
    group.add_command(serve_command)
