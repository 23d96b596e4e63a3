"""The red-flag screen on the web: the questions, answered as JSON or on a page, stored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rubdown.core.screen import RED_FLAGS, ScreenError, ScreenRefusal
from rubdown.store.profiles import answer_screen
from rubdown.store.repos import PeopleRepo
from rubdown.web.routes.pages import render
from rubdown.web.schemas import ScreenIn
from rubdown.web.security import local_path
from rubdown.web.state import State
from rubdown.web.views import person_json

router = APIRouter(tags=["people and history"])
REFUSED: dict[int | str, dict[str, Any]] = {
    409: {"description": "A red flag: no massage, with what to do now."},
    404: {"description": "No one by that name."},
}


def questions() -> list[dict[str, Any]]:
    """The screening questions, in the order they are asked."""
    return [{"id": f.id, "question": f.question, "emergency": f.emergency} for f in RED_FLAGS]


def screen_url(person: str, after: str | None = None) -> str:
    """Where a person's screen is answered, and where to go once it is clear."""
    url = f"/screen/{quote(person, safe='')}"
    return f"{url}?next={quote(after, safe='')}" if after else url


@router.get("/api/screen", summary="The red-flag questions")
def get_questions() -> list[dict[str, Any]]:
    """Asked before a person's first session and whenever their conditions change."""
    return questions()


@router.post("/api/people/{name}/screen", summary="Answer the red-flag screen", responses=REFUSED)
def post_screen(name: str, body: ScreenIn, state: State) -> dict[str, Any]:
    """Store the answers; any yes is a 409 with what to do (and sessions wait until clear)."""
    PeopleRepo(state.store).get(name)
    answer_screen(state.store, name, body.answers, datetime.now(UTC))
    return {"clear": True, "person": person_json(PeopleRepo(state.store).get(name))}


@router.get("/screen/{name}", response_class=HTMLResponse, include_in_schema=False)
def screen_page(name: str, request: Request, state: State) -> HTMLResponse:
    """The questions as a plain form."""
    person = PeopleRepo(state.store).get(name)
    after = local_path(request.query_params.get("next"), "/plan")
    return render(
        request, "screen.html", page="people", person=person, questions=questions(), next=after
    )


@router.post("/screen/{name}", response_model=None, include_in_schema=False)
async def screen_from_form(name: str, request: Request, state: State) -> Response:
    """Store the form's answers; clear goes on to `next`, a red flag shows what to do (409)."""
    person = PeopleRepo(state.store).get(name)
    form = await request.form()
    after = local_path(str(form.get("next") or ""), "/plan")
    answers = {f.id: form.get(f.id) == "yes" for f in RED_FLAGS if form.get(f.id) in ("yes", "no")}
    context = {"page": "people", "person": person, "questions": questions(), "next": after}
    try:
        answer_screen(state.store, person.name, answers, datetime.now(UTC))
    except ScreenError as err:
        return render(request, "screen.html", 422, **context, error=err.message, given=answers)
    except ScreenRefusal as err:
        return render(request, "screen.html", 409, **context, refusal=err)
    return RedirectResponse(after, status_code=303)
