"""`rubdown serve`: the phone-friendly web app (FastAPI and uvicorn are imported on use)."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

import click

from rubdown.cli.options import LIBRARY_OPTION, catalogue_for
from rubdown.cli.voice_cmds import RATE_OPTION, VOICE_OPTION, check_voice

LOOPBACK = "127.0.0.1"
EVERYWHERE = "0.0.0.0"


@dataclass(frozen=True)
class ServePlan:
    """Where to listen, the address to hand out, and the pairing token in LAN mode."""

    host: str
    port: int
    url: str
    token: str | None


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
    shown = lan_address() if bind == EVERYWHERE else bind
    return ServePlan(bind, port, f"http://{shown}:{port}/", new_token())


def announce(plan: ServePlan) -> None:
    """Print where to open rubdown, with a QR code for phones in LAN mode."""
    if plan.token is None:
        click.echo(f"rubdown is running at {plan.url}  (this machine only; Ctrl+C stops it)")
        return
    from rubdown.web.pairing import terminal_qr

    link = f"{plan.url}?token={plan.token}"
    click.echo("rubdown is open to your local network, for paired devices only.")
    click.echo(f"Open this on your phone (or scan the code): {link}")
    click.echo(terminal_qr(link))
    click.echo("Anyone without this link gets 'pairing needed'. Ctrl+C stops the server.")


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
@click.option("--lan", is_flag=True, help="Open to the local network, behind a pairing token.")
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
    import uvicorn

    from rubdown.web.app import create_app

    plan = serve_plan(host, port, lan)
    check_port_free(plan.host, plan.port)
    from rubdown.web.security import served_hosts

    app = create_app(
        db_url,
        catalogue_for(library),
        plan.token,
        base_url=plan.url.rstrip("/") if plan.token else None,
        hosts=served_hosts(plan.host, plan.url),
        voice=check_voice(voice),
        rate_wpm=rate_wpm,
    )
    click.echo(app.state.rubdown.cues.describe())
    announce(plan)
    uvicorn.run(app, host=plan.host, port=plan.port, log_level="warning")


def register(group: click.Group) -> None:
    """Add this module's commands to the CLI."""
    group.add_command(serve_command)
