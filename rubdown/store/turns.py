"""Whose turn it is to give, and who has given how much."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from rubdown.store.db import Store
from rubdown.store.errors import StoreError
from rubdown.store.models import PersonRow, SessionRow
from rubdown.store.people import find_row
from rubdown.store.records import COUNTED_STATUSES, PersonStats, Stats, TurnAnswer, WeekRow


@dataclass(frozen=True)
class Done:
    """One ended session that counts: when (local date), who, how long."""

    day: date
    giver_id: int | None
    receiver_id: int | None
    seconds: int


def _local_day(moment: datetime) -> date:
    """The calendar day on this machine's clock, which is how people count days."""
    return moment.astimezone().date()


def counted(session: Session, since: date | None = None) -> list[Done]:
    """Ended sessions with some massage done, oldest first, optionally from a local day on."""
    query = (
        select(SessionRow)
        .where(SessionRow.status.in_(COUNTED_STATUSES), SessionRow.done_seconds > 0)
        .order_by(SessionRow.started_at, SessionRow.id)
    )
    if since is not None:
        query = query.where(SessionRow.started_at >= datetime.combine(since, time()).astimezone())
    return [
        Done(_local_day(s.started_at), s.giver_id, s.receiver_id, s.done_seconds)
        for s in session.scalars(query)
    ]


def _given(done: list[Done], person_id: int) -> tuple[int, int]:
    """(sessions, seconds) this person gave."""
    mine = [d.seconds for d in done if d.giver_id == person_id]
    return len(mine), sum(mine)


def _by_giving(done: list[Done], a: PersonRow, b: PersonRow, prefix: str) -> TurnAnswer:
    """The one who has given less gives (sessions, then minutes); a full tie picks a."""
    count_a, secs_a = _given(done, a.id)
    count_b, secs_b = _given(done, b.id)
    if (count_a, secs_a) == (count_b, secs_b):
        reason = f"{prefix}you are even, so {a.name}, named first, gives."
        return TurnAnswer(giver=a.name, receiver=b.name, reason=reason)
    giver, receiver = (a, b) if (count_a, secs_a) < (count_b, secs_b) else (b, a)
    mine, theirs = _given(done, giver.id), _given(done, receiver.id)
    reason = (
        f"{prefix}{giver.name} has given {mine[0]} ({round(mine[1] / 60)} min) against "
        f"{receiver.name}'s {theirs[0]} ({round(theirs[1] / 60)} min), so {giver.name} gives."
    )
    return TurnAnswer(giver=giver.name, receiver=receiver.name, reason=reason)


def whose_turn(store: Store, a: str, b: str) -> TurnAnswer:
    """They trade off days: whoever received on the last day together gives next."""
    with store.sessionmaker() as session:
        pa, pb = find_row(session, a), find_row(session, b)
        if pa.id == pb.id:
            raise StoreError("whose turn needs two different people")
        done = counted(session)
    pair = {pa.id, pb.id}
    together = [d for d in done if {d.giver_id, d.receiver_id} == pair]
    if not together:
        return _by_giving(done, pa, pb, "No sessions together yet; ")
    last_day = together[-1].day
    receivers = {d.receiver_id for d in together if d.day == last_day}
    if len(receivers) == 2:
        return _by_giving(together, pa, pb, f"You both received on {readable_day(last_day)}; ")
    receiver, giver = (pa, pb) if receivers == {pa.id} else (pb, pa)
    reason = f"{receiver.name} received last time ({readable_day(last_day)}), so gives today."
    return TurnAnswer(giver=receiver.name, receiver=giver.name, reason=reason)


def _monday(day: date) -> date:
    """The Monday starting day's ISO week."""
    return day - timedelta(days=day.weekday())


def _minutes(seconds: int) -> float:
    """Seconds as minutes to one decimal."""
    return round(seconds / 60, 1)


def stats(store: Store, weeks: int = 8, today: date | None = None) -> Stats:
    """Sessions and minutes given and received per person and per ISO week, over `weeks` weeks."""
    if weeks < 1:
        raise StoreError("stats need at least one week")
    last_monday = _monday(today or date.today())
    since = last_monday - timedelta(weeks=weeks - 1)
    with store.sessionmaker() as session:
        people = session.scalars(select(PersonRow).order_by(PersonRow.name_key)).all()
        done = [d for d in counted(session, since) if d.day < last_monday + timedelta(weeks=1)]
    given: dict[tuple[date, int | None], int] = defaultdict(int)
    received: dict[tuple[date, int | None], int] = defaultdict(int)
    for d in done:
        given[_monday(d.day), d.giver_id] += d.seconds
        received[_monday(d.day), d.receiver_id] += d.seconds
    mondays = [since + timedelta(weeks=i) for i in range(weeks)]
    table = tuple(
        WeekRow(m, p.name, _minutes(given[m, p.id]), _minutes(received[m, p.id]))
        for m in mondays
        for p in people
    )
    totals = tuple(_person_stats(p, done) for p in people)
    return Stats(since=since, people=totals, weeks=table)


def _person_stats(person: PersonRow, done: list[Done]) -> PersonStats:
    """One person's totals over the given sessions."""
    gave = [d.seconds for d in done if d.giver_id == person.id]
    got = [d.seconds for d in done if d.receiver_id == person.id]
    return PersonStats(
        name=person.name,
        sessions_given=len(gave),
        sessions_received=len(got),
        minutes_given=_minutes(sum(gave)),
        minutes_received=_minutes(sum(got)),
    )


__all__ = ["counted", "stats", "whose_turn"]


def readable_day(day: date) -> str:
    """A day as people say it ("Tue 4 Nov 2025"), not as a computer stores it."""
    return f"{day:%a} {day.day} {day:%b %Y}"
