"""The OpenAPI document as the server really behaves: error shapes, statuses, media, choices."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi.openapi.utils import get_openapi

if TYPE_CHECKING:
    from fastapi import FastAPI

    from rubdown.core.models import Catalogue

ERROR_REF = {"$ref": "#/components/schemas/Error"}
# Every error answer, 422 included, has this shape (rubdown.web.errors builds it).
ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string", "description": "What is wrong, in one sentence."},
        "detail": {
            "type": "array",
            "description": "For 422: each bad field and what is wrong with it.",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "choices": {"type": "array", "items": {"type": "string"}},
    },
}
REFUSAL_SCHEMA: dict[str, Any] = {
    "title": "Refusal",
    "type": "object",
    "properties": {
        "refused": {"type": "boolean"},
        "reason": {"type": "string"},
        "instead": {"type": "string"},
        "condition": {"type": ["string", "null"]},
        "error": {"type": "string"},
    },
}
STATUSES = {
    "400": "The request cannot be carried out (an unknown choice, say): the error says why.",
    "403": "Refused: the change came from another site, or a remote reached beyond its session.",
    "404": "No such thing (person, session, cue).",
    "409": "Refused for safety, or it clashes with what is stored (a name taken, a session over).",
    "422": "Malformed input: each bad field named.",
    "503": "The disk is full or the database read-only: nothing was lost; try again later.",
}
BINARY = {"schema": {"type": "string", "format": "binary"}}
EVENTS = {
    "schema": {
        "type": "object",
        "properties": {"event": {"type": "string"}, "data": {"type": "string"}},
        "description": "Each event's data is a JSON message (state, change, presence, end).",
    }
}
MEDIA = {
    "/api/cues/{key}.wav": ("audio/wav",),
    "/api/ticks/{kind}.wav": ("audio/wav",),
    "/api/background/{kind}.wav": ("audio/wav",),
    "/api/sessions/{session_id}/pair.svg": ("image/svg+xml",),
    "/downloads/prep.ics": ("text/calendar",),
    "/downloads/schedule.ics": ("text/calendar",),
    "/downloads/sheet.{fmt}": ("application/pdf", "text/html"),
}
UNSAFE = ("post", "put", "patch", "delete")


def install_contract(app: FastAPI, cat: Catalogue) -> None:
    """Make app.openapi() return the corrected document (built once)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            correct(doc, cat)
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def correct(doc: dict[str, Any], cat: Catalogue) -> None:
    """Error shapes, every status an operation can answer, media types, catalogue choices."""
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Error"], schemas["Refusal"] = ERROR_SCHEMA, REFUSAL_SCHEMA
    for path, operations in doc.get("paths", {}).items():
        for method, operation in operations.items():
            _statuses(path, method, operation)
            if path in MEDIA:
                operation["responses"]["200"]["content"] = {m: BINARY for m in MEDIA[path]}
            if path.endswith("/stream"):
                operation["responses"]["200"]["content"] = {"text/event-stream": EVENTS}
    _choices(schemas, cat)


def _statuses(path: str, method: str, operation: dict[str, Any]) -> None:
    """Document each status this operation can answer, all with the Error shape."""
    responses = operation.setdefault("responses", {})
    # 404 also for a person named in a body or query who is not stored.
    wanted = ["400", "404", "422", "503"]
    if method in UNSAFE:
        wanted += ["403", "409"]
    if path == "/downloads/sheet.{fmt}":
        responses["501"] = _error("PDF output is not installed here (the 'pdf' extra).")
    for status in wanted:
        responses.setdefault(status, {"description": STATUSES[status]})
    for status, response in responses.items():
        if status.startswith(("4", "5")):
            shape = (
                {"anyOf": [ERROR_REF, {"$ref": "#/components/schemas/Refusal"}]}
                if status == "409"
                else ERROR_REF
            )
            response["content"] = {"application/json": {"schema": shape}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


def _choices(schemas: dict[str, Any], cat: Catalogue) -> None:
    """Fields that name catalogue entries list them, so a client knows the valid values."""
    regions, conditions = sorted(cat.regions), sorted(cat.conditions)
    lists = {"focus": regions, "avoid": regions, "conditions": conditions}
    for model in ("PlanIn", "PersonIn", "PersonPatch"):
        props = schemas.get(model, {}).get("properties", {})
        for name, values in lists.items():
            if name in props:
                _walk(props[name], lambda s, v=values: _enum_items(s, v))  # type: ignore[misc]
    plan = schemas.get("PlanIn", {}).get("properties", {})
    if "position" in plan:
        plan["position"]["enum"] = ["any", *sorted(cat.positions)]
    if "routine" in plan:
        plan["routine"] = {
            "anyOf": [{"type": "string", "enum": sorted(cat.routines)}, {"type": "null"}],
            "description": "Follow a routine (its minutes unless given).",
        }


def _walk(schema: dict[str, Any], visit: Callable[[dict[str, Any]], None]) -> None:
    visit(schema)
    for part in schema.get("anyOf", []):
        _walk(part, visit)


def _enum_items(schema: dict[str, Any], values: list[str]) -> None:
    if schema.get("type") == "array":
        schema["items"] = {"type": "string", "enum": values}
