"""People: add, look up, list, edit, and the errors people see."""

from __future__ import annotations

import pytest

from rubdown.store import StoreError
from rubdown.store.repos import PeopleRepo


def test_added_person_is_found_by_any_case(people: PeopleRepo) -> None:
    added = people.add("Cleo", pressure="Light", conditions=["pregnancy"], focus=["feet"])
    found = people.get("  cLEO ")
    assert found == added
    assert (found.pressure, found.conditions, found.focus, found.avoid) == (
        "light",
        ("pregnancy",),
        ("feet",),
        (),
    )


@pytest.mark.parametrize("name", ["Ann", "ann", "ANN", "Ann  "])
def test_a_taken_name_is_refused_whatever_its_case(people: PeopleRepo, name: str) -> None:
    with pytest.raises(StoreError, match="a person named Ann already exists"):
        people.add(name)


def test_unknown_name_lists_the_known_people(people: PeopleRepo) -> None:
    with pytest.raises(StoreError, match="no one named 'Zed'; known people: Ann, Bo"):
        people.get("Zed")


def test_unknown_name_with_nobody_added_says_so(store: object) -> None:
    from rubdown.store.db import Store

    assert isinstance(store, Store)
    with pytest.raises(StoreError, match="nobody has been added yet"):
        PeopleRepo(store).get("Zed")


def test_list_is_sorted_by_name_ignoring_case(people: PeopleRepo) -> None:
    people.add("alex")
    assert [p.name for p in people.list()] == ["alex", "Ann", "Bo"]


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"add_conditions": ["slipped-disc", "slipped-disc"]}, "conditions", ("slipped-disc",)),
        ({"add_focus": ["neck", "feet"], "remove_focus": ["NECK"]}, "focus", ("feet",)),
        ({"add_avoid": ["spine"]}, "avoid", ("spine",)),
        ({"pressure": "firm"}, "pressure", "firm"),
        ({"pressure": None}, "pressure", None),
        ({}, "pressure", "medium"),
    ],
)
def test_edit_adds_and_removes_list_items_and_sets_pressure(
    people: PeopleRepo, changes: dict[str, object], field: str, expected: object
) -> None:
    edited = people.edit("ann", **changes)  # type: ignore[arg-type]
    assert getattr(edited, field) == expected
    assert getattr(people.get("Ann"), field) == expected


def test_edit_removes_what_was_added_before(people: PeopleRepo) -> None:
    people.edit("Ann", add_conditions=["pregnancy", "varicose-veins"])
    edited = people.edit("Ann", remove_conditions=["pregnancy"])
    assert edited.conditions == ("varicose-veins",)


def test_rename_to_a_taken_name_is_refused(people: PeopleRepo) -> None:
    with pytest.raises(StoreError, match="a person named Bo already exists"):
        people.edit("Ann", rename="bo")


def test_rename_to_a_new_case_of_the_same_name_is_allowed(people: PeopleRepo) -> None:
    assert people.edit("Ann", rename="ANN").name == "ANN"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "   "}, "needs a name"),
        ({"name": "x" * 81}, "at most 80"),
        ({"name": "Dee", "pressure": "hard"}, "pressure must be one of light, medium, firm"),
    ],
)
def test_bad_people_are_refused(people: PeopleRepo, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(StoreError, match=message):
        people.add(**kwargs)


def test_edit_of_an_unknown_person_lists_the_known_ones(people: PeopleRepo) -> None:
    with pytest.raises(StoreError, match="known people: Ann, Bo"):
        people.edit("Zed", pressure="firm")
