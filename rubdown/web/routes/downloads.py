"""Downloads: the printable sheet and calendar files, for the plan and people pages."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from rubdown.web import downloads
from rubdown.web.forms import FormError, plan_in
from rubdown.web.state import State

router = APIRouter(prefix="/downloads", tags=["downloads"])
# The sheet carries its own print styles inline; it is a document, not part of the app.
SHEET_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
ICS = "text/calendar; charset=utf-8"


def _attachment(data: bytes, media_type: str, name: str, csp: str | None = None) -> Response:
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    if csp:
        headers["content-security-policy"] = csp
    return Response(data, media_type=media_type, headers=headers)


def _plan_choices(request: Request) -> object:
    if not downloads.available():
        raise HTTPException(404, "printing and calendars are not installed")
    try:
        return plan_in(request.query_params)
    except FormError as err:
        raise HTTPException(422, str(err)) from None


@router.get(
    "/sheet.{fmt}",
    summary="Printable sheet of a plan (pdf or html); plan choices as query parameters",
)
def get_sheet(fmt: str, request: Request, state: State) -> Response:
    """The plan's routine sheet to print or keep."""
    if fmt not in ("pdf", "html"):
        raise HTTPException(404, "the sheet comes as .pdf or .html")
    body = _plan_choices(request)
    data = downloads.sheet(state, body, fmt == "pdf")  # type: ignore[arg-type]
    media = "application/pdf" if fmt == "pdf" else "text/html; charset=utf-8"
    return _attachment(data, media, f"rubdown-sheet.{fmt}", SHEET_CSP)


@router.get(
    "/prep.ics",
    summary="Calendar event with getting-ready alarms; plan choices as query parameters",
)
def get_prep(
    request: Request,
    state: State,
    day: Annotated[
        str, Query(alias="date", pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")
    ],
    at: time = time(20, 0),
) -> Response:
    """One session in the calendar, with a reminder for each thing to prepare."""
    body = _plan_choices(request)
    data = downloads.prep(state, body, _day(day), at)  # type: ignore[arg-type]
    return _attachment(data, ICS, "rubdown-session.ics")


@router.get("/schedule.ics", summary="Weekly calendar where the givers take turns")
def get_schedule(
    weekly: Annotated[str, Query(max_length=40)] = "sun@20:00",
    giver: Annotated[list[str] | None, Query()] = None,
    weeks: Annotated[int, Query(ge=1, le=104)] = 8,
    minutes: Annotated[int, Query(ge=5, le=90)] = 30,
) -> Response:
    """A recurring reminder, alternating who gives."""
    if not downloads.available():
        raise HTTPException(404, "calendars are not installed")
    try:
        data = downloads.schedule(weekly, giver or [], weeks, minutes)
    except ValueError as err:  # well-formed, but not a day and time (or givers) it can use
        raise HTTPException(400, str(err)) from None
    return _attachment(data, ICS, "rubdown-turns.ics")


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2199, 12, 31)


def _day(text: str) -> date:
    """The session's day, or 400 for a date that does not exist or is out of reach."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, f"{text} is not a date on the calendar") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise HTTPException(400, f"the date must be between {FIRST_DAY} and {LAST_DAY}")
    return day
