"""Pages: history and stats, and people's profiles (plain forms, no script needed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rubdown.core.models import PlanError
from rubdown.store.errors import StoreError
from rubdown.store.repos import PeopleRepo, SessionsRepo
from rubdown.store.turns import stats
from rubdown.web import downloads
from rubdown.web.charts import weekly_chart
from rubdown.web.forms import FormError, person_in, person_patch
from rubdown.web.people import add_person, couple, edit_person
from rubdown.web.planning import choices
from rubdown.web.routes.pages import render
from rubdown.web.state import State, WebState
from rubdown.web.views import person_json, session_json

router = APIRouter(include_in_schema=False)
CHART_WEEKS = 8


@router.get("/history", response_class=HTMLResponse)
def history(request: Request, state: State) -> HTMLResponse:
    """Sessions, ratings, the balance between partners and a chart of the last weeks."""
    numbers = stats(state.store, CHART_WEEKS)
    sessions = [session_json(r) for r in SessionsRepo(state.store).history(limit=50)]
    return render(
        request,
        "history.html",
        page="history",
        sessions=sessions,
        stats=numbers,
        chart=weekly_chart(numbers),
    )


def _people_page(
    request: Request, state: WebState, status: int = 200, **extra: Any
) -> HTMLResponse:
    people = [person_json(p) for p in PeopleRepo(state.store).list()]
    return render(
        request,
        "people.html",
        status,
        page="people",
        people=people,
        choices=choices(state.cat),
        couple=couple(state),
        downloads=downloads.available(),
        **extra,
    )


@router.get("/people", response_class=HTMLResponse)
def people(request: Request, state: State) -> HTMLResponse:
    """Everyone with their preferences and conditions, and forms to change them."""
    return _people_page(request, state)


@router.post("/people", response_model=None)
async def add_from_form(request: Request, state: State) -> Response:
    """Add a person, then show the list again."""
    # Closing the form frees any file a client sent (refused, but spooled).
    async with request.form() as form:
        try:
            person = add_person(state, person_in(form))
        except (FormError, PlanError, StoreError) as err:
            # The form comes back as it was typed, with the problem said plainly above it.
            return _people_page(request, state, 400, error=_message(err), typed=_typed(form))
        return RedirectResponse(f"/people?saved={person.name}", status_code=303)


@router.post("/people/{name}", response_model=None)
async def edit_from_form(name: str, request: Request, state: State) -> Response:
    """Save a person's edit form."""
    # Closing the form frees any file a client sent (refused, but spooled).
    async with request.form() as form:
        try:
            person = edit_person(state, name, person_patch(form))
        except (FormError, PlanError, StoreError) as err:
            return _people_page(
                request, state, 400, error=_message(err), edited=name, typed=_typed(form)
            )
        return RedirectResponse(f"/people?saved={person.name}", status_code=303)


def _typed(form: Any) -> dict[str, Any]:
    """What was submitted, to fill the form in again after an error."""
    return {
        "name": form.get("name") or "",
        "rename": form.get("rename"),
        "pressure": form.get("pressure") or None,
        **{key: list(form.getlist(key)) for key in ("conditions", "focus", "avoid")},
    }


# Phrases meant for the command line, and what a form should say instead.
CLI_HINTS = {
    "--avoid": "That health condition needs the injured or sore area ticked under "
    "'Leave out', so the plan keeps off it.",
}


def _message(err: Exception) -> str:
    """The sentence to show for a form error: plain words, no command-line hints or id lists."""
    text = err.message if isinstance(err, PlanError) else str(err)
    for hint, sentence in CLI_HINTS.items():
        if hint in text:
            return sentence
    return text
