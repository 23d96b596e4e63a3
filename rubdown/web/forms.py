"""HTML form input (query strings and posted forms) turned into the API's pydantic models."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from rubdown.web.schemas import PersonIn, PersonPatch, PlanIn

M = TypeVar("M", bound=BaseModel)
PLAN_LISTS = ("focus", "avoid", "conditions")
PLAN_FIELDS = (
    "minutes", "position", "routine", "pressure", "vary", "calibrate", "giver", "receiver"
)  # fmt: skip
WHOLE_NUMBERS = frozenset({"minutes", "vary"})
FLAGS = frozenset({"calibrate"})
FLAG_WORDS = {"true": True, "on": True, "1": True, "false": False, "off": False, "0": False}


class FormError(ValueError):
    """Form input that does not validate, with a sentence fit for the page."""


def _values(form: Any, scalars: tuple[str, ...], lists: tuple[str, ...]) -> dict[str, Any]:
    """Non-empty scalars and de-duplicated lists from a multi-dict (text only, never files)."""
    if any(not isinstance(value, str) for _, value in form.multi_items()):
        raise FormError("This form takes typed answers only, not files.")
    out: dict[str, Any] = {}
    for name in scalars:
        value = (form.get(name) or "").strip()
        if value:
            out[name] = _number(value) if name in WHOLE_NUMBERS else value
            if name in FLAGS:
                # A ticked box posts text; the models take JSON true/false strictly.
                out[name] = FLAG_WORDS.get(value.lower(), value)
    for name in lists:
        out[name] = list(dict.fromkeys(v for v in form.getlist(name) if v))
    return out


def _number(text: str) -> int | str:
    """A form's digits as a whole number (the models take numbers strictly); else the text."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else text


def _validate(model: type[M], data: Mapping[str, Any]) -> M:
    """The model, or FormError naming each bad field."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as err:
        raise FormError(" ".join(_sentence(e) for e in err.errors())) from None


# Field names as a person would say them.
FIELD_WORDS = {"name": "name", "rename": "name", "minutes": "length", "pressure": "pressure"}


def _sentence(error: Any) -> str:
    """One pydantic error as a plain sentence ("Please enter a name.")."""
    field = str(error["loc"][0]) if error["loc"] else "form"
    word = FIELD_WORDS.get(field, field.replace("_", " "))
    if error["type"] in ("missing", "string_too_short"):
        return f"Please enter a {word}."
    if error["type"] == "string_too_long":
        return f"The {word} is too long."
    if error["type"] == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
        if word == "name":
            return message[0].upper() + message[1:] + "."
        return f"The {word}: {message}."
    return _bound_sentence(word, field, error)


UNITS = {"minutes": " minutes"}
BOUNDS = {
    "greater_than_equal": ("ge", "at least"),
    "greater_than": ("gt", "more than"),
    "less_than_equal": ("le", "at most"),
    "less_than": ("lt", "less than"),
}


def _bound_sentence(word: str, field: str, error: Any) -> str:
    """Numbers out of range or not numbers, as a person would say it."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in BOUNDS:
        key, phrase = BOUNDS[kind]
        return f"The {word} must be {phrase} {ctx.get(key)}{UNITS.get(field, '')}."
    if kind in ("int_parsing", "int_from_float", "float_parsing"):
        return f"The {word} must be a whole number."
    if kind == "literal_error":
        return f"The {word} must be one of {ctx.get('expected', 'the choices offered')}."
    return f"The {word} is not one rubdown can use."


def plan_in(form: Any) -> PlanIn:
    """Plan choices from the plan form."""
    return _validate(PlanIn, _values(form, PLAN_FIELDS, PLAN_LISTS))


def person_in(form: Any) -> PersonIn:
    """A new person from the add form."""
    return _validate(PersonIn, _values(form, ("name", "pressure"), PLAN_LISTS))


def person_patch(form: Any) -> PersonPatch:
    """Changes from a person's edit form: every list is replaced, blank pressure clears."""
    data = _values(form, ("rename",), PLAN_LISTS)
    data["pressure"] = (form.get("pressure") or "").strip() or None
    return _validate(PersonPatch, data)


def plan_query(body: PlanIn) -> list[tuple[str, str]]:
    """The plan choices as form fields again (to carry them into the start form)."""
    values = [(name, getattr(body, name)) for name in PLAN_FIELDS]
    # An unticked box is no field at all, as the browser sends it.
    pairs = [(n, str(v)) for n, v in values if v is not None and v != "" and v is not False]
    return pairs + [(name, v) for name in PLAN_LISTS for v in getattr(body, name)]
