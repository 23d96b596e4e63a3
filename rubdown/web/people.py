"""People, turns and history for the web edge: small functions over rubdown.store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rubdown.store.errors import StoreError
from rubdown.store.people import UNSET
from rubdown.store.profiles import profile_checker
from rubdown.store.records import PersonRecord, TurnAnswer
from rubdown.store.repos import PeopleRepo, SessionsRepo
from rubdown.store.turns import whose_turn
from rubdown.web.planning import check_person_ids

if TYPE_CHECKING:
    from rubdown.web.schemas import PersonIn, PersonPatch
    from rubdown.web.state import WebState


def add_person(state: WebState, body: PersonIn) -> PersonRecord:
    """Add someone after checking their regions and conditions exist."""
    check_person_ids(state.cat, body.conditions, body.focus, body.avoid)
    return PeopleRepo(state.store).add(
        body.name,
        body.pressure,
        body.conditions,
        body.focus,
        body.avoid,
        check=profile_checker(state.cat),
    )


def _diff(current: tuple[str, ...], wanted: list[str] | None) -> tuple[list[str], list[str]]:
    """(add, remove) turning current into wanted; nothing when wanted is None."""
    if wanted is None:
        return [], []
    return [w for w in wanted if w not in current], [c for c in current if c not in wanted]


def edit_person(state: WebState, name: str, body: PersonPatch) -> PersonRecord:
    """Apply a patch: given lists replace the stored ones; pressure null clears it."""
    repo = PeopleRepo(state.store)
    current = repo.get(name)
    check_person_ids(state.cat, body.conditions or [], body.focus or [], body.avoid or [])
    conditions = _diff(current.conditions, body.conditions)
    focus, avoid = _diff(current.focus, body.focus), _diff(current.avoid, body.avoid)
    pressure = body.pressure if "pressure" in body.model_fields_set else UNSET
    return repo.edit(
        name,
        rename=body.rename,
        pressure=pressure,
        add_conditions=conditions[0],
        remove_conditions=conditions[1],
        add_focus=focus[0],
        remove_focus=focus[1],
        add_avoid=avoid[0],
        remove_avoid=avoid[1],
        check=profile_checker(state.cat),
    )


def couple(state: WebState) -> tuple[str, str] | None:
    """The two people turns are about: those of the latest session, else the first two."""
    people = [p.name for p in PeopleRepo(state.store).list()]
    for record in SessionsRepo(state.store).history(limit=10):
        if record.giver and record.receiver and record.giver != record.receiver:
            return record.giver, record.receiver
    return (people[0], people[1]) if len(people) >= 2 else None


def turn(state: WebState, a: str | None = None, b: str | None = None) -> TurnAnswer | None:
    """Whose turn it is between a and b (default: the usual couple)."""
    pair = (a, b) if a and b else couple(state)
    if pair is None:
        return None
    try:
        return whose_turn(state.store, *pair)
    except StoreError:
        if a and b:
            raise
        return None
