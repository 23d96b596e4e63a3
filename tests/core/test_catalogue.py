"""Loading and validating content files."""

from __future__ import annotations

from pathlib import Path

import pytest

from rubdown.core.catalogue import CONTENT_DIR, CatalogueError, check_files, load_catalogue
from rubdown.core.models import KINDS

REQUIRED_REGIONS = {
    "skull-base",
    "neck",
    "shoulders",
    "shoulder-blades",
    "upper-back",
    "spine",
    "mid-back",
    "lower-back",
    "hips",
    "glutes",
    "upper-arms",
    "forearms",
    "hands",
    "thighs",
    "calves",
    "feet",
}
REQUIRED_CONDITIONS = {
    "fever",
    "contagious-illness",
    "blood-clot",
    "uncontrolled-high-blood-pressure",
    "slipped-disc",
    "sciatica",
    "pregnancy",
    "varicose-veins",
    "blood-thinners",
    "osteoporosis",
    "recent-injury",
    "skin-irritation",
}
SHIPPED = sorted(CONTENT_DIR.rglob("*.yaml"))


def test_shipped_content_has_the_required_ids(cat):
    assert set(cat.regions) >= REQUIRED_REGIONS
    assert {"seated", "lying", "seated-forearms"} <= set(cat.positions)
    assert set(cat.conditions) >= REQUIRED_CONDITIONS
    assert len(cat.techniques) >= 12
    assert len(cat.routines) >= 3
    assert {t.kind for t in cat.techniques.values()} == set(KINDS)


def test_spine_is_a_no_press_zone_touched_only_by_light_glides(cat):
    assert cat.regions["spine"].no_press
    on_spine = [t for t in cat.techniques.values() if "spine" in t.regions]
    assert on_spine and all(t.kind == "glide" and t.pressure.max <= 2 for t in on_spine)


def test_seated_cannot_reach_glutes_or_legs(cat):
    reach = set(cat.positions["seated"].reaches)
    assert not reach & {"glutes", "thighs", "calves", "feet"}
    back_of_body = {r for r in cat.regions if r not in cat.positions["face-up"].reaches}
    assert back_of_body - {"scalp"} <= set(cat.positions["lying"].reaches)


def test_every_condition_cites_a_source(cat):
    assert all(c.source and c.explain for c in cat.conditions.values())


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(CONTENT_DIR)))
def test_every_shipped_file_validates_on_its_own(path, cat):
    # A file is checked together with what it may refer to: the core files, the techniques
    # and the motions every technique needs.
    needed = [
        p for p in SHIPPED if p.parent == CONTENT_DIR or p.parent.name in ("techniques", "motions")
    ]
    assert check_files(list(dict.fromkeys([*needed, path]))) == []


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


ROUTINE_HEAD = "id: mine\nname: Mine\nposition: seated\nminutes: 10\nsteps:\n"
LIGHT = "  - technique: long-glide\n    region: upper-back\n"

BAD_INPUT = [
    # (file name, content, expected line, text in the message)
    ("syntax.yaml", ROUTINE_HEAD + "  - technique: [unclosed\n", 7, "YAML syntax"),
    (
        "dupkey.yaml",
        "id: a\nid: b\nname: X\nposition: seated\nminutes: 10\nsteps:\n" + LIGHT,
        2,
        "duplicate key 'id'",
    ),
    (
        "missing.yaml",
        "id: mine\nposition: seated\nminutes: 10\nsteps:\n" + LIGHT,
        1,
        "missing 'name'",
    ),
    (
        "type.yaml",
        ROUTINE_HEAD.replace("minutes: 10", "minutes: ten") + LIGHT,
        4,
        "must be a whole number",
    ),
    (
        "range.yaml",
        ROUTINE_HEAD.replace("minutes: 10", "minutes: 500") + LIGHT,
        4,
        "between 5 and 90",
    ),
    ("unknown-field.yaml", ROUTINE_HEAD + LIGHT + "    pressur: 2\n", 8, "unknown field 'pressur'"),
    (
        "unknown-tech.yaml",
        ROUTINE_HEAD + "  - technique: karate-chop\n    region: neck\n",
        6,
        "unknown technique 'karate-chop'",
    ),
    (
        "unknown-region.yaml",
        ROUTINE_HEAD + "  - technique: long-glide\n    region: elbow\n",
        7,
        "unknown region 'elbow'",
    ),
    (
        "wrong-region.yaml",
        ROUTINE_HEAD + "  - technique: long-glide\n    region: feet\n",
        7,
        "is not for 'feet'",
    ),
    (
        "reach.yaml",
        ROUTINE_HEAD.replace("seated", "seated-forearms")
        + "  - technique: long-glide\n    region: lower-back\n",
        7,
        "cannot be reached",
    ),
    ("pressure.yaml", ROUTINE_HEAD + LIGHT + "    pressure: 9\n", 8, "outside long-glide's range"),
    (
        "first-step.yaml",
        ROUTINE_HEAD + "  - technique: petrissage\n    region: shoulders\n" + LIGHT,
        6,
        "first step must be a light glide or stroke",
    ),
    (
        "bad-id.yaml",
        ROUTINE_HEAD.replace("id: mine", "id: My Routine") + LIGHT,
        1,
        "lowercase words joined by '-'",
    ),
    ("not-mapping.yaml", "- just\n- a list\n", 1, "not a rubdown file"),
    ("empty.yaml", "", 1, "file is empty"),
    (
        "steps-type.yaml",
        ROUTINE_HEAD.replace("steps:\n", "steps: 3\n"),
        5,
        "'steps' must be a list",
    ),
    (
        "tech-range.yaml",
        "techniques:\n  - id: t1\n    name: T\n    kind: stroke\n"
        "    regions: [neck]\n    positions: [seated]\n    hand_part: palms\n"
        "    stroke_rule: even\n    stroke_text: Smooth.\n"
        "    pressure: {default: 7, min: 2, max: 6}\n"
        "    seconds_per_rep: 5\n    reps: {default: 5, min: 1, max: 9}\n    cue: Go.\n",
        10,
        "min <= default <= max",
    ),
    (
        "tech-kind.yaml",
        "techniques:\n  - id: t2\n    name: T\n    kind: punch\n"
        "    regions: [neck]\n    positions: [seated]\n    hand_part: palms\n"
        "    stroke_rule: even\n    stroke_text: Smooth.\n"
        "    pressure: {default: 3, min: 2, max: 6}\n"
        "    seconds_per_rep: 5\n    reps: {default: 5, min: 1, max: 9}\n    cue: Go.\n",
        4,
        "unknown kind 'punch'",
    ),
    (
        "spine-press.yaml",
        "techniques:\n  - id: t3\n    name: T\n    kind: press\n"
        "    regions: [spine]\n    positions: [lying]\n    hand_part: palms\n"
        "    stroke_rule: even\n    stroke_text: Smooth.\n"
        "    pressure: {default: 3, min: 2, max: 6}\n"
        "    seconds_per_rep: 5\n    reps: {default: 5, min: 1, max: 9}\n    cue: Go.\n",
        5,
        "no-press zone",
    ),
    (
        "names-type.yaml",
        "techniques:\n  - id: t4\n    name: T\n    kind: stroke\n"
        "    regions: [neck, shoulders]\n    positions: [seated]\n    hand_part: palms\n"
        "    stroke_rule: even\n    stroke_text: Smooth.\n"
        "    pressure: {default: 3, min: 2, max: 6}\n"
        "    seconds_per_rep: 5\n    reps: {default: 5, min: 1, max: 9}\n    cue: Go.\n"
        "    names: Neck stroke\n",
        14,
        "'names' must map regions to their name",
    ),
    (
        "names-region.yaml",
        "techniques:\n  - id: t4\n    name: T\n    kind: stroke\n"
        "    regions: [neck, shoulders]\n    positions: [seated]\n    hand_part: palms\n"
        "    stroke_rule: even\n    stroke_text: Smooth.\n"
        "    pressure: {default: 3, min: 2, max: 6}\n"
        "    seconds_per_rep: 5\n    reps: {default: 5, min: 1, max: 9}\n    cue: Go.\n"
        "    names:\n      neck: Neck stroke\n      calves: Calf stroke\n",
        16,
        "'names' names 'calves', not one of its regions",
    ),
    (
        "names-empty.yaml",
        "techniques:\n  - id: t4\n    name: T\n    kind: stroke\n"
        "    regions: [neck, shoulders]\n    positions: [seated]\n    hand_part: palms\n"
        "    stroke_rule: even\n    stroke_text: Smooth.\n"
        "    pressure: {default: 3, min: 2, max: 6}\n"
        "    seconds_per_rep: 5\n    reps: {default: 5, min: 1, max: 9}\n    cue: Go.\n"
        "    names:\n      shoulders: ''\n",
        15,
        "the name for 'shoulders' must be text",
    ),
    (
        "runs-over.yaml",
        "regions:\n  - id: tailbone\n    name: Tailbone\n    order: 5\n"
        "    runs_over: [lower-back, tail]\n",
        5,
        "unknown region 'tail'",
    ),
    ("too-short.yaml", ROUTINE_HEAD.replace("minutes: 10", "minutes: 60") + LIGHT, 4, "too few"),
    (
        "clash.yaml",
        ROUTINE_HEAD.replace("id: mine", "id: quick-neck-shoulders") + LIGHT,
        1,
        "already used by rubdown",
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "line", "message"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT]
)
def test_bad_files_are_reported_with_file_line_and_message(
    tmp_path, cat, name, text, line, message
):
    path = write(tmp_path, name, text)
    problems = check_files([path], cat)
    assert problems, "expected a problem"
    matching = [p for p in problems if message in p.message]
    assert matching, [str(p) for p in problems]
    assert matching[0].file == str(path)
    assert matching[0].line == line
    assert matching[0].column >= 1


def test_a_routine_may_go_back_up_the_body_as_the_source_text_does(tmp_path, cat):
    text = (
        ROUTINE_HEAD
        + LIGHT
        + "  - technique: palm-circles-beside-spine\n    region: mid-back\n"
        + "  - technique: shoulder-outward-strokes\n    region: shoulders\n"
        + LIGHT
    )
    assert check_files([write(tmp_path, "backwards.yaml", text)], cat) == []


def test_check_holds_a_routine_to_the_session_invariants(tmp_path, cat):
    (tmp_path / "techniques").mkdir()
    (tmp_path / "routines").mkdir()
    technique = write(
        tmp_path,
        "techniques/mine.yaml",
        "techniques:\n  - id: wandering-stroke\n    name: Wandering stroke\n    kind: stroke\n"
        "    regions: [upper-back]\n    positions: [seated]\n    hand_part: palms\n"
        "    stroke_rule: even\n    stroke_text: Palms stroke the back.\n"
        "    pressure: {default: 3, min: 1, max: 4}\n    seconds_per_rep: 8\n"
        "    reps: {default: 6, min: 2, max: 20}\n    per_side: false\n"
        "    cue: Stroke the upper back, then on down over the hips.\n",
    )
    routine = write(
        tmp_path,
        "routines/mine.yaml",
        ROUTINE_HEAD
        + LIGHT
        + "  - technique: wandering-stroke\n    region: upper-back\n    reps: 12\n"
        + LIGHT,
    )
    problems = [p.message for p in check_files([technique, routine], cat)]
    assert any("as a session: cues_stay_in_their_area" in m for m in problems), problems


def test_every_problem_in_a_file_is_reported_not_just_the_first(tmp_path, cat):
    text = ROUTINE_HEAD.replace("minutes: 10", "minutes: 900") + (
        "  - technique: karate-chop\n    region: neck\n"
        "  - technique: long-glide\n    region: elbow\n    colour: red\n"
    )
    problems = check_files([write(tmp_path, "many.yaml", text)], cat)
    assert len(problems) >= 4
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path, cat):
    problems = check_files([tmp_path / "nope.yaml"], cat)
    assert [p.message for p in problems] == ["file not found"]


def test_a_user_library_adds_routines_and_techniques(tmp_path):
    (tmp_path / "routines").mkdir()
    (tmp_path / "techniques").mkdir()
    write(
        tmp_path / "techniques",
        "mine.yaml",
        (
            "techniques:\n  - id: my-stroke\n    name: My stroke\n    kind: stroke\n"
            "    regions: [shoulders]\n    positions: [seated, lying]\n    hand_part: palms\n"
            "    stroke_rule: firm-down-light-up\n    stroke_text: Out firm, back soft.\n"
            "    pressure: {default: 3, min: 1, max: 5}\n    seconds_per_rep: 5\n"
            "    reps: {default: 8, min: 2, max: 30}\n    cue: Sweep out and back.\n"
        ),
    )
    (tmp_path / "motions").mkdir()
    write(
        tmp_path / "motions",
        "mine.yaml",
        "motions:\n  - technique: my-stroke\n    region: shoulders\n    hands: palms\n"
        "    path: [[0.85, 0.36], [0.15, 0.8]]\n    way_out: outward\n"
        "    way_back: back toward the neck\n",
    )
    write(
        tmp_path / "routines",
        "mine.yaml",
        ROUTINE_HEAD.replace("minutes: 10", "minutes: 5")
        + "  - technique: my-stroke\n    region: shoulders\n"
        + LIGHT,
    )
    cat = load_catalogue([tmp_path])
    assert "my-stroke" in cat.techniques
    assert [s.technique for s in cat.routines["mine"].steps] == ["my-stroke", "long-glide"]


def test_a_broken_library_raises_with_every_problem(tmp_path):
    (tmp_path / "routines").mkdir()
    write(tmp_path / "routines", "bad.yaml", ROUTINE_HEAD + "  - technique: nope\n    region: x\n")
    with pytest.raises(CatalogueError) as err:
        load_catalogue([tmp_path])
    assert len(err.value.problems) >= 2
    assert all(p.file.endswith("bad.yaml") for p in err.value.problems)


def test_a_position_must_tell_the_receiver_to_get_up_slowly(tmp_path, cat):
    shipped = (CONTENT_DIR / "positions.yaml").read_text()
    seated = "    get_up: they get up slowly, one hand on yours to steady them\n"
    assert seated in shipped
    text = shipped.replace(seated, "    get_up: they jump up\n", 1)
    path = write(tmp_path, "positions.yaml", text)
    problems = [p for p in check_files([path], cat) if "get_up" in p.message]
    assert [p.line for p in problems] == [text.splitlines().index("    get_up: they jump up") + 1]
    assert "get up slowly" in problems[0].message
