"""Strokes on the arms, hands, legs and feet work toward the heart; the way back is light
(a therapist's reading of the plans, issue 10)."""

from __future__ import annotations

import re

import pytest

from rubdown.core.catalogue import load_catalogue, needed_motions
from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session
from rubdown.paper.sheet import direction_of, sheet_steps

CAT = load_catalogue()
LIMBS = frozenset(
    {"upper-arms", "forearms", "hands", "thighs", "front-thighs", "calves", "shins", "feet"}
)
# Landmarks a motion starts from or goes to, by how far they are from the trunk.
FROM_TRUNK = {
    "the fingertips": 3,
    "the wrist": 2,
    "the elbow": 1,
    "the shoulder": 0,
    "the toes": 3,
    "the ankle": 2,
    "the knee": 1,
    "the hip": 0,
    "the buttock": 0,
}
# The strokes that used to travel away from the heart, with every map they are drawn on.
TURNED = [
    ("arm-glide", "upper-arms"),
    ("arm-glide", "forearms"),
    ("arm-glide", "hands"),
    ("arm-squeeze-down", "upper-arms"),
    ("forearm-thumb-circles", "forearms"),
    ("side-arm-squeeze", "upper-arms"),
    ("side-arm-squeeze", "forearms"),
    ("foot-glide", "feet"),
    ("side-foot-squeeze", "feet"),
]
TURNED_MAPS = [
    (technique, region, view)
    for technique, region in TURNED
    for r, view in needed_motions(CAT.techniques[technique], CAT.positions)
    if r == region
]
# Finger pulls draw each finger out to its tip: a gentle traction, not a stroke along the limb.
ALONG_THE_LIMB = [
    (t.id, region)
    for t in CAT.techniques.values()
    if t.kind in ("glide", "squeeze", "circles") and t.id != "finger-pulls"
    for region in t.regions
    if region in LIMBS
]
AWAY = re.compile(
    r"(?<!back )down (the|this) (arm|forearm|upper arm)|(?<!back )down to the (wrist|elbow)"
    r"|stepping down|to the fingertips|toward the toes|to the toes|from the elbow to the wrist"
)


@pytest.mark.parametrize(("technique", "region", "view"), TURNED_MAPS)
def test_the_working_stroke_ends_nearer_the_trunk_than_it_starts(technique, region, view):
    motion = CAT.techniques[technique].motion_on(region, view)
    assert motion is not None
    assert FROM_TRUNK[motion.end] < FROM_TRUNK[motion.start], (motion.start, motion.end)


@pytest.mark.parametrize(("technique", "region", "view"), TURNED_MAPS)
def test_the_drawn_path_travels_up_the_limb(technique, region, view):
    # Arms and legs hang down on both body maps: toward the trunk is up the page.
    motion = CAT.techniques[technique].motion_on(region, view)
    assert motion is not None
    assert motion.path[-1][1] < motion.path[0][1]
    assert "down" not in motion.way_out


@pytest.mark.parametrize(("technique", "region"), ALONG_THE_LIMB)
def test_no_limb_stroke_is_said_or_named_travelling_away_from_the_heart(technique, region):
    t = CAT.techniques[technique]
    for words in (t.cue_for(region), t.name_for(region), t.stroke_text):
        assert not AWAY.search(words), words
    motion = CAT.techniques[technique].motion_on(region, "back") or CAT.techniques[
        technique
    ].motion_on(region, "front")
    assert motion is not None
    if motion.start in FROM_TRUNK and motion.end in FROM_TRUNK:
        assert FROM_TRUNK[motion.end] < FROM_TRUNK[motion.start]


# What each cue says of the way toward the heart, and then of the lighter way back (circles
# and foot squeezes step along with no return stroke).
@pytest.mark.parametrize(
    ("technique", "region", "toward", "back"),
    [
        ("arm-glide", "upper-arms", "up to the top of the arm", "lighter on the way back"),
        ("arm-glide", "forearms", "from the wrist up this forearm", "back down, barely pressing"),
        ("arm-glide", "hands", "from the fingertips over the back", "slow and light"),
        ("arm-squeeze-down", "upper-arms", "stepping up the arms", "lightly back down"),
        ("forearm-thumb-circles", "forearms", "from the wrist to the elbow", None),
        ("side-arm-squeeze", "upper-arms", "stepping up the arm", "trail back down"),
        ("side-arm-squeeze", "forearms", "stepping up to the elbow", "trail back down"),
        ("foot-glide", "feet", "from the toes up to the ankle", "back more lightly"),
        ("side-foot-squeeze", "feet", "toward the ankle", None),
    ],
)
def test_the_cue_says_the_way_toward_the_heart_then_the_light_way_back(
    technique, region, toward, back
):
    cue = CAT.techniques[technique].cue_for(region)
    assert toward in cue
    if back is not None:
        assert back in cue.split(toward)[1]


def test_the_arm_squeezes_keep_their_id_and_are_named_up_the_arms():
    t = CAT.techniques["arm-squeeze-down"]
    assert t.name == "Light squeezes up the arms"
    assert CAT.techniques["arm-glide"].name_for("upper-arms") == "Long glide up the upper arm"
    assert CAT.techniques["arm-glide-face-up"].name_for("upper-arms") == (
        "Long glide up the upper arm"
    )


@pytest.mark.parametrize("technique", ["arm-squeeze-down", "forearm-thumb-circles"])
def test_the_sheet_arrow_points_up_the_arm(technique):
    assert direction_of(technique, CAT.techniques[technique].stroke_rule) == "up"


@pytest.mark.parametrize(
    ("position", "minutes", "technique"),
    [
        ("seated", 20, "arm-squeeze-down"),
        ("lying", 30, "arm-squeeze-down"),
        ("lying", 30, "forearm-thumb-circles"),
        ("side-lying", 45, "side-arm-squeeze"),
    ],
)
def test_the_printed_step_draws_its_firm_stroke_toward_the_heart(position, minutes, technique):
    p = plan_session(CAT, PlanRequest(minutes=minutes, position=position, profile=Profile()))
    done = {seg.step_index: seg.technique for seg in p.steps}
    steps = [
        s for s, index in zip(sheet_steps(p, CAT), done, strict=True) if done[index] == technique
    ]
    assert steps
    for step in steps:
        assert step.direction == "up"
        assert step.motion is not None
        for firm, _light in step.motion.strokes:
            assert firm[-1][1] < firm[0][1]
