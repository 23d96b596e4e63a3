"""The plan in force: the planned one, as every journalled change left it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rubdown.core.models import Plan
from rubdown.core.planjson import plan_from_json
from rubdown.store.records import EventRecord, SessionRecord


def plan_json_in_force(
    record: SessionRecord, events: Iterable[EventRecord]
) -> tuple[dict[str, Any], int]:
    """The plan JSON in force and its version (how many changes re-fitted it)."""
    # Each change that re-fitted the plan journals the whole new plan: the latest one wins.
    plan, version = record.plan, 0
    for event in events:
        if event.data and isinstance(event.data.get("plan"), dict):
            plan, version = event.data["plan"], version + 1
    return plan, version


def plan_in_force(record: SessionRecord, events: Iterable[EventRecord]) -> tuple[Plan, int]:
    """The plan in force as a Plan, and its version."""
    plan, version = plan_json_in_force(record, events)
    return plan_from_json(plan), version
