"""Calendar files, parsed back with icalendar: turns, alarms, durations and time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from rubdown.core.models import PlanRequest
from rubdown.core.planner import plan_session
from rubdown.core.prep import prep_timeline
from rubdown.paper import prep_ics, schedule_ics
from rubdown.paper.calendar import local_zone, zone_named

LONDON = ZoneInfo("Europe/London")
STAMP = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def events_of(data: bytes):
    cal = Calendar.from_ical(data)
    return cal, list(cal.walk("VEVENT"))


def schedule(**kwargs):
    options = {
        "weekly": "sun@20:00",
        "givers": ["Ana", "Ben"],
        "weeks": 6,
        "minutes": 30,
        "tz": "Europe/London",
        "start": date(2026, 3, 1),
        "stamp": STAMP,
    }
    return events_of(schedule_ics(**{**options, **kwargs}))


def test_calendar_has_the_properties_apps_need():
    cal, events = schedule()
    assert cal["VERSION"] == "2.0"
    assert "rubdown" in str(cal["PRODID"])
    for event in events:
        for key in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert key in event, key
    assert len({str(e["UID"]) for e in events}) == len(events) == 6


def test_givers_alternate_week_by_week():
    _, events = schedule()
    titles = [str(e["SUMMARY"]) for e in events]
    assert titles[0] == "Massage: Ana gives, Ben receives"
    assert titles[1] == "Massage: Ben gives, Ana receives"
    assert titles[::2] == [titles[0]] * 3 and titles[1::2] == [titles[1]] * 3


def test_events_are_a_week_apart_and_last_the_session_length():
    _, events = schedule(minutes=45)
    starts = [e.decoded("DTSTART") for e in events]
    assert all(s.weekday() == 6 and (s.hour, s.minute) == (20, 0) for s in starts)
    gaps = [b.date() - a.date() for a, b in pairwise(starts)]
    assert gaps == [timedelta(days=7)] * 5
    for event in events:
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)


def test_each_event_has_a_reminder_thirty_minutes_before():
    _, events = schedule()
    for event in events:
        (alarm,) = event.walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(minutes=-30)
        assert "towels" in str(alarm["DESCRIPTION"])


def test_time_zone_is_included_and_survives_the_clock_change():
    # The UK clocks go forward on Sunday 29 March 2026, inside this schedule.
    cal, events = schedule()
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    starts = [e.decoded("DTSTART") for e in events]
    assert all(str(e["DTSTART"].params["TZID"]) == "Europe/London" for e in events)
    offsets = [s.utcoffset() for s in starts]
    assert offsets[:4] == [timedelta(0)] * 4 and offsets[4:] == [timedelta(hours=1)] * 2
    utc_hours = [s.astimezone(UTC).hour for s in starts]
    assert utc_hours == [20, 20, 20, 20, 19, 19]


def test_uids_are_stable_so_a_reimport_updates_instead_of_duplicating():
    _, first = schedule()
    _, again = schedule(stamp=datetime(2026, 2, 1, tzinfo=UTC))
    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in again]
    _, other = schedule(givers=["Cy", "Di"])
    assert not {str(e["UID"]) for e in first} & {str(e["UID"]) for e in other}


def test_schedule_starts_on_the_first_matching_day():
    _, events = schedule(weekly="wed@07:15", start=date(2026, 3, 1), weeks=2)
    assert events[0].decoded("DTSTART").date() == date(2026, 3, 4)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weekly": "funday@25:00"}, "weekday"),
        ({"weekly": "sun@25:00"}, "time of day"),
        ({"weeks": 0}, "weeks"),
        ({"minutes": 2}, "minutes"),
        ({"tz": "Mars/Olympus"}, "time zone"),
    ],
)
def test_schedule_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        schedule(**kwargs)


def test_prep_event_has_an_alarm_per_minute_mark(cat):
    plan = plan_session(cat, PlanRequest(minutes=30, position="lying"))
    start = datetime(2026, 6, 7, 19, 0, tzinfo=LONDON)
    cal, (event,) = events_of(prep_ics(cat, plan, start, stamp=STAMP))
    items = prep_timeline(cat, plan, start)
    alarms = event.walk("VALARM")
    triggers = sorted(-a.decoded("TRIGGER") for a in alarms)
    assert triggers == sorted({timedelta(minutes=i.minutes_before) for i in items})
    descriptions = " ".join(str(a["DESCRIPTION"]) for a in alarms)
    assert all(i.what in descriptions for i in items)
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") - start == timedelta(minutes=30)
    assert "Getting ready" in str(event["DESCRIPTION"])
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]


def test_prep_event_with_a_naive_start_uses_the_local_zone(cat):
    plan = plan_session(cat, PlanRequest(minutes=10, position="seated"))
    _, (event,) = events_of(prep_ics(cat, plan, datetime(2026, 6, 7, 19, 0), stamp=STAMP))
    assert event.decoded("DTSTART").utcoffset() is not None


def test_zones_by_name_and_the_local_default(monkeypatch):
    assert zone_named("Europe/London") == LONDON
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert local_zone().key == "Asia/Tokyo"
    assert zone_named(None).key == "Asia/Tokyo"
    monkeypatch.setenv("TZ", "Not/AZone")
    assert local_zone().key  # falls back to the system's zone or UTC, never fails


def test_several_weekly_slots_merge_in_date_order_with_turns_across_them():
    _, events = schedule(weekly=["sun@20:00", "sun@09:00", "wed@19:00"], weeks=2)
    starts = [e.decoded("DTSTART") for e in events]
    assert starts == sorted(starts) and len(starts) == 6
    assert [(s.day, s.hour) for s in starts[:3]] == [(1, 9), (1, 20), (4, 19)]
    givers = [str(e["SUMMARY"]).split(": ")[1].split(" gives")[0] for e in events]
    assert givers == ["Ana", "Ben"] * 3
    assert len({str(e["UID"]) for e in events}) == 6  # two on one Sunday stay two events


def test_one_slot_keeps_the_uids_of_earlier_files():
    _, one = schedule(weekly="sun@20:00")
    _, listed = schedule(weekly=["sun@20:00"])
    assert [str(e["UID"]) for e in one] == [str(e["UID"]) for e in listed]


@pytest.mark.parametrize(
    ("givers", "message"),
    [(["Ana", "Ben", "Ana"], "named twice"), (["Ana", " ana "], "named twice"), (["Ana"], "two")],
)
def test_schedule_rejects_repeated_or_lonely_givers(givers, message):
    with pytest.raises(ValueError, match=message):
        schedule(givers=givers)
