"""Calendar files (iCalendar): a recurring schedule with turns, and one session with alarms."""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rubdown.core.models import MAX_MINUTES, MIN_MINUTES
from rubdown.core.prep import (
    PrepItem,
    Session,
    check_givers,
    parse_slots,
    prep_timeline,
    turn_sessions,
)

if TYPE_CHECKING:
    from rubdown.core.models import Catalogue, Plan

PRODID = "-//rubdown//partner massage coach//EN"
UID_NAMESPACE = uuid.UUID("5b0f6f3e-2f3c-4f57-9d0e-7c1a6a3d2b10")
REMINDER_MINUTES = 30
MAX_WEEKS = 520


def zone_named(name: str | None) -> ZoneInfo:
    """The IANA time zone `name`, or the machine's own; ValueError if unknown."""
    if name is None:
        return local_zone()
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{name}'; use a name like Europe/London") from None


def local_zone() -> ZoneInfo:
    """The machine's IANA time zone, read from TZ or /etc/localtime; UTC when unknown."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        # The link points into the zoneinfo tree, so its tail is the zone's name.
        parts = localtime.resolve().parts
        if "zoneinfo" in parts:
            candidates.append("/".join(parts[parts.index("zoneinfo") + 1 :]))
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text("utf-8").strip())
    for name in candidates:
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def _calendar(name: str) -> Any:
    """An empty calendar with the properties every calendar app expects."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _alarm(minutes_before: int, text: str) -> Any:
    """A display alarm `minutes_before` the event starts."""
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", timedelta(minutes=-minutes_before))
    return alarm


def _event(uid: str, start: datetime, minutes: int, title: str, stamp: datetime) -> Any:
    """A timed event with the properties that make re-imports update rather than duplicate."""
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    event.add("summary", title)
    return event


def _finish(cal: Any, starts: Sequence[datetime]) -> bytes:
    """Add the VTIMEZONE blocks the events refer to, and serialise."""
    if starts:
        # Bounding the zone's history to the span of the events keeps the file small.
        first = min(starts).date() - timedelta(days=366)
        last = max(starts).date() + timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    data: bytes = cal.to_ical()
    return data


def _slot_texts(weekly: str | Sequence[str]) -> list[str]:
    """One "sun@20:00" or several, as a list."""
    return [weekly] if isinstance(weekly, str) else list(weekly)


def schedule_sessions(
    weekly: str | Sequence[str],
    givers: Sequence[str],
    weeks: int = 8,
    tz: str | tzinfo | None = None,
    start: date | None = None,
) -> list[Session]:
    """The sessions of every weekly slot, in date order; ValueError for bad input."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be from 1 to {MAX_WEEKS}, got {weeks}")
    slots = parse_slots(_slot_texts(weekly))
    people = check_givers(givers)
    zone = tz if isinstance(tz, tzinfo) else zone_named(tz)
    first_day = start or datetime.now(zone).date()
    return turn_sessions(first_day, slots, weeks, people, zone)


def schedule_ics(
    weekly: str | Sequence[str],
    givers: Sequence[str],
    weeks: int = 8,
    minutes: int = 30,
    tz: str | tzinfo | None = None,
    start: date | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """A calendar of weekly sessions, the giver taking turns, each with a reminder alarm."""
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValueError(
            f"a session lasts from {MIN_MINUTES} to {MAX_MINUTES} minutes, got {minutes}"
        )
    sessions = schedule_sessions(weekly, givers, weeks, tz, start)
    stamp = stamp or datetime.now(UTC)
    texts = _slot_texts(weekly)
    cal = _calendar("Massage turns")
    for session in sessions:
        # One slot keeps the date-only key of earlier files, so re-importing them updates events.
        when = session.start.date().isoformat() if len(texts) == 1 else session.start.isoformat()
        key = f"{'+'.join(texts)}|{'|'.join(givers)}|{when}"
        event = _event(
            f"{uuid.uuid5(UID_NAMESPACE, key)}@rubdown",
            session.start,
            minutes,
            session.title,
            stamp,
        )
        event.add("description", _schedule_description(session, minutes))
        event.add_component(
            _alarm(REMINDER_MINUTES, "Massage in 30 minutes: start the towels warming")
        )
        cal.add_component(event)
    return _finish(cal, [s.start for s in sessions])


def _schedule_description(session: Session, minutes: int) -> str:
    """The event's notes: whose turn it is and how to get ready."""
    turn = f"{session.giver} gives this time. " if session.giver else ""
    return (
        f"{turn}A {minutes}-minute session. Run `rubdown prep --at "
        f"{session.start:%H:%M}` for the set-up steps, or print a sheet with `rubdown sheet`."
    )


def session_minutes(plan: Plan) -> int:
    """The plan's length in whole minutes, rounded up."""
    return max(1, math.ceil(plan.total_seconds / 60 - 1e-9))


def prep_lines(items: Sequence[PrepItem]) -> list[str]:
    """The set-up steps as lines of text, e.g. "19:30 (30 min before): Put ... (why)"."""
    lines = []
    for item in items:
        when = f"{item.minutes_before} min before" if item.minutes_before else "at the start"
        lines.append(f"{item.at:%H:%M} ({when}): {item.what} ({item.why})")
    return lines


def prep_ics(cat: Catalogue, plan: Plan, start: datetime, stamp: datetime | None = None) -> bytes:
    """One session as a calendar event, with an alarm for every set-up step."""
    if start.tzinfo is None:
        start = start.replace(tzinfo=local_zone())
    items = prep_timeline(cat, plan, start)
    position = cat.positions[plan.position].name.lower()
    cal = _calendar("Massage")
    key = f"{start.isoformat()}|{plan.position}|{plan.routine}|{plan.minutes}"
    event = _event(
        f"{uuid.uuid5(UID_NAMESPACE, key)}@rubdown",
        start,
        session_minutes(plan),
        f"Massage, {position} ({plan.minutes} min)",
        stamp or datetime.now(UTC),
    )
    event.add("description", "Getting ready:\n" + "\n".join(prep_lines(items)))
    # One alarm per minute mark: apps show a single notice better than several at once.
    due: dict[int, list[str]] = {}
    for item in items:
        due.setdefault(item.minutes_before, []).append(item.what)
    for minutes_before, whats in due.items():
        event.add_component(_alarm(minutes_before, "; ".join(whats)))
    cal.add_component(event)
    return _finish(cal, [start])
