"""People: who gives and receives, with their standing preferences and conditions."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rubdown.core.names import NameRefused, person_name
from rubdown.store.db import Store
from rubdown.store.errors import Conflict, NotFound, StoreError
from rubdown.store.models import PersonRow
from rubdown.store.records import PRESSURES, PersonRecord


class _Unset:
    """Marks an edit argument that was not given (None means clear)."""


UNSET: Final = _Unset()

# Called with the would-be person before it is saved; raising keeps the old one.
Check = Callable[[PersonRecord], None]


def name_key(name: str) -> str:
    """The form names are compared in: "Ann", "ann " and "ANN" are one person."""
    return " ".join(name.split()).casefold()


def clean_name(name: str) -> str:
    """A display name by the one name rule (rubdown.core.names), or StoreError saying why not."""
    try:
        return person_name(name)
    except NameRefused as err:
        raise StoreError(str(err)) from None


def check_pressure(pressure: str | None) -> str | None:
    """Accept light|medium|firm (any case) or None."""
    if pressure is None:
        return None
    value = pressure.strip().lower()
    if value not in PRESSURES:
        raise StoreError(f"pressure must be one of {', '.join(PRESSURES)}, not {pressure!r}")
    return value


def merge(current: Sequence[str], add: Iterable[str] = (), remove: Iterable[str] = ()) -> list[str]:
    """current plus add minus remove, keeping order and dropping blanks and repeats."""
    seen = {r.strip().casefold() for r in remove}
    out: list[str] = []
    for item in [*current, *add]:
        tidy = item.strip()
        if tidy and tidy.casefold() not in seen:
            seen.add(tidy.casefold())
            out.append(tidy)
    return out


def refuse_missing(person: str, label: str, current: Sequence[str], remove: Iterable[str]) -> None:
    """StoreError for removing an item the list does not hold (ignoring case)."""
    held = {item.strip().casefold() for item in current}
    for item in remove:
        if item.strip() and item.strip().casefold() not in held:
            raise StoreError(f"{person} has no {label} {item.strip()!r} to remove")


def _change_list(row: PersonRow, field: str, label: str, add: list[str], remove: list[str]) -> None:
    """Add to and remove from one of the row's lists, refusing to remove what is not there."""
    current: list[str] = getattr(row, field)
    refuse_missing(row.name, label, [*current, *add], remove)
    setattr(row, field, merge(current, add, remove))


def to_record(row: PersonRow) -> PersonRecord:
    """Freeze a row."""
    return PersonRecord(
        id=row.id,
        name=row.name,
        pressure=row.pressure,
        conditions=tuple(row.conditions),
        focus=tuple(row.focus),
        avoid=tuple(row.avoid),
        created_at=row.created_at,
        screened_at=row.screened_at,
        screen_conditions=None if row.screen_conditions is None else tuple(row.screen_conditions),
        red_flags=tuple(row.red_flags or ()),
    )


def find_row(session: Session, name: str) -> PersonRow:
    """The person's row, or StoreError naming who is known."""
    row = session.scalar(select(PersonRow).where(PersonRow.name_key == name_key(name)))
    if row is not None:
        return row
    known = session.scalars(select(PersonRow.name).order_by(PersonRow.name_key)).all()
    if not known:
        raise NotFound(f"no one named {name!r}: nobody has been added yet")
    raise NotFound(f"no one named {name!r}; known people: {', '.join(known)}")


class PeopleRepo:
    """Add, look up, list and edit people."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self,
        name: str,
        pressure: str | None = None,
        conditions: Iterable[str] = (),
        focus: Iterable[str] = (),
        avoid: Iterable[str] = (),
        check: Check | None = None,
    ) -> PersonRecord:
        """Add a person; a name already taken (ignoring case) is a StoreError.

        check sees the person before it is saved and may refuse it by raising.
        """
        tidy = clean_name(name)
        row = PersonRow(
            name=tidy,
            name_key=name_key(tidy),
            pressure=check_pressure(pressure),
            conditions=merge([], conditions),
            focus=merge([], focus),
            avoid=merge([], avoid),
        )
        try:
            with self.store.write() as session:
                self._refuse_taken(session, tidy)
                session.add(row)
                session.flush()
                if check is not None:
                    check(to_record(row))
                return to_record(row)
        except IntegrityError:
            # Another process added the same name between our check and the insert.
            raise Conflict(f"a person named {tidy} already exists") from None

    def get(self, name: str) -> PersonRecord:
        """The person with this name (any case), or StoreError listing the known names."""
        with self.store.sessionmaker() as session:
            return to_record(find_row(session, name))

    def list(self) -> builtins.list[PersonRecord]:
        """Everyone, by name."""
        with self.store.sessionmaker() as session:
            rows = session.scalars(select(PersonRow).order_by(PersonRow.name_key))
            return [to_record(row) for row in rows]

    def edit(
        self,
        name: str,
        *,
        rename: str | None = None,
        pressure: str | _Unset | None = UNSET,
        add_conditions: Iterable[str] = (),
        remove_conditions: Iterable[str] = (),
        add_focus: Iterable[str] = (),
        remove_focus: Iterable[str] = (),
        add_avoid: Iterable[str] = (),
        remove_avoid: Iterable[str] = (),
        check: Check | None = None,
    ) -> PersonRecord:
        """Change a person; list fields take additions and removals, pressure=None clears.

        Removing an item the person does not have is a StoreError; check sees the changed
        person before it is saved and may refuse it by raising.
        """
        with self.store.write() as session:
            row = find_row(session, name)
            if rename is not None and name_key(rename) != row.name_key:
                self._refuse_taken(session, rename)
            changes = (
                ("conditions", "condition", add_conditions, remove_conditions),
                ("focus", "focus region", add_focus, remove_focus),
                ("avoid", "region to avoid", add_avoid, remove_avoid),
            )
            for field, label, add, remove in changes:
                _change_list(row, field, label, list(add), list(remove))
            if rename is not None:
                row.name = clean_name(rename)
                row.name_key = name_key(row.name)
            if not isinstance(pressure, _Unset):
                row.pressure = check_pressure(pressure)
            session.flush()
            if check is not None:
                check(to_record(row))
            return to_record(row)

    def record_screen(self, name: str, flags: Iterable[str], at: datetime) -> PersonRecord:
        """Store a red-flag screen's answers: any flag raised, and the conditions it covered."""
        with self.store.sessionmaker.begin() as session:
            row = find_row(session, name)
            row.screened_at = at
            row.screen_conditions = list(row.conditions)
            row.red_flags = list(flags)
            session.flush()
            return to_record(row)

    @staticmethod
    def _refuse_taken(session: Session, name: str) -> None:
        """StoreError if someone already has this name (ignoring case)."""
        taken = session.scalar(select(PersonRow.name).where(PersonRow.name_key == name_key(name)))
        if taken is not None:
            raise Conflict(f"a person named {taken} already exists")
