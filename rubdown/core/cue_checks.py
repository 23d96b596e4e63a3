"""Invariants for what a plan says: on its own region, in time, with every caution in place."""

from __future__ import annotations

from rubdown.core import guidance
from rubdown.core.guidance import TOWEL_MOVE_S
from rubdown.core.layout import JUST_SAID_S
from rubdown.core.models import FRAMES, Catalogue, Plan, Position
from rubdown.core.pauses import ANSWER_S, OIL_WARM_S
from rubdown.core.safety import Limits, regions_named, safety_limits
from rubdown.core.towels import worked_areas
from rubdown.core.wording import OIL_ASKS, PRESSURE_FEEL, pressure_phrase

EPS_S = 0.05


def _elsewhere(cat: Catalogue, region: str, text: str) -> list[str]:
    """Regions of other areas a step's words name (no-press landmarks aside)."""
    area = cat.regions[region].area_name
    return sorted(
        r
        for r in regions_named(cat, text)
        if cat.regions[r].area_name != area and not cat.regions[r].no_press
    )


def cues_stay_in_their_area(plan: Plan, cat: Catalogue) -> list[str]:
    """A step's words name only its own area (the opening and finish name what they cover)."""
    steps = plan.steps
    ends = {steps[0].step_index, steps[-1].step_index} if steps else set()
    out = []
    for s in steps:
        if s.region in cat.regions and s.step_index not in ends:
            named = _elsewhere(cat, s.region, s.say)
            if named:
                out.append(f"{s.region} at {s.start_s:.0f} s names {', '.join(named)}")
    return out


def never_names_an_avoided_region(plan: Plan, cat: Catalogue) -> list[str]:
    """No cue names a region the receiver asked to avoid (no-press landmarks aside)."""
    limits = safety_limits(cat, plan.request.profile)
    return [
        f"segment at {s.start_s:.0f} s names an avoided area"
        for s in plan.segments
        if not limits.speakable(s.say)
    ]


def says_cautions_where_they_matter(plan: Plan, cat: Catalogue) -> list[str]:
    """A region's and a technique's cautions are said by the time the hands first reach them."""
    limits = safety_limits(cat, plan.request.profile)
    steps = plan.steps
    ends = {steps[0].step_index, steps[-1].step_index} if steps else set()
    said: set[str] = set()
    seen: set[str] = set()
    out: list[str] = []
    for seg in plan.segments:
        if seg.kind != "step":
            said.update(seg.cautions)
            continue
        # The opening and finish glides, and the same glides done again after a "back",
        # are feather-light over everything: a region's cautions wait for its own steps.
        framing = seg.step_index in ends or seg.role in FRAMES
        if framing or seg.region not in cat.regions:
            continue
        region, technique = cat.regions[seg.region], cat.techniques[seg.technique or ""]
        due = [
            *([] if region.id in seen else region.cautions),
            *([] if technique.id in seen else technique.cautions),
        ]
        seen.update((region.id, technique.id))
        missing = [c for c in due if c not in said and limits.speakable(c)]
        out.extend(f"not said before {seg.region} at {seg.start_s:.0f} s: {c}" for c in missing)
    return out


def repeats_warnings_at_their_areas(plan: Plan, cat: Catalogue) -> list[str]:
    """Session warnings come before the first touch; area warnings before the hands reach
    their areas (the opening and finishing glides too, over all they cover), again as the
    work after the opening begins there, as the hands go on to another of the areas, and each
    time the hands come back to them."""
    limits = safety_limits(cat, plan.request.profile)
    warnings = guidance.area_warnings(cat, plan.request.profile.conditions, limits.speakable)
    steps = plan.steps
    ends = {steps[0].step_index, steps[-1].step_index} if steps else set()
    position = cat.positions.get(steps[0].position or "") if steps else None
    out: list[str] = []
    first = next((i for i, s in enumerate(plan.segments) if s.kind == "step"), 0)
    opening = {c for s in plan.segments[:first] for c in s.cautions}
    out.extend(
        f"not said at the start: {t}"
        for t in guidance.session_warnings(warnings)
        if t not in opening
    )
    for w in (w for w in warnings if w.regions):
        out.extend(_unwarned(plan, cat, w, ends, position, limits))
    return out


def _unwarned(
    plan: Plan,
    cat: Catalogue,
    w: guidance.AreaWarning,
    ends: set[int | None],
    position: Position | None,
    limits: Limits,
) -> list[str]:
    """Where the hands reach one warning's areas without it being said just before (or
    within JUST_SAID_S before)."""
    out: list[str] = []
    area: str | None = None  # the warned area the hands are in; "" after framing glides
    lead: set[str] = set()
    lead_at: float | None = None  # when the pauses before this step began
    last = -JUST_SAID_S - 1.0  # when the warning's words last ended
    for seg in plan.segments:
        if w.text in seg.cautions:
            last = seg.end_s
        if seg.kind != "step":
            lead.update(seg.cautions)
            lead_at = seg.start_s if lead_at is None else lead_at
            continue
        here = seg.region in w.regions
        # By role too: a re-fit renumbers steps, so the first side's finish lying on the
        # side no longer shares the last step's number.
        framing = seg.step_index in ends or seg.role in FRAMES
        if framing and position is not None:
            where = cat.positions.get(seg.position or "", position)
            here = here or bool(w.areas.intersection(worked_areas(cat, seg, where, limits)))
        now = cat.regions[seg.region].area_name if seg.region in cat.regions else ""
        due = area is None if framing else area != now
        recent = (seg.start_s if lead_at is None else lead_at) - last <= JUST_SAID_S
        if here and due and w.text not in lead and not recent:
            out.append(f"not said before {seg.region} ({seg.start_s:.0f} s): {w.text}")
        if here and (due or not framing):
            area = "" if framing else now
        elif not here and not framing:
            area = None
        lead, lead_at = set(), None
    return out


def no_cue_contradicts_a_condition(plan: Plan, cat: Catalogue) -> list[str]:
    """No cue asks for what a condition rules out (no 'lean your weight' with osteoporosis)."""
    limits = safety_limits(cat, plan.request.profile)
    out = []
    for seg in plan.segments:
        # A caution warning against the very thing ("never lean your weight") is no contradiction.
        words = seg.say
        for caution in seg.cautions:
            words = words.replace(caution, "")
        against = limits.contradicts(words) if limits.never_say else None
        if against:
            out.append(f"segment at {seg.start_s:.0f} s goes against {against}")
    return out


def cues_fit_their_slots(plan: Plan, cat: Catalogue) -> list[str]:
    """At 150 words a minute every pause holds its words; an introduction leaves most of a step."""
    out = []
    for seg in plan.segments:
        speech = guidance.speech_seconds(seg.say)
        room = seg.duration_s * (guidance.INTRO_SHARE if seg.kind == "step" else 1.0)
        if speech > room + EPS_S:
            out.append(
                f"{seg.kind} at {seg.start_s:.0f} s needs {speech:.0f} s of speech, "
                f"has {room:.0f} s"
            )
    return out


def leaves_the_hands_time_to_act(plan: Plan, cat: Catalogue) -> list[str]:
    """After words asking the hands to do something (move a towel, warm the oil) the pause
    holds the time it takes; the words said meanwhile count."""
    asks = {d.say: TOWEL_MOVE_S for p in cat.positions.values() for d in p.drapes}
    asks.update(dict.fromkeys(OIL_ASKS, OIL_WARM_S))
    out = []
    for seg in plan.segments:
        found = [(seg.say.find(a) + len(a), takes) for a, takes in asks.items() if a in seg.say]
        if not found:
            continue
        doing = sum(takes for _, takes in found)
        room = seg.duration_s - guidance.speech_seconds(seg.say[: max(end for end, _ in found)])
        if room + EPS_S < doing:
            out.append(
                f"{seg.kind} at {seg.start_s:.0f} s leaves {room:.1f} s after its words for "
                f"what they ask ({doing:.0f} s)"
            )
    return out


def leaves_time_to_answer(plan: Plan, cat: Catalogue) -> list[str]:
    """A check-in asks a question: after its words there is time for the receiver's answer."""
    out = []
    for seg in plan.segments:
        if seg.kind != "check-in":
            continue
        room = seg.duration_s - guidance.speech_seconds(seg.say)
        if room + EPS_S < ANSWER_S:
            out.append(f"check-in at {seg.start_s:.0f} s leaves {room:.1f} s for the answer")
    return out


def explains_each_pressure_number(plan: Plan, cat: Catalogue) -> list[str]:
    """Every step says its pressure; the first time a number is used, what it feels like."""
    out, explained = [], set()
    for seg in plan.steps:
        if seg.pressure is None or seg.say.startswith("Carry on"):
            continue
        felt = pressure_phrase(seg.pressure, True)
        if seg.pressure not in explained and seg.pressure in PRESSURE_FEEL:
            if felt not in seg.say:
                out.append(f"pressure {seg.pressure} first used at {seg.start_s:.0f} s unexplained")
            explained.add(seg.pressure)
        elif pressure_phrase(seg.pressure, False) not in seg.say:
            out.append(f"step at {seg.start_s:.0f} s does not say its pressure {seg.pressure}")
    return out


CUE_CHECKS = (
    cues_stay_in_their_area,
    never_names_an_avoided_region,
    says_cautions_where_they_matter,
    repeats_warnings_at_their_areas,
    no_cue_contradicts_a_condition,
    cues_fit_their_slots,
    leaves_the_hands_time_to_act,
    leaves_time_to_answer,
    explains_each_pressure_number,
)
