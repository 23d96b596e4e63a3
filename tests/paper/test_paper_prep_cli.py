"""`rubdown prep` picks the right day, and `prep`/`sheet --for NAME` use the stored person."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from click.testing import CliRunner
from icalendar import Calendar

from rubdown.cli.main import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_a_time_already_gone_today_means_tomorrow(clock):
    clock("2026-11-24T04:29")
    result = run("prep", "--at", "03:00", "--tz", "UTC")
    assert result.exit_code == 0, result.output
    assert "Getting ready for 03:00 tomorrow, Wednesday 25 November 2026:" in result.output
    assert "02:30  30 min before" in result.output


def test_a_time_still_to_come_today_is_today(clock):
    clock("2026-11-24T04:29")
    result = run("prep", "--at", "20:00", "--tz", "UTC", "--json")
    assert json.loads(result.output)["start"] == "2026-11-24T20:00:00+00:00"
    header = run("prep", "--at", "04:29", "--tz", "UTC").output.splitlines()[0]
    assert header.startswith("Getting ready for 04:29 today, Tuesday 24 November 2026:")


def test_tomorrow_is_also_what_the_json_and_calendar_get(clock, tmp_path):
    clock("2026-11-24T04:29")
    ics = tmp_path / "s.ics"
    result = run("prep", "--at", "03:00", "--tz", "UTC", "--json", "--ics", str(ics))
    assert json.loads(result.output)["start"] == "2026-11-25T03:00:00+00:00"
    (event,) = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def test_an_explicit_date_in_the_past_exits_2(clock, tmp_path):
    clock("2026-11-24T04:29")
    ics = tmp_path / "s.ics"
    result = run("prep", "--at", "20:00", "--date", "2026-11-23", "--ics", str(ics))
    assert result.exit_code == 2
    assert "'--date'" in result.output and "Monday 23 November 2026 is in the past" in result.output
    assert isinstance(result.exception, SystemExit)
    assert not ics.exists()


def test_an_explicit_date_of_today_with_the_time_gone_exits_2(clock):
    clock("2026-11-24T04:29")
    result = run("prep", "--at", "03:00", "--date", "2026-11-24")
    assert result.exit_code == 2
    assert "03:00 today has already gone" in result.output


def test_prep_for_a_stored_person_uses_their_condition(clock):
    clock("2026-11-24T04:29")
    assert run("people", "add", "Ben", "--condition", "pregnancy").exit_code == 0
    result = run("prep", "--at", "20:00", "--for", "Ben", "--json")
    assert result.exit_code == 0, result.output
    steps = " ".join(i["what"] for i in json.loads(result.output)["items"])
    assert "lie on your left side" in steps and "lie face down" not in steps
    text = run("prep", "--at", "20:00", "--for", "Ben").output
    assert "lying on the side" in text.splitlines()[0] and "never face down" in text


def test_sheet_for_a_stored_person_mentions_their_condition(tmp_path):
    assert run("people", "add", "Ben", "--condition", "pregnancy").exit_code == 0
    out = tmp_path / "x.html"
    result = run("sheet", "--for", "Ben", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8").lower()
    assert "pregnancy" in html and "seated" in html
    plain = tmp_path / "plain.html"
    assert run("sheet", "-o", str(plain)).exit_code == 0
    assert "pregnancy" not in plain.read_text("utf-8").lower()


def test_prep_for_someone_not_stored_exits_2_naming_the_known_people(clock):
    clock("2026-11-24T04:29")
    assert run("people", "add", "Ben").exit_code == 0
    result = run("prep", "--at", "20:00", "--for", "Nobody")
    assert result.exit_code == 2
    assert "Nobody" in result.output and "Ben" in result.output
    assert isinstance(result.exception, SystemExit)
