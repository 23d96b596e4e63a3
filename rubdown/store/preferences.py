"""What a receiver's past sessions say they like: pressure per region and favourite techniques."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from rubdown.store.db import Store
from rubdown.store.models import EventRow, FeedbackRow, SessionRow
from rubdown.store.people import find_row
from rubdown.store.plans import region_pressures, segment_region, segments
from rubdown.store.records import COUNTED_STATUSES, LearnedPreferences

PRESSURE_MIN = 1
PRESSURE_MAX = 7
# Where a region starts when it was pressed on but the plan gave no pressure for it.
PRESSURE_DEFAULT = 4
MAX_FAVOURITES = 3
VERDICT_STEP = {"too-firm": -1, "too-light": 1, "right": 0}
TIMES = {1: "once", 2: "twice"}


@dataclass
class Lesson:
    """What one session taught: its end pressure per region and why."""

    when: datetime
    pressure: dict[str, int] = field(default_factory=dict)
    presses: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    verdict: str | None = None
    favourite: str | None = None
    more_time: list[str] = field(default_factory=list)


def _clamp(value: int) -> int:
    """Keep a pressure inside the learned range."""
    return max(PRESSURE_MIN, min(PRESSURE_MAX, value))


def _event_region(event: EventRow, plan: dict[str, Any]) -> str | None:
    """The region an event was about, from the event or else its segment in the plan."""
    return event.region or segment_region(plan, event.segment_index)


def _event_technique(event: EventRow, plan: dict[str, Any]) -> str | None:
    """The technique an event was about, from the event or else its segment in the plan."""
    if event.technique:
        return event.technique
    parts = segments(plan)
    index = event.segment_index
    if index is None or not 0 <= index < len(parts):
        return None
    found = parts[index].get("technique")
    return found if isinstance(found, str) else None


def _press(lesson: Lesson, event: EventRow, region: str) -> None:
    """Apply lighter/firmer: an absolute pressure in data wins, else step by one."""
    current = lesson.pressure.get(region, PRESSURE_DEFAULT)
    absolute = (event.data or {}).get("pressure")
    if isinstance(absolute, int) and not isinstance(absolute, bool):
        lesson.pressure[region] = absolute
    else:
        lesson.pressure[region] = current + (1 if event.kind == "firmer" else -1)
    counts = lesson.presses[region]
    counts[event.kind] = counts.get(event.kind, 0) + 1


def _planned_starts(plan: dict[str, Any]) -> list[tuple[float, str | None]]:
    """(start second, region) of each planned segment; missing starts follow the durations."""
    out: list[tuple[float, str | None]] = []
    clock = 0.0
    for seg in segments(plan):
        start, length = seg.get("start_s"), seg.get("duration_s")
        if isinstance(start, int | float) and not isinstance(start, bool):
            clock = float(start)
        region = seg.get("region")
        out.append((clock, region if isinstance(region, str) else None))
        if isinstance(length, int | float) and not isinstance(length, bool):
            clock += float(length)
    return out


def started_regions(row: SessionRow, plan: dict[str, Any], events: list[EventRow]) -> set[str]:
    """Regions of segments the session reached: journalled starts, or planned before it stopped."""
    planned = [region for start, region in _planned_starts(plan) if start < row.position_s]
    journalled = [_event_region(e, plan) for e in events if e.kind == "segment-started"]
    return {region for region in [*planned, *journalled] if region is not None}


def replay(row: SessionRow, events: list[EventRow], feedback: FeedbackRow | None) -> Lesson:
    """Walk one session's plan, presses and feedback into a Lesson."""
    plan = json.loads(row.plan_json)
    lesson = Lesson(when=row.started_at, pressure=region_pressures(plan))
    for event in events:
        if event.kind in ("lighter", "firmer"):
            region = _event_region(event, plan)
            if region is not None:
                _press(lesson, event, region)
        elif event.kind == "more-time":
            technique = _event_technique(event, plan)
            if technique and technique not in lesson.more_time:
                lesson.more_time.append(technique)
    taught = set(lesson.presses)
    if feedback is not None:
        lesson.verdict = feedback.pressure_verdict
        lesson.favourite = feedback.favourite_technique
        if lesson.verdict in VERDICT_STEP:
            # A verdict is about what was felt: regions never reached (a quit) are left alone.
            reached = started_regions(row, plan, events) & set(lesson.pressure)
            step = VERDICT_STEP[lesson.verdict]
            lesson.pressure.update({r: lesson.pressure[r] + step for r in reached})
            taught |= reached
    # Only what the receiver spoke about is learned: regions pressed on, or reached and judged.
    lesson.pressure = {r: _clamp(p) for r, p in lesson.pressure.items() if r in taught}
    return lesson


def _load(store: Store, receiver: str) -> list[Lesson]:
    """The receiver's ended sessions replayed, oldest first."""
    with store.sessionmaker() as session:
        person = find_row(session, receiver)
        query = (
            select(SessionRow, FeedbackRow)
            .outerjoin(FeedbackRow, FeedbackRow.session_id == SessionRow.id)
            .where(SessionRow.receiver_id == person.id)
            .where(SessionRow.status.in_(COUNTED_STATUSES))
            .order_by(SessionRow.started_at, SessionRow.id)
        )
        pairs = session.execute(query).all()
        kinds = ("lighter", "firmer", "more-time", "segment-started")
        ids = [row.id for row, _ in pairs]
        found = session.scalars(
            select(EventRow)
            .where(EventRow.session_id.in_(ids), EventRow.kind.in_(kinds))
            .order_by(EventRow.session_id, EventRow.seq)
        ).all()
        by_session: dict[int, list[EventRow]] = defaultdict(list)
        for event in found:
            by_session[event.session_id].append(event)
        return [replay(row, by_session[row.id], fb) for row, fb in pairs]


def _times(count: int) -> str:
    """once, twice, 3 times."""
    return TIMES.get(count, f"{count} times")


def and_join(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _pressure_note(region: str, lesson: Lesson, latest: bool) -> str:
    """One sentence on why region ended at its pressure."""
    when = "last time" if latest else f"on {lesson.when.date().isoformat()}"
    asked = [f"{kind} {_times(n)}" for kind, n in sorted(lesson.presses.get(region, {}).items())]
    reasons = [f"asked for {and_join(asked)}"] if asked else []
    if lesson.verdict in VERDICT_STEP:
        said = f"said it was {lesson.verdict.replace('-', ' ')} overall"
        reasons.append(f"then {said}" if asked else said)
    if not reasons:
        reasons.append("as planned, with no change asked")
    return f"{region} pressure {lesson.pressure[region]}: {', '.join(reasons)} {when}"


def _favourites(lessons: list[Lesson]) -> tuple[tuple[str, ...], list[str]]:
    """Named favourites (newest first, up to 3) then more-time techniques, with notes."""
    named: list[str] = []
    extra: list[str] = []
    notes: list[str] = []
    for lesson in reversed(lessons):
        day = lesson.when.date().isoformat()
        fav = lesson.favourite
        if fav and fav not in named and len(named) < MAX_FAVOURITES:
            named.append(fav)
            notes.append(f"{fav}: named as the favourite on {day}")
        for technique in lesson.more_time:
            if technique not in named and technique not in extra:
                extra.append(technique)
                notes.append(f"{technique}: asked for more time on it on {day}")
    # A technique can be both named and asked for more; list it once, named first.
    return tuple(dict.fromkeys(named + extra)), notes


def learned_preferences(store: Store, receiver: str) -> LearnedPreferences:
    """Pressure per region (latest session wins) and favourite techniques for a receiver."""
    lessons = _load(store, receiver)
    pressure: dict[str, int] = {}
    source: dict[str, int] = {}
    for index, lesson in enumerate(lessons):
        for region, value in lesson.pressure.items():
            pressure[region] = value
            source[region] = index
    notes = [
        _pressure_note(region, lessons[source[region]], source[region] == len(lessons) - 1)
        for region in sorted(pressure)
    ]
    favourites, fav_notes = _favourites(lessons)
    return LearnedPreferences(
        region_pressure=pressure, favourite_techniques=favourites, notes=(*notes, *fav_notes)
    )
