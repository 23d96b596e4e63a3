"""`rubdown schedule`: several weekly slots, givers taking turns, names checked against people."""

from __future__ import annotations

from click.testing import CliRunner
from icalendar import Calendar

from rubdown.cli.main import cli

BASE = ["schedule", "--weeks", "2", "--tz", "Europe/London", "--start", "2026-03-01"]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def events(path):
    return Calendar.from_ical(path.read_bytes()).walk("VEVENT")


def test_every_weekly_slot_is_kept_in_date_order_with_givers_alternating(tmp_path):
    out = tmp_path / "turns.ics"
    result = run(
        *BASE, "--weekly", "sun@20:00", "--weekly", "wed@19:00",
        "--giver", "Ana", "--giver", "Ben", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    starts = [e.decoded("DTSTART") for e in events(out)]
    assert [(s.strftime("%a"), s.hour) for s in starts] == [
        ("Sun", 20), ("Wed", 19), ("Sun", 20), ("Wed", 19),
    ]  # fmt: skip
    assert starts == sorted(starts)
    givers = [str(e["SUMMARY"]).split(": ")[1].split(" gives")[0] for e in events(out)]
    assert givers == ["Ana", "Ben", "Ana", "Ben"]
    assert "Saved 4 sessions" in result.output


def test_the_same_weekly_slot_twice_exits_2():
    result = run(*BASE, "--weekly", "sun@20:00", "--weekly", "Sunday@20:00", "-o", "x.ics")
    assert result.exit_code == 2
    assert "'--weekly'" in result.output and "twice" in result.output


def test_a_giver_named_twice_exits_2_with_a_clear_message(tmp_path):
    out = tmp_path / "turns.ics"
    args = ["--giver", "Ana", "--giver", "Ben", "--giver", "ana", "-o", str(out)]
    result = run(*BASE, "--weekly", "sun@20:00", *args)
    assert result.exit_code == 2
    assert "'--giver'" in result.output and "named twice" in result.output
    assert isinstance(result.exception, SystemExit)
    assert not out.exists()


def test_a_single_giver_exits_2_asking_for_two():
    result = run(*BASE, "--weekly", "sun@20:00", "--giver", "Ana", "-o", "x.ics")
    assert result.exit_code == 2
    assert "two or more givers" in result.output


def test_with_three_givers_the_next_in_turn_receives_never_the_giver(tmp_path):
    out = tmp_path / "turns.ics"
    names = ["--giver", "Ana", "--giver", "Ben", "--giver", "Cy"]
    result = run(*BASE[:2], "6", *BASE[3:], "--weekly", "sun@20:00", *names, "-o", str(out))
    assert result.exit_code == 0, result.output
    titles = [str(e["SUMMARY"]) for e in events(out)]
    assert titles[:3] == [
        "Massage: Ana gives, Ben receives",
        "Massage: Ben gives, Cy receives",
        "Massage: Cy gives, Ana receives",
    ]
    assert titles[3:] == titles[:3]


def test_givers_not_among_the_stored_people_get_a_warning_not_an_error(tmp_path):
    assert run("people", "add", "Ana").exit_code == 0
    out = tmp_path / "turns.ics"
    result = run(*BASE, "--weekly", "sun@20:00", "--giver", "ana", "--giver", "Cy", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Warning: Cy is not among the people" in result.stderr
    assert "Ana" not in result.stderr and "ana" not in result.stderr
    assert len(events(out)) == 2


def test_checking_givers_does_not_create_a_database(tmp_path, private_data_dir):
    out = tmp_path / "turns.ics"
    result = run(*BASE, "--weekly", "sun@20:00", "--giver", "Ana", "--giver", "Cy", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.stderr
    assert list(private_data_dir.iterdir()) == []
