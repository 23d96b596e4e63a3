"""Getting ready: what to prepare before a session, and when, from the plan's positions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo

from rubdown.core.models import Catalogue, Need, Plan, Position
from rubdown.core.safety import safety_limits

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class PrepItem:
    """One thing to do before the session starts."""

    at: datetime
    minutes_before: int
    what: str
    why: str


@dataclass(frozen=True)
class Session:
    """One planned session in a recurring schedule."""

    start: datetime
    giver: str | None
    receiver: str | None

    @property
    def title(self) -> str:
        """A calendar title that says whose turn it is."""
        if self.giver and self.receiver:
            return f"Massage: {self.giver} gives, {self.receiver} receives"
        if self.giver:
            return f"Massage: {self.giver} gives"
        return "Massage session"


# Steps that do not come from a position's needs: (minutes before, what, why, when), where
# `when` is "no oil" for a step needed only if no position lists oil (whose note says the same).
GENERAL_STEPS: tuple[tuple[int, str, str, str], ...] = (
    (
        5,
        "Dim the lights and put both phones on silent",
        "a buzz halfway through breaks the calm you are building",
        "always",
    ),
    (
        5,
        "Giver: take off rings and watch, wash your hands in warm water",
        "metal can snag skin, and chilly fingers make muscles clench instead of let go",
        "always",
    ),
    (
        0,
        "Warm a little oil between your palms before the first touch",
        "oil straight from the bottle feels cold; never pour it onto bare skin",
        "no oil",
    ),
)

# How the receiver gets settled in each shipped position.
SETTLING: dict[str, tuple[str, str]] = {
    "seated": (
        "Receiver: bare from the waist up, sit on the blankets between the giver's knees, "
        "wrapped in a warm towel, the cushion in your lap to lean on",
        "the warmth starts softening the shoulders before the first stroke",
    ),
    "lying": (
        "Receiver: undress to your underwear and lie face down, a pillow under your head "
        "and one under your shins, both large warm towels over you",
        "the giver folds the towels back one area at a time, so the rest stays warm",
    ),
    "seated-forearms": (
        "Receiver: bare from the waist up, sit on the chair facing the table, the warm towel "
        "over your lap, and lean forward onto the pillow",
        "leaning on the pillow the back can let go while the giver leans in with the forearms",
    ),
    "side-lying": (
        "Receiver: undress to your underwear and lie on your left side, a pillow under "
        "your head, one between your knees and, if pregnant, a folded towel under the bump",
        "with the top knee bent forward on its pillow the back and hips can let go",
    ),
    "face-up": (
        "Receiver: undress to your underwear and lie on your back, a thin pillow under "
        "your head and a firm one under your knees, the warm towels over you",
        "the pillow under the knees lets the lower back rest flat",
    ),
}
SETTLE_MINUTES = 2
FETCH_MINUTES = 3
FETCH_WHY = "warm cotton cools within minutes, so bring it out last"


def plan_positions(cat: Catalogue, plan: Plan) -> list[Position]:
    """The positions a plan uses, its main one first."""
    ids = [plan.position] + [s.position for s in plan.steps if s.position]
    return [cat.positions[p] for p in dict.fromkeys(ids) if p in cat.positions]


def _item_key(item: str) -> str:
    """Needs named "towel" and "towels" are one thing to prepare."""
    return item.casefold().removesuffix("s")


def merged_needs(positions: list[Position]) -> list[Need]:
    """Needs of all the positions, one per item: the larger count, the earlier lead time."""
    merged: dict[str, Need] = {}
    for position in positions:
        for need in position.needs:
            key = _item_key(need.item)
            old = merged.get(key)
            if old is None:
                merged[key] = need
            else:
                merged[key] = Need(
                    # The larger count's name reads right: "2 towels", not "2 towel".
                    item=need.item if need.count > old.count else old.item,
                    count=max(old.count, need.count),
                    note=old.note,
                    lead_minutes=max(old.lead_minutes, need.lead_minutes),
                )
    return list(merged.values())


def _with_oil(needs: list[Need], oil: str) -> list[Need]:
    """The oil a condition asks for (nut-free with a nut allergy) instead of any oil."""
    if not oil:
        return needs
    return [
        replace(n, item=oil) if "oil" in n.item.casefold() or "lotion" in n.item.casefold() else n
        for n in needs
    ]


def need_action(need: Need) -> str:
    """An instruction for a need, e.g. "Put 2 towels in the dryer"."""
    item, count = need.item, need.count
    key = item.casefold()
    counted = f"{count} {item}" if count > 1 else item
    if "towel" in key:
        return f"Put {counted} in the dryer" if count > 1 else f"Put the {item} in the dryer"
    if "room" in key:
        return "Warm the room"
    if "oil" in key or "lotion" in key:
        return f"Set the {item} beside you and warm a little in your palms"
    if "blanket" in key:
        return f"Spread {counted} on the floor"
    if "pillow" in key:
        return f"Set out {counted}"
    return f"Have {counted} ready" if count > 1 else f"Have the {item} ready"


def _raw_steps(cat: Catalogue, plan: Plan) -> list[tuple[int, str, str]]:
    """Every set-up step as (minutes before, what, why), in the order they were gathered."""
    positions = plan_positions(cat, plan)
    needs = _with_oil(merged_needs(positions), safety_limits(cat, plan.request.profile).oil)
    steps = [(n.lead_minutes, need_action(n), n.note) for n in needs]
    for position in positions[1:]:
        steps.append(
            (
                10,
                f"Also get the {position.name.lower()} set-up ready",
                "the plan moves there part of the way through",
            )
        )
    if plan.warnings:
        steps.append((10, "Read today's safety notes together", " ".join(plan.warnings)))
    towels = [n for n in needs if "towel" in n.item.casefold()]
    if towels:
        steps.append((FETCH_MINUTES, f"Take the {towels[0].item} out of the dryer", FETCH_WHY))
    has_oil = any("oil" in n.item.casefold() for n in needs)
    wanted = {"always"} if has_oil else {"always", "no oil"}
    steps += [(m, what, why) for m, what, why, when in GENERAL_STEPS if when in wanted]
    settle = SETTLING.get(positions[0].id) if positions else None
    if settle:
        steps.append((SETTLE_MINUTES, *settle))
    return steps


def prep_timeline(cat: Catalogue, plan: Plan, start: datetime) -> list[PrepItem]:
    """What to do before the session and when, earliest first."""
    steps = _raw_steps(cat, plan)
    # A stable sort keeps the content's order among steps due at the same minute.
    steps.sort(key=lambda step: -step[0])
    return [
        PrepItem(at=start - timedelta(minutes=m), minutes_before=m, what=what, why=why)
        for m, what, why in steps
    ]


def parse_clock(text: str) -> time:
    """ "20:00" or "8:30" as a time of day, or ValueError with a plain message."""
    hours, sep, minutes = text.strip().partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"'{text}' is not a time of day; write it as HH:MM, e.g. 20:00")
    if int(hours) > 23 or int(minutes) > 59:
        raise ValueError(f"'{text}' is not a time of day; hours go to 23 and minutes to 59")
    return time(int(hours), int(minutes))


def parse_weekly(text: str) -> tuple[int, time]:
    """ "sun@20:00" as (weekday 0-6 from Monday, time), or ValueError with a plain message."""
    day, sep, clock = text.strip().partition("@")
    key = day.strip().casefold()[:3]
    if not sep or len(day.strip()) < 3 or key not in WEEKDAYS:
        raise ValueError(
            f"'{text}' should be a weekday and a time like sun@20:00 (days: {', '.join(WEEKDAYS)})"
        )
    return WEEKDAYS.index(key), parse_clock(clock)


def first_on_or_after(day: date, weekday: int) -> date:
    """The first date on or after `day` that falls on `weekday` (0 is Monday)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def parse_slots(texts: Sequence[str]) -> list[tuple[int, time]]:
    """Several weekly slots ("sun@20:00", "wed@19:00"), each once, or ValueError."""
    slots: list[tuple[int, time]] = []
    for text in texts:
        slot = parse_weekly(text)
        if slot in slots:
            raise ValueError(f"'{text.strip()}' is given twice; name each day and time once")
        slots.append(slot)
    if not slots:
        raise ValueError("give at least one day and time, e.g. sun@20:00")
    return slots


def check_givers(names: Sequence[str]) -> list[str]:
    """The givers with spaces tidied: none, or two or more different names; else ValueError."""
    people = [" ".join(name.split()) for name in names if name.strip()]
    seen: dict[str, str] = {}
    for person in people:
        if person.casefold() in seen:
            raise ValueError(f"{person} is named twice; name each giver once")
        seen[person.casefold()] = person
    if len(people) == 1:
        raise ValueError(f"only {people[0]} is named; name two or more givers to take turns")
    return people


def turn_sessions(
    first_day: date, slots: Sequence[tuple[int, time]], weeks: int, people: list[str], zone: tzinfo
) -> list[Session]:
    """Each slot once a week from `first_day`, in date order, the givers taking turns."""
    starts = sorted(
        datetime.combine(first_on_or_after(first_day, weekday) + timedelta(weeks=week), at, zone)
        for weekday, at in slots
        for week in range(weeks)
    )
    sessions = []
    for turn, start in enumerate(starts):
        giver = people[turn % len(people)] if people else None
        # The next person in the list receives, so with distinct names no one gives to themself.
        receiver = people[(turn + 1) % len(people)] if len(people) > 1 else None
        sessions.append(Session(start=start, giver=giver, receiver=receiver))
    return sessions


def weekly_sessions(
    first_day: date, weekday: int, at: time, weeks: int, people: list[str], zone: tzinfo
) -> list[Session]:
    """One session a week from `first_day`, the giver taking turns down the list of people."""
    return turn_sessions(first_day, [(weekday, at)], weeks, people, zone)


def session_start(at: time, now: datetime, day: date | None = None) -> datetime:
    """When a session at `at` starts: on `day`, else the next time the clock shows `at`."""
    zone = now.tzinfo
    # A session due this very minute is still today's, not tomorrow's.
    this_minute = now.replace(second=0, microsecond=0)
    if day is None:
        start = datetime.combine(now.date(), at, tzinfo=zone)
        if start < this_minute:
            start = datetime.combine(now.date() + timedelta(days=1), at, tzinfo=zone)
        return start
    if day < now.date():
        raise ValueError(f"{long_date(day)} is in the past; choose today or a later day")
    start = datetime.combine(day, at, tzinfo=zone)
    if start < this_minute:
        raise ValueError(f"{at:%H:%M} today has already gone; choose a later time or day")
    return start


def long_date(day: date) -> str:
    """A date written out, e.g. "Wednesday 25 November 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"
