"""Pages: home, plan, player and remote (server-rendered; scripts only add live behaviour)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rubdown.core.models import PlanError, Refusal
from rubdown.core.planjson import plan_from_json, plan_to_json
from rubdown.core.screen import ScreenNeeded
from rubdown.store.errors import StoreError
from rubdown.store.repos import PeopleRepo, SessionsRepo
from rubdown.web import downloads
from rubdown.web.forms import FormError, plan_in, plan_query
from rubdown.web.getready import ready_steps
from rubdown.web.pairing import remote_link
from rubdown.web.people import turn
from rubdown.web.planning import choices, make_plan, start_session
from rubdown.web.present import (
    arrow_anchors,
    bodymap_markup,
    map_views,
    motion_maps,
    plan_rows,
    plan_summary,
)
from rubdown.web.schemas import PlanIn, SessionId
from rubdown.web.state import State, WebState, get_state
from rubdown.web.views import person_json, session_json

router = APIRouter(include_in_schema=False)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A template rendered with the app's globals."""
    state = get_state(request)
    response: HTMLResponse = state.templates.TemplateResponse(
        request, name, {"lan": state.lan_token is not None, **context}, status_code=status
    )
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, state: State) -> HTMLResponse:
    """Whose turn it is, the last sessions, and a big Start."""
    recent = [session_json(r) for r in SessionsRepo(state.store).history(limit=5)]
    unfinished = next(
        (
            s
            for s in recent[:1]
            if s["status"] in ("running", "interrupted") and s["done_seconds"] > 0
        ),
        None,
    )
    return render(
        request,
        "home.html",
        page="home",
        turn=turn(state),
        recent=recent,
        unfinished=unfinished,
        people=PeopleRepo(state.store).list(),
    )


def _plan_context(state: WebState, body: PlanIn | None) -> dict[str, Any]:
    """The form's choices and the receiver's stored profile."""
    people = [person_json(p) for p in PeopleRepo(state.store).list()]
    stored = next(
        (
            p
            for p in people
            if body and body.receiver and p["name"].casefold() == body.receiver.casefold()
        ),
        None,
    )
    return {
        "page": "plan",
        "choices": choices(state.cat),
        "people": people,
        "stored": stored,
        "form": body or PlanIn(),
        "bodymap": bodymap_markup(),
        "bodymap_front": bodymap_markup("front"),
        "downloads": downloads.available(),
    }


def _preview(state: WebState, body: PlanIn) -> tuple[int, dict[str, Any]]:
    """The plan, or why there is none, as template context."""
    try:
        plan = make_plan(state, body)
    except Refusal as err:
        return 409, {"refusal": err}
    except PlanError as err:
        return 400, {"error": err.message, "error_choices": err.choices}
    except StoreError as err:
        return 400, {"error": str(err)}
    return 200, {
        "plan": plan,
        # The steps' motions, for the preview a tap on a step opens.
        "plan_json": plan_to_json(plan),
        "preview_map": motion_maps("preview-"),
        "rows": plan_rows(plan),
        "summary": plan_summary(plan, state.cat),
        "carry": plan_query(body),
        "links": downloads.links_for(plan_query(body)),
    }


@router.get("/plan", response_class=HTMLResponse)
def plan_page(request: Request, state: State) -> HTMLResponse:
    """The plan form; with choices in the query, also the plan they give."""
    query = request.query_params
    try:
        body = plan_in(query)
    except FormError as err:
        return render(request, "plan.html", 422, **_plan_context(state, None), error=str(err))
    context = _plan_context(state, body)
    status = 200
    # keep=1: the form reloaded for another receiver, with its choices kept but not planned yet.
    if ("minutes" in query or "routine" in query) and "keep" not in query:
        status, preview = _preview(state, body)
        context.update(preview)
    return render(request, "plan.html", status, **context)


@router.post("/sessions", response_model=None)
async def start_from_form(request: Request, state: State) -> Response:
    """Start the planned session and open the player."""
    # Closing the form frees any file a client sent (refused, but spooled).
    async with request.form() as form:
        try:
            body = plan_in(form)
            session_id, _ = start_session(state, body)
        except FormError as err:
            return render(request, "plan.html", 422, **_plan_context(state, None), error=str(err))
        except ScreenNeeded as err:
            from rubdown.web.routes.screen import screen_url

            back = f"/plan?{urlencode(plan_query(body))}#result"
            return RedirectResponse(screen_url(err.person, back), 303)
        except (PlanError, StoreError):
            status, preview = _preview(state, body)
            return render(request, "plan.html", status, **_plan_context(state, body), **preview)
        return RedirectResponse(f"/play/{session_id}", status_code=303)


@router.get("/play/{session_id}", response_class=HTMLResponse)
def player(session_id: SessionId, request: Request, state: State) -> HTMLResponse:
    """The full-screen guided player."""
    record = SessionsRepo(state.store).get(session_id)
    return render(
        request,
        "play.html",
        page="play",
        session=session_json(record),
        ready=ready_steps(state.cat, plan_from_json(record.plan)),
        bodymap=bodymap_markup(),
        bodymap_front=bodymap_markup("front"),
        anchors=arrow_anchors(),
        front_anchors=arrow_anchors("front"),
        views=map_views(state.cat),
        remote_url=remote_link(state, request, session_id),
    )


@router.get("/remote/{session_id}", response_class=HTMLResponse)
def remote(session_id: SessionId, request: Request, state: State) -> HTMLResponse:
    """The receiver's four big buttons."""
    record = SessionsRepo(state.store).get(session_id)
    return render(request, "remote.html", page="remote", session=session_json(record))
