"""Invariants for the pauses between steps: when they come, what they say, and the towels."""

from __future__ import annotations

import itertools
import re

from rubdown.core.guidance import heard_in_full
from rubdown.core.models import FRAMES, Catalogue, Plan, Segment, is_light
from rubdown.core.pauses import HALFWAY_MIN_S, NEW_SKIN_OIL_S
from rubdown.core.safety import safety_limits
from rubdown.core.towels import Towels, worked_areas
from rubdown.core.wording import STOP_RULE

# Spoken instructions between two steps; at most one of them comes at a time.
TALKING_PAUSES = ("announce", "check-in")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_COUNT = re.compile(r"\d")
# A check-in may fall inside a step only when the step alone outlasts the time between them.
LONG_STEP_S = 295.0


def _step_lengths(plan: Plan) -> dict[int, float]:
    lengths: dict[int, float] = {}
    for s in plan.steps:
        if s.step_index is not None:
            lengths[s.step_index] = lengths.get(s.step_index, 0.0) + s.duration_s
    return lengths


def _neighbour_steps(plan: Plan, i: int) -> tuple[Segment | None, Segment | None]:
    segs = plan.segments
    before = next((s for s in reversed(segs[:i]) if s.kind == "step"), None)
    after = next((s for s in segs[i + 1 :] if s.kind == "step"), None)
    return before, after


def checks_in_between_steps(plan: Plan, cat: Catalogue) -> list[str]:
    """A check-in comes between whole steps, never between one technique's left and right side
    (a turn-over is the one way between them, and a step longer than the gap may be split)."""
    lengths = _step_lengths(plan)
    out = []
    for i, seg in enumerate(plan.segments):
        if seg.kind != "check-in" or seg.position is not None:
            continue
        before, after = _neighbour_steps(plan, i)
        if before is None or after is None or before.step_index != after.step_index:
            continue
        if lengths.get(before.step_index or 0, 0.0) <= LONG_STEP_S:
            out.append(f"check-in at {seg.start_s:.0f} s inside the {before.region} step")
    return out


def tells_one_thing_at_a_time(plan: Plan, cat: Catalogue) -> list[str]:
    """Between two steps the giver hears one announcement or one check-in, not both."""
    out, talk = [], 0
    for seg in plan.segments:
        if seg.kind == "step":
            talk = 0
        elif seg.kind in TALKING_PAUSES:
            talk += 1
            if talk > 1:
                out.append(f"{seg.kind} at {seg.start_s:.0f} s straight after another pause")
    return out


def sentences(text: str) -> list[str]:
    """A cue's sentences, leaving out those that give counts (they repeat by nature)."""
    return [s for s in _SENTENCE.split(text.strip()) if s and not _COUNT.search(s)]


def never_says_the_same_twice_running(plan: Plan, cat: Catalogue) -> list[str]:
    """No sentence of a cue is said again in the next cue, nor in the next step's (counts
    aside): a repeated technique is named, not explained again."""
    out = []
    segs = plan.segments
    steps = [s for s in segs if s.kind == "step" and not s.say.startswith("Carry on")]
    pairs = [*itertools.pairwise(segs), *itertools.pairwise(steps)]
    for a, b in pairs:
        same = set(sentences(a.say)) & set(sentences(b.say))
        if same:
            out.append(f"said again at {b.start_s:.0f} s: {sorted(same)[0]}")
    return list(dict.fromkeys(out))


def never_works_under_the_towel(plan: Plan, cat: Catalogue) -> list[str]:
    """No step works an area the towels still cover: each drape is said before its area."""
    limits = safety_limits(cat, plan.request.profile)
    first = next((s.position for s in plan.steps), None)
    if first not in cat.positions:
        return []
    towels = Towels.start(cat.positions[first or ""])
    out = []
    for seg in plan.segments:
        position = cat.positions.get(seg.position or "")
        if position is not None and towels.position.id != position.id:
            towels = Towels.start(position)  # the receiver settles anew, under the towels
        towels.hear(seg.say)
        if seg.kind != "step" or seg.region not in cat.regions:
            continue
        areas = worked_areas(cat, seg, towels.position, limits)
        under = [a for a in areas if a in towels.covered]
        if under:
            out.append(f"{seg.region} at {seg.start_s:.0f} s works {under[0]} under the towel")
    return out


def announces_the_finish_as_the_finish(plan: Plan, cat: Catalogue) -> list[str]:
    """The pause before the finishing glides names the finish, never a region to go to."""
    steps = plan.steps
    if not steps or steps[-1].role != "finish":
        return []
    first = next(i for i, s in enumerate(plan.segments) if s.step_index == steps[-1].step_index)
    out = []
    for seg in reversed(plan.segments[:first]):
        if seg.kind == "step":
            break
        if re.search(r"\b(Next, the|move on to the)\b", seg.say):
            out.append(f"the finish is announced as a region at {seg.start_s:.0f} s")
    return out


def explains_each_stroke_once(plan: Plan, cat: Catalogue) -> list[str]:
    """A stroke's how-to is said once on a region, across its left and right sides (also when
    the receiver turns over between them); later it is only named."""
    out, said = [], set()
    for seg in plan.steps:
        t = cat.techniques.get(seg.technique or "")
        how = t.cue_for(seg.region or "") if t is not None else ""
        if seg.role in FRAMES or not how or how not in seg.say:
            continue
        if not heard_in_full(seg):
            continue  # cut seconds in, before the how-to was out: it may be said in full again
        key = (seg.technique, how, seg.position)
        if key in said:
            out.append(
                f"{seg.technique} explained again on the {seg.region} at {seg.start_s:.0f} s"
            )
        said.add(key)
    return out


def arranges_the_towels_before_the_oil(plan: Plan, cat: Catalogue) -> list[str]:
    """A towel move said with the oil comes before it: the receiver is settled first, then the
    oil is warmed, so it is still warm when the hands touch."""
    drapes = {d.say for p in cat.positions.values() for d in p.drapes}
    out = []
    for seg in plan.segments:
        oil_at = seg.say.find(" oil") if seg.kind == "oil" else -1
        late = [d for d in drapes if oil_at >= 0 and seg.say.find(d) > oil_at]
        if late:
            out.append(f"the towels are arranged after the oil at {seg.start_s:.0f} s")
    return out


def says_what_the_receiver_leans_on(plan: Plan, cat: Catalogue) -> list[str]:
    """Where a position has the receiver lean on something (a pillow on a table), it is said
    before the first step there: at the start, or when the receiver moves there."""
    out, heard, where = [], "", None
    for seg in plan.segments:
        if seg.kind != "step":
            heard += f" {seg.say}"
            continue
        position = cat.positions.get(seg.position or "")
        fresh = where is not None or plan.segments[0].kind == "oil"  # a re-fit starts midway
        arrives = seg.position != where and fresh
        if arrives and position and position.support and position.support not in heard:
            out.append(f"{position.id} at {seg.start_s:.0f} s: its support is never said")
        where, heard = seg.position, ""
    return out


def says_the_stop_rule(plan: Plan, cat: Catalogue) -> list[str]:
    """A session said from its start tells the giver when to stop (sharp pain, tingling,
    numbness) before the first step that is more than a light glide."""
    if not plan.segments or plan.segments[0].start_s > 0:
        return []  # a re-fit from midway: the rule was said at the real start
    for seg in plan.segments:
        if STOP_RULE in seg.say and heard_in_full(seg):  # not words skipped before they were out
            return []
        if seg.kind == "step" and not is_light(seg.technique_kind, seg.pressure):
            return [f"deeper work at {seg.start_s:.0f} s before the stop rule is said"]
    return []


def says_what_to_do_before_rising(plan: Plan, cat: Catalogue) -> list[str]:
    """The closing says what a worked region needs before the receiver stands (oily soles
    wiped, so they cannot slip)."""
    closing = plan.segments[-1].say if plan.segments else ""
    needs = {cat.regions[s.region].before_rising for s in plan.steps if s.region in cat.regions}
    return [f"the closing does not say: {n}" for n in sorted(needs) if n and n not in closing]


def says_the_halfway_change(plan: Plan, cat: Catalogue) -> list[str]:
    """A position with halfway words (face down: turn the head the other way) hears them once
    when its work is long, as the hands move between regions, near half its step time."""
    if not plan.segments or plan.segments[0].kind != "oil":
        return []  # a re-fit from midway does not know where the halfway was
    out = []
    for position in {s.position for s in plan.steps}:
        words = cat.positions[position or ""].halfway
        if not words:
            continue
        said = [g for g in plan.segments if words in g.say and heard_in_full(g)]
        steps = [s for s in plan.steps if s.position == position]
        runs = [[*g] for _, g in itertools.groupby(steps, key=lambda s: s.region)]
        if len(runs) < 2 or sum(s.duration_s for s in steps) < HALFWAY_MIN_S:
            continue  # short, or one region: the head stays as it is
        if len(said) != 1 or said[0].kind == "step":
            out.append(f"{position}: its halfway words are said {len(said)} times")
            continue
        before = sum(s.duration_s for s in steps if s.start_s < said[0].start_s)
        after = sum(s.duration_s for s in steps) - before
        longest = max(sum(s.duration_s for s in run) for run in runs)
        near = abs(before - after) <= longest + 1.0
        if not near and not _ends_the_halfway_run(runs, before, (before + after) / 2):
            out.append(f"{position}: halfway said after {before:.0f} s of {before + after:.0f} s")
    return out


def _ends_the_halfway_run(runs: list[list[Segment]], at: float, half: float) -> bool:
    """Whether `at` (step seconds) is where the region run holding the half ends: "more" on
    that run, under way, can only move the words to its end."""
    start = 0.0
    for run in runs:
        end = start + sum(s.duration_s for s in run)
        if start <= half <= end:
            return abs(at - end) <= 1.0
        start = end
    return False


def works_through_the_towel_where_it_stays(plan: Plan, cat: Catalogue) -> list[str]:
    """A region the towel stays over (the buttocks) is worked through it: its first step says
    so, and no oil is called for just before any of its steps."""
    out, pauses, told = [], list[str](), set[str]()
    for seg in plan.segments:
        if seg.kind != "step":
            pauses.append(seg.kind)
            continue
        region = cat.regions.get(seg.region or "")
        if region is not None and region.through_towel and seg.role not in FRAMES:
            if "oil" in pauses:
                out.append(f"oil called for before the {region.id} at {seg.start_s:.0f} s")
            if region.id not in told and "towel" not in seg.say.lower():
                out.append(f"the {region.id} at {seg.start_s:.0f} s: no word of the towel")
            told.add(region.id)
        pauses = []
    return out


def keeps_oil_off_the_hair_and_face(plan: Plan, cat: Catalogue) -> list[str]:
    """Oily hands are told to wipe before the hair or the face, and after them are oiled
    again before the next region that takes oil; no oil is called for just before the
    hairline."""
    out, oily, dry, said, oiled = [], False, False, list[str](), False
    for n, seg in enumerate(plan.segments):
        said.append(seg.say.lower())
        if seg.kind == "oil":
            oily, dry, oiled = True, False, n > 0  # the set-up's oil is warmed for the start
        region = cat.regions.get(seg.region or "") if seg.kind == "step" else None
        if region is None:
            continue
        where = f"the {region.id} at {seg.start_s:.0f} s"
        if region.no_oil and oiled:
            out.append(f"{where}: oil called for just before the hairline")
        oiled = False
        if region.dry_hands:
            if oily and not any("wipe" in words for words in said):
                out.append(f"{where}: oily hands, and no word to wipe them")
            oily, dry = False, True
        elif dry and region.takes_oil:
            out.append(f"{where}: the hands come from the hair or face with no oil")
            dry = False
        else:
            oily = oily or region.takes_oil  # oiled skin oils the hands; hair, a towel do not
        said = []
    return out


def oils_new_skin(plan: Plan, cat: Catalogue) -> list[str]:
    """The hands take oil as they reach new bare skin: another area, unless they were oiled a
    moment before (not for the finish's glides), and the other side after a turn."""
    out: list[str] = []
    oiled_at, area, side, pauses_at = 0.0, None, None, None
    for seg in plan.segments:
        if seg.kind == "oil":
            oiled_at = seg.end_s
        if seg.kind != "step":
            pauses_at = seg.start_s if pauses_at is None else pauses_at
            continue
        region = cat.regions.get(seg.region or "")
        position = cat.positions.get(seg.position or "")
        turned = position is not None and position.turns and side not in (None, seg.side)
        new = area is not None and region is not None and region.area_name != area
        lead_at = seg.start_s if pauses_at is None else pauses_at
        late = lead_at - oiled_at >= NEW_SKIN_OIL_S and seg.role != "finish"
        if (
            region is not None
            and region.takes_oil
            and oiled_at < lead_at
            and (turned or (new and late))
        ):
            out.append(f"the {region.id} at {seg.start_s:.0f} s: new skin, and no oil")
        area = region.area_name if region is not None and region.takes_oil else area
        side, pauses_at = seg.side, None
    return out


TALK_CHECKS = (
    checks_in_between_steps,
    tells_one_thing_at_a_time,
    never_says_the_same_twice_running,
    never_works_under_the_towel,
    announces_the_finish_as_the_finish,
    explains_each_stroke_once,
    arranges_the_towels_before_the_oil,
    says_what_the_receiver_leans_on,
    says_the_stop_rule,
    says_what_to_do_before_rising,
    says_the_halfway_change,
    works_through_the_towel_where_it_stays,
    keeps_oil_off_the_hair_and_face,
    oils_new_skin,
)
