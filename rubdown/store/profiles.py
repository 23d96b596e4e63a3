"""A receiver's planning profile: what is stored about them, today's wishes and what was learned."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rubdown.core.models import Profile

if TYPE_CHECKING:
    from rubdown.store.db import Store


def _joined(stored: Iterable[str], given: Iterable[str]) -> tuple[str, ...]:
    """stored then given, without repeats, in order."""
    return tuple(dict.fromkeys([*stored, *given]))


def profile_for(
    store: Store | None,
    receiver: str | None,
    *,
    pressure: str | None = None,
    focus: Iterable[str] = (),
    avoid: Iterable[str] = (),
    conditions: Iterable[str] = (),
) -> Profile:
    """The receiver's stored profile merged with command-line values and learned preferences.

    Command-line lists add to the stored ones; a command-line pressure overrides the stored
    pressure word and also the learned per-region pressures, since it is today's explicit wish.
    With no receiver (or no store) only the command-line values are used.
    """
    if store is None or receiver is None:
        return Profile(
            pressure=pressure,
            focus=tuple(dict.fromkeys(focus)),
            avoid=tuple(dict.fromkeys(avoid)),
            conditions=tuple(dict.fromkeys(conditions)),
        )
    from rubdown.store.people import PeopleRepo
    from rubdown.store.preferences import learned_preferences

    person = PeopleRepo(store).get(receiver)
    learned = learned_preferences(store, person.name)
    region_pressure = tuple(sorted(learned.region_pressure.items()))
    kept = learned.notes
    if pressure is not None and region_pressure:
        about_pressure = tuple(f"{region} pressure " for region, _ in region_pressure)
        kept = tuple(n for n in kept if not n.startswith(about_pressure))
    notes = [f"Learned from {person.name}'s past sessions: {note}." for note in kept]
    if pressure is not None and region_pressure:
        notes.append(f"Pressure '{pressure}' asked for today, instead of the learned pressures.")
        region_pressure = ()
    return Profile(
        pressure=pressure or person.pressure,
        focus=_joined(person.focus, focus),
        avoid=_joined(person.avoid, avoid),
        conditions=_joined(person.conditions, conditions),
        learned_pressure=region_pressure,
        favourites=learned.favourite_techniques,
        learned_notes=tuple(notes),
    )
