"""Downloads from the plan and people pages: calendar files and the printable sheet."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

icalendar = pytest.importorskip("icalendar")


def test_plan_page_links_downloads(client: TestClient) -> None:
    page = client.get("/plan?minutes=10").text
    assert "/downloads/sheet.pdf?" in page and 'action="/downloads/prep.ics"' in page


def test_prep_calendar(client: TestClient) -> None:
    reply = client.get("/downloads/prep.ics?minutes=20&position=lying&date=2030-05-04&at=19:30")
    assert reply.status_code == 200
    assert "attachment" in reply.headers["content-disposition"]
    calendar = icalendar.Calendar.from_ical(reply.content)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    assert events[0].decoded("dtstart").hour == 19
    assert [c for c in events[0].walk() if c.name == "VALARM"]


def test_schedule_calendar_takes_turns(client: TestClient, couple) -> None:
    reply = client.get("/downloads/schedule.ics?weekly=sun@20:00&giver=Ann&giver=Ben&weeks=4")
    assert reply.status_code == 200
    calendar = icalendar.Calendar.from_ical(reply.content)
    titles = [str(c["summary"]) for c in calendar.walk() if c.name == "VEVENT"]
    assert len(titles) == 4
    assert "Ann" in titles[0] and "Ben" in titles[1]


def test_bad_download_input_is_a_clear_4xx(client: TestClient) -> None:
    assert client.get("/downloads/schedule.ics?weekly=someday").status_code == 400
    assert client.get("/downloads/prep.ics?minutes=10").status_code == 422
    assert client.get("/downloads/prep.ics?date=0").status_code == 422
    early = client.get("/downloads/prep.ics?date=0001-01-01")
    assert early.status_code == 400 and "between" in early.json()["error"]
    assert client.get("/downloads/prep.ics?date=2026-02-30").status_code == 400
    assert client.get("/downloads/sheet.doc?minutes=10").status_code == 404
    assert client.get("/downloads/sheet.html?minutes=10&focus=tail").status_code == 400


def test_sheet_as_html(client: TestClient) -> None:
    reply = client.get("/downloads/sheet.html?minutes=10")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/html")
    assert "attachment" in reply.headers["content-disposition"]
    assert "<html" in reply.text.lower()
