"""Take-away files from rubdown.paper: the printable sheet and calendar reminders."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from rubdown.web.schemas import PlanIn
    from rubdown.web.state import WebState


def available() -> bool:
    """Whether the paper module (sheets and calendars) is installed."""
    return importlib.util.find_spec("rubdown.paper") is not None


def links_for(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Download links for a plan, given its form fields."""
    if not available():
        return {}
    from rubdown.extras import has

    query = urlencode(list(pairs))
    links = {"sheet_html": f"/downloads/sheet.html?{query}"}
    if has("pdf"):  # PDFs need the 'pdf' extra (weasyprint)
        links["sheet_pdf"] = f"/downloads/sheet.pdf?{query}"
    return links


def sheet(state: WebState, body: PlanIn, pdf: bool) -> bytes:
    """The printable routine sheet of the plan these choices give."""
    from rubdown.paper import sheet_html, sheet_pdf
    from rubdown.web.planning import make_plan

    plan = make_plan(state, body)
    return sheet_pdf(plan, state.cat) if pdf else sheet_html(plan, state.cat).encode("utf-8")


def prep(state: WebState, body: PlanIn, day: date, at: time) -> bytes:
    """A calendar event for the session, with an alarm for every getting-ready step."""
    from rubdown.paper import prep_ics
    from rubdown.paper.calendar import local_zone
    from rubdown.web.planning import make_plan

    start = datetime.combine(day, at, tzinfo=local_zone())
    return prep_ics(state.cat, make_plan(state, body), start)


def schedule(weekly: str, givers: list[str], weeks: int, minutes: int) -> bytes:
    """A weekly calendar in which the givers take turns (ValueError for bad input)."""
    from rubdown.paper import schedule_ics

    return schedule_ics(weekly, givers, weeks=weeks, minutes=minutes)
