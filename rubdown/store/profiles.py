"""A receiver's planning profile: what is stored about them, today's wishes and what was learned."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from rubdown.core.models import Catalogue, Profile
from rubdown.store.records import PersonRecord

if TYPE_CHECKING:
    from rubdown.store.db import Store


def _joined(stored: Iterable[str], given: Iterable[str]) -> tuple[str, ...]:
    """stored then given, without repeats, in order."""
    return tuple(dict.fromkeys([*stored, *given]))


Learned = tuple[tuple[tuple[str, int], ...], tuple[str, ...], tuple[str, ...]]


def _learned(store: Store, name: str, pressure: str | None) -> Learned:
    """(per-region pressure, favourites, notes) from past sessions; today's pressure wins."""
    from rubdown.store.preferences import learned_preferences

    learned = learned_preferences(store, name)
    region_pressure = tuple(sorted(learned.region_pressure.items()))
    kept = learned.notes
    override = pressure is not None and bool(region_pressure)
    if override:
        about_pressure = tuple(f"{region} pressure " for region, _ in region_pressure)
        kept = tuple(n for n in kept if not n.startswith(about_pressure))
    notes = [f"Learned from {name}'s past sessions: {note}." for note in kept]
    if override:
        notes.append(f"Pressure '{pressure}' asked for today, instead of the learned pressures.")
        region_pressure = ()
    return region_pressure, learned.favourite_techniques, tuple(notes)


def profile_for(
    store: Store | None,
    receiver: str | None,
    *,
    pressure: str | None = None,
    focus: Iterable[str] = (),
    avoid: Iterable[str] = (),
    conditions: Iterable[str] = (),
) -> Profile:
    """The receiver's stored profile plus command-line values plus learned preferences."""
    # Command-line lists add to the stored ones. A command-line pressure is today's explicit
    # wish, so it overrides both the stored pressure word and the learned per-region pressures.
    if store is None or receiver is None:
        return Profile(
            pressure=pressure,
            focus=tuple(dict.fromkeys(focus)),
            avoid=tuple(dict.fromkeys(avoid)),
            conditions=tuple(dict.fromkeys(conditions)),
        )
    from rubdown.store.people import PeopleRepo

    person = PeopleRepo(store).get(receiver)
    region_pressure, favourites, notes = _learned(store, person.name, pressure)
    return Profile(
        pressure=pressure or person.pressure,
        focus=_joined(person.focus, focus),
        avoid=_joined(person.avoid, avoid),
        conditions=_joined(person.conditions, conditions),
        learned_pressure=region_pressure,
        favourites=favourites,
        learned_notes=notes,
    )


def profile_checker(cat: Catalogue) -> Callable[[PersonRecord], None]:
    """A check that refuses a profile the planner could never plan for (exit 2, with why)."""

    def check(person: PersonRecord) -> None:
        """PlanError unless the person's profile gives safety limits; refusals are fine."""
        from rubdown.core.models import PlanError, Profile, Refusal
        from rubdown.core.safety import safety_limits

        both = [region for region in person.focus if region in person.avoid]
        if both:
            raise PlanError(
                f"'{both[0]}' cannot be both a focus and an area to avoid: choose one", ()
            )
        conditions = list(person.conditions)
        while True:
            profile = Profile(
                pressure=person.pressure,
                focus=person.focus,
                avoid=person.avoid,
                conditions=tuple(conditions),
            )
            try:
                safety_limits(cat, profile)
                return
            except Refusal as refusal:
                # No massage while it lasts is worth storing; look past it for other problems.
                if refusal.condition not in conditions:
                    return
                conditions.remove(refusal.condition)

    return check


def screen_gate(store: Store | None, receiver: str | None) -> None:
    """Before a session for a stored person: a stored red flag refuses, a due screen waits."""
    if store is None or receiver is None:
        return
    from rubdown.core.screen import gate
    from rubdown.store.people import PeopleRepo

    person = PeopleRepo(store).get(receiver)
    gate(person.name, person.screen_conditions, person.red_flags, person.conditions)


def answer_screen(
    store: Store | None, person: str | None, answers: Mapping[str, bool], at: datetime
) -> None:
    """Check the red-flag answers, store them on the person, and refuse on any yes."""
    from rubdown.core.screen import raised, refuse_if_raised
    from rubdown.store.people import PeopleRepo

    flags = [f.id for f in raised(answers)]
    if store is not None and person is not None:
        PeopleRepo(store).record_screen(person, flags, at)
    refuse_if_raised(flags)
