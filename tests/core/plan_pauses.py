"""What a plan says and does in the pauses between its steps, for the tests to read."""

from __future__ import annotations

from rubdown.core.models import Plan, Segment


def pauses_before(p: Plan, region: str) -> list[Segment]:
    """The pauses between the last step and the first on a region, in order."""
    first = next(i for i, s in enumerate(p.segments) if s.kind == "step" and s.region == region)
    pauses: list[Segment] = []
    for seg in reversed(p.segments[:first]):
        if seg.kind == "step":
            break
        pauses.insert(0, seg)
    return pauses
