"""JSON Schema for routine files, so editors can complete and check them."""

from __future__ import annotations

from typing import Any

from rubdown.core.models import Catalogue

ID = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}


def _step_schema(cat: Catalogue) -> dict[str, Any]:
    """The schema of one routine step."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["technique", "region"],
        "properties": {
            "technique": {"enum": sorted(cat.techniques), "description": "technique id"},
            "region": {
                "enum": sorted(cat.regions),
                "description": "one of the technique's regions",
            },
            "reps": {
                "type": "integer",
                "minimum": 1,
                "maximum": 200,
                "description": "suggested repetitions (the planner scales them to fit)",
            },
            "pressure": {
                "type": "integer",
                "minimum": 1,
                "maximum": 10,
                "description": "suggested pressure, 1 (feather) to 10",
            },
            "position": {
                "enum": sorted(cat.positions),
                "description": "move to another position from this step on",
            },
        },
    }


def routine_schema(cat: Catalogue) -> dict[str, Any]:
    """The schema of one routine file, with the known ids as enumerations."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://rubdown.local/schema/routine.json",
        "title": "rubdown routine",
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name", "position", "minutes", "steps"],
        "properties": {
            "id": {**ID, "description": "lowercase words joined by '-'"},
            "name": {"type": "string", "minLength": 1},
            "position": {"enum": sorted(cat.positions)},
            "minutes": {"type": "integer", "minimum": 5, "maximum": 90},
            "description": {"type": "string"},
            "steps": {"type": "array", "minItems": 1, "items": _step_schema(cat)},
        },
    }
