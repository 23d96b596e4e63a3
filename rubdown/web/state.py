"""What every request handler needs: the store, the catalogue, cue audio and live sessions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

# FastAPI reads the handler's annotations at run time, so these must be importable here.
from fastapi import Depends, Request

if TYPE_CHECKING:
    from fastapi.templating import Jinja2Templates

    from rubdown.core.models import Catalogue
    from rubdown.store.db import Store
    from rubdown.web.cues import CueLibrary
    from rubdown.web.hub import Hub
    from rubdown.web.listening import WebListening
    from rubdown.web.live import LiveSessions
    from rubdown.web.pairing import Pairings
    from rubdown.web.tls import Trust


@dataclass
class WebState:
    """The app's shared objects, built once by create_app."""

    store: Store
    cat: Catalogue
    cues: CueLibrary
    hub: Hub
    live: LiveSessions
    templates: Jinja2Templates
    lan_token: str | None
    base_url: str | None
    asset_version: str
    pairings: Pairings
    trust: Trust | None = None
    listening: WebListening | None = None  # the player's Listen switch, made by create_app


def get_state(request: Request) -> WebState:
    """The shared state of the app serving this request."""
    state: WebState = request.app.state.rubdown
    return state


# The handlers' parameter type: FastAPI fills it in from the request.
State = Annotated[WebState, Depends(get_state)]
