"""Things to take away: calendar files and a printable sheet (an edge, like cli and web)."""

from __future__ import annotations

from rubdown.paper.calendar import prep_ics, schedule_ics
from rubdown.paper.sheet import sheet_html, sheet_pdf

__all__ = ["prep_ics", "schedule_ics", "sheet_html", "sheet_pdf"]
