"""What a re-fitted session says from now on: the towel moves, cautions, warnings and
how-tos still owed, told as the plan itself would have told them.

A live change (skip, back, more) lays the rest of a session out again from step specs
rebuilt from segments; without this they would reach new areas in silence.
"""

from __future__ import annotations

from collections.abc import Sequence

from rubdown.core import guidance, wording
from rubdown.core.frames import frame_reach
from rubdown.core.models import FRAMES, Catalogue, Position, Profile, Segment
from rubdown.core.passes import step_groups
from rubdown.core.safety import Limits
from rubdown.core.stepspec import TURN_SIDES, StepSpec, respec, room_to_speak


def guide_rest(
    cat: Catalogue,
    profile: Profile,
    limits: Limits,
    done: Sequence[Segment],
    past: Sequence[StepSpec],
    rest: Sequence[StepSpec],
    under_way: bool = False,
) -> list[StepSpec]:
    """The steps to come, each with what is said before it, given what was done and said
    (`under_way`: the first goes on from what was said before it)."""
    worked = tuple(dict.fromkeys(s.region.id for s in (*past, *rest) if s.role not in FRAMES))
    past, rest = _reframed(cat, past, worked, limits), _reframed(cat, rest, worked, limits)
    warnings = guidance.area_warnings(cat, profile.conditions, limits.speakable)
    # A pause cut before its words were out (the opening skipped a second in) said nothing.
    said = [c for seg in done if guidance.heard_in_full(seg) for c in seg.cautions]
    # A step cut seconds in was not explained: the next time its stroke comes, say it in full.
    groups = step_groups(cat, done)
    unheard = frozenset(i for i, g in enumerate(groups) if not guidance.heard_in_full(g[0]))
    guided = guidance.guide_steps(
        [*past, *rest],
        warnings,
        limits.speakable,
        said,
        avoid=frozenset(limits.avoid),
        unheard=unheard,  # past is one spec per group of done (refit.specs_from_segments)
        heard_before=(len(past), _heard_since_the_last_step(done)),
    )
    ahead = _second_side_told(guided[len(past) :], done, warnings, limits)
    # Its lead was said already; lying on the side, a step under way keeps it for the other
    # side, after the turn (the layout says nothing before the part under way).
    both_sides = under_way and ahead and ahead[0].position.turns and ahead[0].only_side is None
    if ahead and _introduced(done, ahead[0]) and not both_sides:
        ahead[0] = respec(ahead[0], before="", cautions=())
    # Room to speak, but never past a step's most repetitions: a region kept short stays so.
    roomy = (room_to_speak(s) for s in ahead)
    return [r if r.max_reps == s.max_reps else s for r, s in zip(roomy, ahead, strict=True)]


def _heard_since_the_last_step(done: Sequence[Segment]) -> str:
    """The words of the pauses since the last step done, heard in full: the towels lie as they
    said (the legs tucked in before the neck, then "back" to the feet bares them again)."""
    last = max((k for k, s in enumerate(done) if s.kind == "step"), default=-1)
    return " ".join(s.say for s in done[last + 1 :] if guidance.heard_in_full(s))


def _introduced(done: Sequence[Segment], spec: StepSpec) -> bool:
    """Whether what was done ends with the pauses that led into this step (more time on it);
    the opening's lead is the first words, said with the oil."""
    for seg in reversed(done):
        if seg.kind == "step":
            return False
        if seg.region == spec.region.id or (seg.kind == "oil" and spec.role == "opening"):
            return guidance.heard_in_full(seg)
    return False


def _second_side_told(
    ahead: list[StepSpec],
    done: Sequence[Segment],
    warnings: Sequence[guidance.AreaWarning],
    limits: Limits,
) -> list[StepSpec]:
    """Lying on the side, the steps' passes left for the second side say their cautions again,
    as the plan does after the turn: what was said on the first side does not count there. A
    step with both passes still to come keeps its first pass's lead and gets a second."""
    second = (None, TURN_SIDES[1])
    later = [i for i, s in enumerate(ahead) if s.position.turns and s.only_side in second]
    if not any(ahead[i].only_side for i in later) and not _turn_ahead(done, ahead, later):
        return ahead
    at = turned_at(done, ahead[later[0]].position)
    since = done[at:] if at >= 0 else []  # not turned yet: nothing said on the second side
    said = [c for seg in since if guidance.heard_in_full(seg) for c in seg.cautions]
    told = guidance.guide_steps(
        [ahead[i] for i in later], warnings, limits.speakable, said, frozenset(limits.avoid)
    )
    out = list(ahead)
    for i, again in zip(later, told, strict=True):
        if ahead[i].only_side is not None:
            moves = again.towel_moves
            out[i] = respec(
                ahead[i], before=again.before, cautions=again.cautions, towel_moves=moves
            )
        elif (again.before, again.cautions) != (ahead[i].before, ahead[i].cautions):
            out[i] = respec(ahead[i], second_lead=(again.before, again.cautions, again.towel_moves))
    return out


def _turn_ahead(done: Sequence[Segment], ahead: list[StepSpec], later: list[int]) -> bool:
    """Whether the receiver is still to turn over in the steps ahead (not turned yet)."""
    return bool(later) and turned_at(done, ahead[later[0]].position) < 0


def turned_at(done: Sequence[Segment], position: Position) -> int:
    """Where in what was done the receiver was told to turn over (-1: not yet)."""
    words = wording.turn_over(position)
    return next((k for k, seg in enumerate(done) if words in seg.say), -1)


def owed_first_words(
    cat: Catalogue, profile: Profile, limits: Limits, done: Sequence[Segment]
) -> str:
    """What the session's first words said that must still be said before the next stroke,
    when they were skipped before they were out: the warnings about the whole session, the
    pressure scale and when to stop ("" once heard). Skipping them means the couple is ready:
    the set-up and the oil are not said again."""
    if any(wording.STOP_RULE in seg.say and guidance.heard_in_full(seg) for seg in done):
        return ""
    warnings = guidance.area_warnings(cat, profile.conditions, limits.speakable)
    owed = [*guidance.session_warnings(warnings), wording.pressure_scale(), wording.STOP_RULE]
    return " ".join(owed)


def _reframed(
    cat: Catalogue, specs: Sequence[StepSpec], worked: Sequence[str], limits: Limits
) -> list[StepSpec]:
    """The opening and finish with the reach a segment does not keep (their areas as said)."""
    return [
        respec(s, **frame_reach(cat, s, s.role, worked, limits)) if s.role in FRAMES else s
        for s in specs
    ]
