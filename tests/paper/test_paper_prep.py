"""The set-up timeline: order, timing and contents for each position."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from rubdown.core.models import Need, Plan, PlanRequest, Position, Profile
from rubdown.core.planner import plan_session
from rubdown.core.prep import (
    check_givers,
    merged_needs,
    parse_clock,
    parse_slots,
    parse_weekly,
    prep_timeline,
    session_start,
    turn_sessions,
    weekly_sessions,
)

START = datetime(2026, 3, 29, 20, 0, tzinfo=ZoneInfo("Europe/London"))


def timeline_for(cat, position: str, **profile):
    plan = plan_session(cat, PlanRequest(minutes=30, position=position, profile=Profile(**profile)))
    return plan, prep_timeline(cat, plan, START)


def text_of(items) -> str:
    return " | ".join(f"{i.what} ({i.why})" for i in items).lower()


@pytest.mark.parametrize("position", ["seated", "lying", "seated-forearms"])
def test_timeline_is_in_time_order_and_ends_at_the_start(cat, position):
    _, items = timeline_for(cat, position)
    minutes = [i.minutes_before for i in items]
    assert minutes == sorted(minutes, reverse=True)
    assert all(i.at == START - timedelta(minutes=i.minutes_before) for i in items)
    assert items[0].minutes_before == 30 and "dryer" in items[0].what.lower()
    assert items[-1].minutes_before == 0 and "oil" in items[-1].what.lower()
    assert all(i.what and i.why for i in items)


@pytest.mark.parametrize("position", ["seated", "lying", "seated-forearms"])
def test_every_need_of_the_position_is_on_the_timeline(cat, position):
    _, items = timeline_for(cat, position)
    whys = {i.why for i in items}
    for need in cat.positions[position].needs:
        assert need.note in whys, need.item
    text = text_of(items)
    assert "warm the room" in text
    assert "palms" in text and "never pour" in text


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        ("seated", ["put the towel in the dryer", "2 pillows", "giver to sit on", "waist up"]),
        (
            "lying",
            ["put 2 towels in the dryer", "pillow under your head", "shins", "both large warm"],
        ),
        ("seated-forearms", ["chair", "waist up", "towel"]),
    ],
)
def test_position_specific_contents(cat, position, expected):
    _, items = timeline_for(cat, position)
    text = text_of(items)
    for phrase in expected:
        assert phrase in text, phrase


def test_towels_are_fetched_after_the_room_and_before_the_receiver_settles(cat):
    _, items = timeline_for(cat, "lying")
    whats = [i.what for i in items]
    fetch = next(i for i, w in enumerate(whats) if "out of the dryer" in w)
    settle = next(i for i, w in enumerate(whats) if w.startswith("Receiver:"))
    room = whats.index("Warm the room")
    assert room < fetch < settle


def test_safety_warnings_become_a_step(cat):
    plan, items = timeline_for(cat, "seated", conditions=("pregnancy",))
    assert plan.warnings
    safety = [i for i in items if "safety" in i.what.lower()]
    assert len(safety) == 1 and plan.warnings[0] in safety[0].why


def test_a_second_position_adds_its_set_up_without_doubling_items(cat):
    plan = plan_session(cat, PlanRequest(minutes=30, position="seated"))
    moved = replace(plan.steps[-1], position="lying")
    segments = tuple(moved if s is plan.steps[-1] else s for s in plan.segments)
    two = Plan(**{**plan.__dict__, "segments": segments})
    items = prep_timeline(cat, two, START)
    text = text_of(items)
    assert "lying face down set-up" in text
    assert "put 2 towels in the dryer" in text
    assert sum("in the dryer" in i.what and "out" not in i.what for i in items) == 1


def test_merged_needs_keep_the_larger_count_and_earlier_lead():
    a = Position("a", "A", "", (), (Need("towel", 1, "one", 20),))
    b = Position("b", "B", "", (), (Need("towels", 2, "two", 30),))
    (need,) = merged_needs([a, b])
    assert (need.item, need.count, need.lead_minutes) == ("towels", 2, 30)


def test_parse_clock_and_weekly():
    assert parse_clock("20:00") == time(20, 0)
    assert parse_clock(" 7:05 ") == time(7, 5)
    assert parse_weekly("sun@20:00") == (6, time(20, 0))
    assert parse_weekly("Monday@08:30") == (0, time(8, 30))


@pytest.mark.parametrize("bad", ["25:00", "20:60", "8pm", "", "20:0", "ab:cd", "-1:00"])
def test_parse_clock_rejects_bad_times(bad):
    with pytest.raises(ValueError, match="time of day"):
        parse_clock(bad)


@pytest.mark.parametrize("bad", ["funday@25:00", "sun", "sun 20:00", "@20:00", "su@20:00"])
def test_parse_weekly_rejects_bad_slots(bad):
    with pytest.raises(ValueError):
        parse_weekly(bad)


def test_weekly_sessions_take_turns_round_the_list():
    zone = ZoneInfo("Europe/Paris")
    sessions = weekly_sessions(date(2026, 1, 1), 6, time(19, 30), 6, ["Ana", "Ben", "Cy"], zone)
    assert [s.giver for s in sessions] == ["Ana", "Ben", "Cy", "Ana", "Ben", "Cy"]
    assert [s.receiver for s in sessions][:3] == ["Ben", "Cy", "Ana"]
    assert sessions[0].start == datetime(2026, 1, 4, 19, 30, tzinfo=zone)
    assert all(s.start.weekday() == 6 for s in sessions)
    assert sessions[0].title == "Massage: Ana gives, Ben receives"


def test_session_titles_without_two_people():
    zone = ZoneInfo("UTC")
    one = weekly_sessions(date(2026, 1, 1), 0, time(9, 0), 1, ["Ana"], zone)
    none = weekly_sessions(date(2026, 1, 1), 0, time(9, 0), 1, [], zone)
    assert one[0].title == "Massage: Ana gives"
    assert none[0].title == "Massage session"


def test_turns_run_across_every_slot_in_date_order():
    zone = ZoneInfo("UTC")
    slots = [(6, time(20, 0)), (2, time(19, 0))]  # Sunday, then Wednesday
    sessions = turn_sessions(date(2026, 3, 1), slots, 2, ["Ana", "Ben", "Cy"], zone)
    assert [s.start.strftime("%a %d") for s in sessions] == ["Sun 01", "Wed 04", "Sun 08", "Wed 11"]
    assert [(s.giver, s.receiver) for s in sessions] == [
        ("Ana", "Ben"), ("Ben", "Cy"), ("Cy", "Ana"), ("Ana", "Ben"),
    ]  # fmt: skip


def test_slots_must_be_given_once_and_at_least_once():
    assert parse_slots(["sun@20:00", "sun@09:00"]) == [(6, time(20, 0)), (6, time(9, 0))]
    with pytest.raises(ValueError, match="twice"):
        parse_slots(["sun@20:00", "Sunday@20:00"])
    with pytest.raises(ValueError, match="at least one"):
        parse_slots([])


def test_givers_are_none_or_two_or_more_different_names():
    assert check_givers([]) == []
    assert check_givers([" Ana  Lee ", "Ben", ""]) == ["Ana Lee", "Ben"]
    with pytest.raises(ValueError, match="Ana is named twice"):
        check_givers(["ana", "Ben", "Ana"])
    with pytest.raises(ValueError, match="only Ana"):
        check_givers(["Ana"])


NOW = datetime(2026, 11, 24, 4, 29, 30, tzinfo=ZoneInfo("Europe/London"))


def test_a_session_time_already_gone_today_is_tomorrow():
    zone = NOW.tzinfo
    assert session_start(time(3, 0), NOW) == datetime(2026, 11, 25, 3, 0, tzinfo=zone)
    assert session_start(time(20, 0), NOW) == datetime(2026, 11, 24, 20, 0, tzinfo=zone)
    # Starting this very minute is still today.
    assert session_start(time(4, 29), NOW) == datetime(2026, 11, 24, 4, 29, tzinfo=zone)


def test_an_explicit_day_in_the_past_is_refused():
    later = date(2026, 12, 1)
    assert session_start(time(3, 0), NOW, later) == datetime(2026, 12, 1, 3, 0, tzinfo=NOW.tzinfo)
    with pytest.raises(ValueError, match="Monday 23 November 2026 is in the past"):
        session_start(time(20, 0), NOW, date(2026, 11, 23))
    with pytest.raises(ValueError, match="03:00 today has already gone"):
        session_start(time(3, 0), NOW, date(2026, 11, 24))
