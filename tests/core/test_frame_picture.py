"""The opening's and finish's picture: one long glide over the whole area they cover."""

from __future__ import annotations

import pytest

from rubdown.core.catalogue import load_catalogue
from rubdown.core.models import PlanRequest, Profile, may_touch
from rubdown.core.planner import plan_session
from rubdown.core.shapes import densify, shipped_shapes

CAT = load_catalogue()
SHAPES = shipped_shapes()
SEAM = 2.5  # regions are drawn a thin gap apart: a point this near two of them is on the seam

REQUESTS = [
    PlanRequest(minutes=30, position="lying"),
    PlanRequest(minutes=45, position="seated"),
    PlanRequest(minutes=20, position="seated-forearms"),
    PlanRequest(minutes=30, position="side-lying"),
    PlanRequest(minutes=30, position="face-up"),
    PlanRequest(minutes=30, position="lying", profile=Profile(avoid=("lower-back",))),
]


def _on_a_seam(shapes, point):
    """Whether a point lies on the thin line drawn between two regions."""
    x, y = point
    near = [(x + dx, y + dy) for dx, dy in ((SEAM, 0), (-SEAM, 0), (0, SEAM), (0, -SEAM))]
    return sum(any(shape.contains(p) for p in near) for shape in shapes.values()) >= 2


def _frames(request):
    plan = plan_session(CAT, request)
    return [s for s in plan.segments if s.kind == "step" and s.role in ("opening", "finish")]


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: f"{r.position}-{r.minutes}")
def test_the_frame_picture_runs_through_every_region_its_glides_cover(request_):
    plan = plan_session(CAT, request_)
    worked = {s.region for s in plan.segments if s.kind == "step" and s.role == "work"}
    for seg in _frames(request_):
        t, view = CAT.techniques[seg.technique], seg.motion.view
        covered = {r for r in t.regions if r in worked and t.motion_on(r, view)}
        if seg.technique == "front-leg-glide":
            # The hands part round the knee cap, which the map draws across the whole leg.
            covered = {seg.region}
        for firm, _light in seg.motion.strokes:
            points = densify(firm)
            visits = {r for r in covered if any(SHAPES[view][r].contains(p) for p in points)}
            assert visits == covered, f"{seg.role} misses {sorted(covered - visits)}"
            assert len(visits) > 1 or seg.technique == "front-leg-glide"


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: f"{r.position}-{r.minutes}")
def test_the_frame_picture_keeps_to_its_regions_and_off_what_it_may_not_touch(request_):
    for seg in _frames(request_):
        t = CAT.techniques[seg.technique]
        shapes = SHAPES[seg.motion.view]
        for firm, light in seg.motion.strokes:
            for p in densify(firm + light):
                under = [r for r, shape in shapes.items() if shape.contains(p)]
                assert under or _on_a_seam(shapes, p), f"{seg.role} leaves the body at {p}"
                for region in under:
                    assert region not in request_.profile.avoid
                    assert may_touch(CAT.regions[region], t), f"{seg.role} presses on {region}"


def test_the_lying_opening_glides_up_the_back_to_the_shoulders_and_says_so():
    opening = _frames(PlanRequest(minutes=30, position="lying"))[0]
    (firm, _), (right, _) = opening.motion.strokes
    assert firm[0][1] > firm[-1][1]  # it starts low and goes up
    assert {round(x + x2, 0) for (x, _), (x2, _) in zip(firm, right, strict=True)} == {200.0}
    assert opening.motion.words == (
        "With the palms: steady up from the lower back to the tops of the shoulders, "
        "steady back down."
    )
    assert opening.region_name == "Neck and shoulders, and back"
