"""The /trust page: how each phone trusts rubdown's local certificate, and the files it needs."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urljoin

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from rubdown.web import tls
from rubdown.web.app import STATIC
from rubdown.web.routes.pages import render
from rubdown.web.security import local_path
from rubdown.web.state import State

router = APIRouter(include_in_schema=False)
NEXT = "Where to go once the certificate is trusted (a path of this app)."


@router.get("/trust", response_class=HTMLResponse)
def trust_page(
    request: Request, state: State, next: Annotated[str | None, Query(description=NEXT)] = None
) -> HTMLResponse:
    """Each platform's steps, then a link on to the app over HTTPS."""
    trust = state.trust
    version = state.asset_version
    if trust is None:
        return render(request, "trust.html", page="trust", trust=None, version=version)
    return render(
        request,
        "trust.html",
        page="trust",
        trust=trust,
        version=version,
        fingerprint=tls.fingerprint(trust.ca_cert),
        next_url=urljoin(trust.https_url, local_path(next, "/")),
    )


@router.get("/trust/style.css")
def style() -> Response:
    """The app's stylesheet, for the trust page that unpaired phones see."""
    body = (STATIC / "css" / "app.css").read_bytes()
    return Response(body, media_type="text/css", headers={"cache-control": "max-age=86400"})


@router.get("/trust/pairing.js")
def pairing_script() -> Response:
    """The pairing script, for the trust page and the page that asks for pairing."""
    body = (STATIC / "js" / "pairing.js").read_bytes()
    return Response(body, media_type="text/javascript", headers={"cache-control": "no-cache"})


def _ca_file(state: State, body: bytes | None, media: str, name: str) -> Response:
    """A certificate download (404 where rubdown has no local CA: local mode)."""
    if state.trust is None or body is None:
        return Response("No certificate: rubdown is not running for the home network.", 404)
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media, headers=headers)


@router.get("/trust/rubdown-ca.crt")
def ca_der(state: State) -> Response:
    """The CA certificate in DER, as Android's installer takes it."""
    body = tls.ca_der(state.trust.ca_cert) if state.trust else None
    return _ca_file(state, body, "application/x-x509-ca-cert", "rubdown-ca.crt")


@router.get("/trust/rubdown-ca.pem")
def ca_pem(state: State) -> Response:
    """The CA certificate in PEM, for laptops."""
    body = state.trust.ca_cert.read_bytes() if state.trust else None
    return _ca_file(state, body, "application/x-pem-file", "rubdown-ca.pem")


@router.get("/trust/rubdown.mobileconfig")
def ios_profile(state: State) -> Response:
    """The iOS profile that installs the CA."""
    body = tls.mobileconfig(state.trust.ca_cert) if state.trust else None
    return _ca_file(state, body, "application/x-apple-aspen-config", "rubdown.mobileconfig")
