"""`rubdown prep`, `schedule` and `sheet` through click's runner, good input and bad."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from rubdown.cli.main import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_prep_prints_the_timeline_and_writes_an_event(tmp_path, clock):
    clock("2026-05-01T12:00")
    ics = tmp_path / "session.ics"
    result = run(
        "prep", "--at", "20:00", "--date", "2026-05-03", "--tz", "Europe/London",
        "--position", "lying", "--ics", str(ics),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Getting ready for 20:00 on Sunday 3 May 2026:" in result.output
    assert "19:30  30 min before" in result.output
    assert "out of the dryer" in result.output
    (event,) = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert event.walk("VALARM")


def test_prep_json_lists_the_items_in_order(clock):
    clock("2026-05-01T12:00")
    result = run("prep", "--at", "07:30", "--date", "2026-05-03", "--tz", "UTC", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["start"] == "2026-05-03T07:30:00+00:00"
    minutes = [i["minutes_before"] for i in data["items"]]
    assert minutes == sorted(minutes, reverse=True) and minutes[-1] == 0


def test_schedule_writes_alternating_events(tmp_path):
    out = tmp_path / "turns.ics"
    result = run(
        "schedule", "--weekly", "sun@20:00", "--giver", "Ana", "--giver", "Ben",
        "--weeks", "4", "--tz", "Europe/London", "--start", "2026-03-22", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Saved 4 sessions" in result.output
    titles = [str(e["SUMMARY"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")]
    assert titles == ["Massage: Ana gives, Ben receives", "Massage: Ben gives, Ana receives"] * 2


def test_schedule_to_standard_output():
    result = run("schedule", "--weekly", "fri@18:00", "--weeks", "2", "--tz", "UTC", "-o", "-")
    assert result.exit_code == 0
    assert result.output.startswith("BEGIN:VCALENDAR")
    assert len(Calendar.from_ical(result.output).walk("VEVENT")) == 2


@pytest.mark.parametrize("suffix", [".html", ".pdf"])
def test_sheet_writes_html_or_pdf(tmp_path, suffix):
    out = tmp_path / f"sheet{suffix}"
    result = run("sheet", "--routine", "quick-neck-shoulders", "-o", str(out))
    assert result.exit_code == 0, result.output
    head = out.read_bytes()[:15]
    assert head.startswith(b"%PDF") if suffix == ".pdf" else head.startswith(b"<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["prep", "--at", "25:00"], "'--at'"),
        (["prep", "--at", "8pm"], "HH:MM"),
        (["prep", "--at", "20:00", "--date", "03/05/2026"], "YYYY-MM-DD"),
        (["prep", "--at", "20:00", "--tz", "Mars/Base"], "time zone"),
        (["prep", "--at", "20:00", "--routine", "nope"], "unknown routine"),
        (["schedule", "--weekly", "funday@25:00", "-o", "x.ics"], "'--weekly'"),
        (["schedule", "--weekly", "sun@24:00", "-o", "x.ics"], "time of day"),
        (["schedule", "--weekly", "sun@20:00", "--weeks", "0", "-o", "x.ics"], "'--weeks'"),
        (["schedule", "--weekly", "sun@20:00", "--minutes", "500", "-o", "x.ics"], "--minutes"),
        (["schedule", "--weekly", "sun@20:00"], "--output"),
        (["sheet", "--routine", "nope", "-o", "x.pdf"], "unknown routine"),
        (["sheet", "-o", "sheet.txt"], ".pdf or .html"),
        (["sheet", "-o", "/no/such/dir/sheet.html"], "cannot write"),
    ],
)
def test_bad_input_exits_2_with_a_message(args, message):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert isinstance(result.exception, SystemExit)  # a message, never a traceback


def test_a_refused_session_exits_3_and_writes_nothing(tmp_path):
    ics = tmp_path / "x.ics"
    args = ["prep", "--at", "20:00", "--condition", "fever", "--ics", str(ics)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 3
    assert not ics.exists()
