"""API: people and their profiles, whose turn it is, history and stats."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from rubdown.store.errors import StoreError
from rubdown.store.repos import PeopleRepo, SessionsRepo
from rubdown.store.turns import stats
from rubdown.web.people import add_person, edit_person, turn
from rubdown.web.schemas import PersonIn, PersonPatch
from rubdown.web.state import State, WebState
from rubdown.web.views import person_json, session_json, stats_json, turn_json

router = APIRouter(prefix="/api", tags=["people and history"])
Name = Annotated[str | None, Query(max_length=80)]
UNKNOWN: dict[int | str, dict[str, Any]] = {404: {"description": "No one by that name."}}


def _person_or_404(state: WebState, name: str) -> Any:
    try:
        return PeopleRepo(state.store).get(name)
    except StoreError as err:
        raise HTTPException(404, str(err)) from None


@router.get("/people", summary="Everyone, by name")
def list_people(state: State) -> list[dict[str, Any]]:
    """Every person with their profile."""
    return [person_json(p) for p in PeopleRepo(state.store).list()]


@router.post(
    "/people",
    status_code=201,
    summary="Add a person",
    responses={400: {"description": "Name taken, or unknown region or condition."}},
)
def post_person(body: PersonIn, state: State) -> dict[str, Any]:
    """Add someone who gives and receives."""
    return person_json(add_person(state, body))


@router.get("/people/{name}", summary="One person's profile", responses=UNKNOWN)
def get_person(name: str, state: State) -> dict[str, Any]:
    """A person's stored preferences and conditions."""
    return person_json(_person_or_404(state, name))


@router.patch("/people/{name}", summary="Change a person's profile", responses=UNKNOWN)
def patch_person(name: str, body: PersonPatch, state: State) -> dict[str, Any]:
    """Rename, set or clear pressure, replace lists of conditions, focus and avoid."""
    _person_or_404(state, name)
    return person_json(edit_person(state, name, body))


@router.get("/turn", summary="Whose turn it is to give")
def get_turn(state: State, a: Name = None, b: Name = None) -> dict[str, Any]:
    """The one who received last gives next (default pair: the latest session's)."""
    return turn_json(turn(state, a, b))


@router.get("/history", summary="The latest sessions, newest first")
def get_history(
    state: State, limit: Annotated[int, Query(ge=1, le=500)] = 20
) -> list[dict[str, Any]]:
    """Sessions with who, how long of how long planned, how they ended and the rating."""
    return [session_json(r) for r in SessionsRepo(state.store).history(limit)]


@router.get("/stats", summary="Minutes given and received, per person and per week")
def get_stats(state: State, weeks: Annotated[int, Query(ge=1, le=104)] = 8) -> dict[str, Any]:
    """Totals, the balance between partners, and a week-by-week table."""
    return stats_json(stats(state.store, weeks))
