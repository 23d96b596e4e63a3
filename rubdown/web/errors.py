"""Domain errors as clear 4xx answers: JSON for the API, a short page for people."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException

from rubdown.core.models import PlanError, Refusal
from rubdown.core.screen import ScreenNeeded, ScreenRefusal
from rubdown.extras import MissingExtra
from rubdown.session.errors import NotACheckIn
from rubdown.store.errors import Conflict, NotFound, StorageUnavailable, StoreError, TooLarge
from rubdown.web.listening import ListenRefused

if TYPE_CHECKING:
    from fastapi import FastAPI, Request


# Each storage error type and the status it answers with; any other StoreError is a 400.
STORE_STATUS: dict[type[StoreError], int] = {NotFound: 404, Conflict: 409, TooLarge: 413}


def refusal_json(err: Refusal) -> dict[str, Any]:
    """A refusal as the API reports it; a red flag also says which, and whether it is urgent."""
    body = {
        "refused": True,
        "reason": err.reason,
        "instead": err.instead,
        "condition": err.condition,
    }
    if isinstance(err, ScreenRefusal):
        body["red_flags"] = [f.id for f in err.flags]
        body["emergency"] = err.emergency
    return body


def plan_error_json(err: PlanError) -> dict[str, Any]:
    """A planning error with the valid choices, if any."""
    return {"error": err.message, "choices": list(err.choices)}


def _where(loc: Any) -> str:
    """A validation location without FastAPI's 'body'/'query' prefix."""
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "request"


def validation_json(err: RequestValidationError) -> dict[str, Any]:
    """Pydantic's errors as one readable sentence plus the list."""
    details = [
        {"field": _where(e.get("loc", ())), "message": e.get("msg", "invalid")}
        for e in err.errors()
    ]
    summary = "; ".join(f"{d['field']}: {d['message']}" for d in details)
    return {"error": summary or "invalid request", "detail": details}


def _reply(request: Request, status: int, body: dict[str, Any]) -> Any:
    """JSON for API calls, a plain page for anything a person opened."""
    if request.url.path.startswith(("/api/", "/downloads/")):
        return JSONResponse(body, status_code=status)
    message = body.get("error") or body.get("reason") or "Something went wrong."
    page = request.app.state.rubdown.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )
    return page if isinstance(page, HTMLResponse) else JSONResponse(body, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    """Map every expected failure to a 4xx with a message; anything else to a calm 500."""
    _plan_handlers(app)
    _store_handlers(app)
    _session_handlers(app)
    _request_handlers(app)


def _plan_handlers(app: FastAPI) -> None:
    """A refused, unscreened or impossible plan."""

    @app.exception_handler(Refusal)
    async def refused(request: Request, err: Refusal) -> Any:
        """A safety refusal: 409 with reason and what to do instead."""
        return _reply(request, 409, refusal_json(err))

    @app.exception_handler(ScreenNeeded)
    async def screen_needed(request: Request, err: ScreenNeeded) -> Any:
        """The red-flag screen comes first: 409, with where to answer it."""
        from rubdown.web.routes.screen import screen_url

        url = screen_url(err.person)
        return _reply(request, 409, {"error": err.message, "screen_needed": True, "screen": url})

    @app.exception_handler(PlanError)
    async def bad_plan(request: Request, err: PlanError) -> Any:
        """Cannot be planned: 400 with the valid choices."""
        return _reply(request, 400, plan_error_json(err))


def _store_handlers(app: FastAPI) -> None:
    """The store's refusals by type, and a disk that cannot be written."""

    @app.exception_handler(StoreError)
    async def bad_store(request: Request, err: StoreError) -> Any:
        """A storage refusal by its type: 404 not found, 409 conflict, 413 too large, else 400."""
        status = STORE_STATUS.get(type(err), 400)
        body: dict[str, Any] = {"error": str(err)}
        if isinstance(err, Conflict) and err.status is not None:
            body["session_status"] = err.status  # e.g. "interrupted": the player resumes
        return _reply(request, status, body)

    @app.exception_handler(StorageUnavailable)
    async def unavailable(request: Request, err: StorageUnavailable) -> Any:
        """Disk full or read-only: 503 with the same words as the terminal; nothing was lost."""
        reply = _reply(request, 503, {"error": str(err)})
        reply.headers["retry-after"] = "30"
        return reply


def _session_handlers(app: FastAPI) -> None:
    """A part not installed here, a listening chunk refused, an answer out of its check-in."""

    @app.exception_handler(MissingExtra)
    async def not_installed(request: Request, err: MissingExtra) -> Any:
        """An optional part (PDF output, say) is not installed here: 501 saying which."""
        return _reply(request, 501, {"error": str(err)})

    @app.exception_handler(ListenRefused)
    async def not_heard(request: Request, err: ListenRefused) -> Any:
        """A listening chunk too big, too fast or one too many: its status, saying why."""
        reply = _reply(request, err.status, {"error": str(err)})
        if err.retry_after is not None:
            reply.headers["retry-after"] = err.retry_after
        return reply

    @app.exception_handler(NotACheckIn)
    async def not_now(request: Request, err: NotACheckIn) -> Any:
        """An answer outside a check-in: 409."""
        return _reply(request, 409, {"error": str(err)})


def _request_handlers(app: FastAPI) -> None:
    """Malformed requests and the framework's own errors, in the same shape."""

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> Any:
        """Malformed input: 422 naming each bad field."""
        return _reply(request, 422, validation_json(err))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, err: HTTPException) -> Any:
        """Framework errors (404, 405, ...) in the same shape."""
        reply = _reply(request, err.status_code, {"error": str(err.detail)})
        for name, value in (err.headers or {}).items():
            reply.headers[name] = value
        if err.status_code == 405:
            reply.headers["allow"] = ", ".join(_allowed(request))
        return reply


def _allowed(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette names only the first route's)."""
    from starlette.routing import Match

    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match != Match.NONE and getattr(route, "methods", None):
            methods |= set(route.methods)
    return sorted(methods)
