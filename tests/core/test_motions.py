"""Motions: every technique's hand path on every region it works, checked against the body map."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rubdown.core.catalogue import CONTENT_DIR, check_files, load_catalogue, needed_motions
from rubdown.core.models import PlanRequest, may_touch
from rubdown.core.motion import FIRM_SHARE, HAND_PARTS, StepMotion, on_step, trace
from rubdown.core.planjson import plan_from_json, plan_to_json
from rubdown.core.planner import plan_session
from rubdown.core.shapes import densify, inside, path_points, shipped_shapes
from rubdown.core.timeline import segment_ticks

CAT = load_catalogue()
WORKED = [
    (t.id, region, view)
    for t in CAT.techniques.values()
    for region, view in needed_motions(t, CAT.positions)
]
MOTIONS = sorted(CAT.motions)
SIDES = ("left", "right", "both")


@pytest.mark.parametrize(("technique", "region", "view"), WORKED)
def test_every_technique_has_a_motion_for_every_region_it_works(technique, region, view):
    motion = CAT.techniques[technique].motion_on(region, view)
    assert motion is not None and motion.hands in HAND_PARTS


def test_every_region_worked_is_covered_on_the_views_its_positions_show():
    for t in CAT.techniques.values():
        assert {r for r, _ in needed_motions(t, CAT.positions)} == set(t.regions)
    assert {view for _, _, view in WORKED} == {"back", "front"}


@pytest.mark.parametrize("key", MOTIONS)
@pytest.mark.parametrize("side", SIDES)
def test_every_path_lies_inside_its_region_on_the_map(key, side):
    motion = CAT.motions[key]
    shape = shipped_shapes()[motion.view][motion.region]
    for firm, light in motion.strokes(side):
        on_skin = densify(firm if motion.returns == "lift" else firm + light)
        outside = [p for p in on_skin if not shape.contains(p)]
        assert not outside, f"{key} ({side}) leaves {motion.region} at {outside[:3]}"


@pytest.mark.parametrize("key", MOTIONS)
def test_left_and_right_paths_mirror_each_other(key):
    motion = CAT.motions[key]
    shape = shipped_shapes()[motion.view][motion.region]
    (left_firm, left_light), (right_firm, right_light) = (
        motion.strokes("left")[0],
        motion.strokes("right")[0],
    )
    for left, right in ((left_firm, right_firm), (left_light, right_light)):
        mirrored = [c for p in left for c in shape.mirror(p)]
        assert mirrored == pytest.approx([c for p in right for c in p], abs=0.011)
    if shape.paired or motion.mirror:
        assert motion.strokes("both") == (motion.strokes("left")[0], motion.strokes("right")[0])
    assert all(x < shape.width / 2 for x, _ in left_firm) or not (shape.paired or motion.mirror)


@pytest.mark.parametrize("key", MOTIONS)
def test_paths_keep_off_no_press_zones_unless_the_technique_may_touch_it(key):
    motion = CAT.motions[key]
    technique = CAT.techniques[motion.technique]
    shapes = shipped_shapes()[motion.view]
    zones = [r for r in CAT.regions.values() if r.no_press and r.id in shapes]
    for zone in zones:
        if zone.id == motion.region or may_touch(zone, technique):
            continue
        for firm, light in motion.strokes("both"):
            assert not any(shapes[zone.id].contains(p) for p in densify(firm + light))


@pytest.mark.parametrize(
    ("technique", "region", "firm", "light"),
    [
        ("shoulder-outward-strokes", "shoulders", "Firm outward", "Light back toward the neck"),
        ("sole-thumb-strokes", "feet", "Steady along the sole", "Lift and start again at the heel"),
        (
            "forearm-press",
            "shoulders",
            "Press out toward the point of the shoulder",
            "Lift off and set down again by the neck",
        ),
        ("spine-side-glide", "mid-back", "Firmer each time up beside the spine", "Light back down"),
    ],
)
def test_labels_say_the_real_direction(technique, region, firm, light):
    t = CAT.techniques[technique]
    step = on_step(t.motion_on(region), "both", t.stroke_rule)
    assert step.labels == (firm, light)


def test_the_guide_sentence_names_the_way_and_the_places():
    t = CAT.techniques["shoulder-outward-strokes"]
    words = on_step(t.motion_on("shoulders"), "both", t.stroke_rule).words
    assert words == (
        "With the palms: firm outward from the neck to the point of the shoulder, "
        "light back toward the neck."
    )


def test_every_plan_step_carries_its_motion_and_the_ticks_mark_its_parts():
    plan = plan_session(CAT, PlanRequest(minutes=30, position="lying"))
    for seg in plan.steps:
        assert seg.motion is not None
        t = CAT.techniques[seg.technique]
        view = CAT.positions[seg.position].view
        assert seg.motion == on_step(t.motion_on(seg.region, view), seg.side, t.stroke_rule)
        ups = [tick.at_s for tick in segment_ticks(seg) if tick.kind == "up"]
        assert ups[0] == pytest.approx(seg.start_s + seg.seconds_per_rep * seg.motion.firm_share)
        if seg.side in ("left", "right"):
            assert len(seg.motion.strokes) == 1
    assert FIRM_SHARE == 0.5


def test_a_face_up_plan_uses_the_front_map():
    plan = plan_session(CAT, PlanRequest(minutes=20, position="face-up"))
    assert plan.steps and all(s.motion and s.motion.view == "front" for s in plan.steps)


def test_the_plan_json_round_trips_the_motion():
    plan = plan_session(CAT, PlanRequest(minutes=20, position="seated"))
    data = plan_to_json(plan)
    step = next(s for s in data["segments"] if s["kind"] == "step")
    assert set(step["motion"]) >= {"hands", "strokes", "firm_share", "halves", "labels", "words"}
    assert plan_from_json(data).segments == plan.segments


@pytest.mark.parametrize(
    "bad",
    [
        "nonsense",
        {"strokes": [], "halves": [], "labels": []},
        {"hands": "palms", "view": "back", "strokes": [{"firm": [[1, 2]], "light": [[1, 2]]}],
         "returns": "glide", "firm_share": 0.5, "halves": ["firm", "light"],
         "labels": ["a", "b"], "words": "w"},
    ],
)  # fmt: skip
def test_a_malformed_motion_in_plan_json_is_refused(bad):
    with pytest.raises(ValueError):
        StepMotion.from_json(bad)


MOTION_HEAD = "motions:\n  - technique: shoulder-outward-strokes\n    region: shoulders\n"


@pytest.mark.parametrize(
    ("body", "line", "column", "message"),
    [
        (
            "    hands: palms\n    path: [[0.85, 0.36], [0.02, 0.02]]\n"
            "    way_out: out\n    way_back: back\n",
            5,
            26,
            "path point 2 (52.2, 72.5 on the map) lies outside 'shoulders'",
        ),
        (
            "    hands: elbows\n    path: [[0.85, 0.36], [0.15, 0.8]]\n"
            "    way_out: out\n    way_back: back\n",
            4,
            12,
            "unknown hands 'elbows'",
        ),
        (
            "    hands: palms\n    path: [[0.85, 0.36], [1.5, 0.8]]\n"
            "    way_out: out\n    way_back: back\n",
            5,
            26,
            "must lie within 0..1",
        ),
        (
            "    hands: palms\n    path: [[0.85, 0.36], [0.15, 0.8]]\n    return: none\n"
            "    way_out: out\n    way_back: back\n",
            2,
            5,
            "missing 'turn'",
        ),
    ],
)
def test_check_reports_bad_motions_with_file_line_and_column(tmp_path, body, line, column, message):
    path = tmp_path / "motions" / "bad.yaml"
    path.parent.mkdir()
    path.write_text(MOTION_HEAD + body)
    problems = check_files([path], base=CAT)
    assert [(p.line, p.column) for p in problems if message in p.message] == [(line, column)], (
        problems
    )


def test_check_reports_a_path_across_the_spine_for_a_press(tmp_path):
    path = tmp_path / "motions" / "bad.yaml"
    path.parent.mkdir()
    path.write_text(
        "motions:\n  - technique: petrissage\n    region: upper-back\n"
        "    hands: fingers-and-thumb\n    path: [[0.3, 0.5], [0.7, 0.5]]\n"
        "    way_out: in\n    way_back: out\n"
    )
    problems = check_files([path], base=CAT)
    assert any("crosses 'spine'" in p.message and p.line == 5 for p in problems)


def test_check_reports_a_technique_with_no_motion(tmp_path):
    path = tmp_path / "techniques" / "mine.yaml"
    path.parent.mkdir()
    path.write_text(
        "techniques:\n  - id: my-glide\n    name: Mine\n    kind: glide\n"
        "    regions: [neck, shoulders]\n    positions: [seated]\n    hand_part: palms\n"
        "    stroke_rule: even\n    stroke_text: Smooth.\n"
        "    pressure: {default: 2, min: 1, max: 3}\n"
        "    seconds_per_rep: 5\n    reps: {default: 5, min: 1, max: 9}\n    cue: Go.\n"
    )
    problems = check_files([path], base=CAT)
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (2, "technique 'my-glide' has no motion for 'neck'"),
        (2, "technique 'my-glide' has no motion for 'shoulders'"),
    ]


def test_a_library_technique_without_a_motion_is_left_out_with_a_warning(tmp_path):
    folder = tmp_path / "techniques"
    folder.mkdir()
    (folder / "mine.yaml").write_text(
        "techniques:\n  - id: my-glide\n    name: Mine\n    kind: glide\n"
        "    regions: [neck]\n    positions: [seated]\n    hand_part: palms\n"
        "    stroke_rule: even\n    stroke_text: Smooth.\n"
        "    pressure: {default: 2, min: 1, max: 3}\n"
        "    seconds_per_rep: 5\n    reps: {default: 5, min: 1, max: 9}\n    cue: Go.\n"
    )
    skipped: list = []
    cat = load_catalogue([tmp_path], skipped=skipped)
    assert "my-glide" not in cat.techniques
    assert ["no motion for 'neck'" in p.message for p in skipped] == [True]


def test_every_shipped_motion_file_checks_clean():
    files = sorted((CONTENT_DIR / "motions").glob("*.yaml"))
    assert files and check_files(files, base=CAT) == []


def test_svg_paths_and_rects_become_outlines():
    square = path_points("M0 0 L10 0 l0 10 H0 Z")
    assert square == ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0))
    assert inside((5, 5), square) and not inside((11, 5), square)
    curve = path_points("M0 0 Q5 10 10 0 Z")
    assert inside((5, 3), curve) and not inside((5, 6), curve)


@given(
    st.lists(st.tuples(st.floats(0.2, 0.8), st.floats(0.2, 0.8)), min_size=1, max_size=5),
    st.integers(0, 6),
    st.floats(0.01, 0.1),
)
def test_circles_along_a_route_start_and_end_on_it_and_stay_near_it(route, loops, radius):
    path = trace(tuple(route), loops, radius)
    assert path[0] == pytest.approx(route[0], abs=1e-3)
    assert path[-1] == pytest.approx(route[-1], abs=1e-3)
    xs = [p[0] for p in route]
    ys = [p[1] for p in route]
    reach = 2 * radius + 1e-3 if loops else 1e-3
    assert all(min(xs) - reach <= x <= max(xs) + reach for x, _ in path)
    assert all(min(ys) - reach <= y <= max(ys) + reach for _, y in path)


def test_the_shipped_maps_draw_every_region():
    drawn = {region for shapes in shipped_shapes().values() for region in shapes}
    assert set(CAT.regions) <= drawn
    assert Path(CONTENT_DIR / "motions").is_dir()
