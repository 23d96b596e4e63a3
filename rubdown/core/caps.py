"""Time limits on a session's steps: how long a technique, a region or an area may run."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence

from rubdown.core import craft
from rubdown.core.frames import main_of
from rubdown.core.models import FRAMES, Position, Profile, Segment
from rubdown.core.safety import Limits
from rubdown.core.stepspec import StepSpec, respec


def _cap(
    spec: StepSpec, seconds: float, sides: int | None = None, margin: float = craft.CAP_MARGIN
) -> StepSpec:
    per_rep = spec.technique.seconds_per_rep * (spec.sides if sides is None else sides)
    most = max(1, math.floor(seconds * margin / per_rep))
    if most >= spec.max_reps:
        return spec
    least = min(spec.min_reps, most)
    return respec(spec, max_reps=most, min_reps=least, default_reps=min(spec.default_reps, most))


def technique_runs(specs: Sequence[StepSpec]) -> list[list[int]]:
    """Consecutive steps with the same technique, as lists of indices."""
    runs: list[list[int]] = []
    for i, spec in enumerate(specs):
        if runs and specs[runs[-1][-1]].technique.id == spec.technique.id:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def cap_time(
    specs: list[StepSpec], profile: Profile, limits: Limits, minutes: int, generated: bool
) -> list[StepSpec]:
    """Limit how long one technique runs in a row and how much time a region may take."""
    # A position worked one side at a time does each side of a step on its own.
    out = [_cap(s, craft.STEP_LIMIT_S, 1 if s.position.turns else None) for s in specs]
    for run in technique_runs(out):
        focus = any(out[i].region.id in profile.focus for i in run)
        limit = craft.FOCUS_RUN_LIMIT_S if focus else craft.RUN_LIMIT_S
        for i in run:
            out[i] = _cap(out[i], limit / len(run))
    window = minutes * 60.0
    by_region: dict[str, list[int]] = {}
    by_area: dict[str, list[int]] = {}
    for i, spec in enumerate(out):
        if spec.role not in FRAMES:
            by_region.setdefault(spec.region.id, []).append(i)
            by_area.setdefault(spec.region.area_name, []).append(i)
    for region, indices in by_region.items():
        given = limits.max_seconds.get(region)
        if given is not None:
            for i in indices:
                out[i] = _cap(out[i], given / len(indices))
    if generated:
        # However short the session, no one region that is not a focus takes most of it.
        for region, indices in by_region.items():
            if region not in profile.focus:
                _cap_together(out, indices, craft.AREA_CAP_MARGIN * craft.SHARE_LIMIT * window)
    if generated and minutes >= craft.SHARE_MIN_MINUTES:
        main = main_of([s.region.area_name for s in out if s.role not in FRAMES])
        for area, indices in by_area.items():
            # The area the session is built around (the back) may take more: it is the session.
            if area == main or any(out[i].region.id in profile.focus for i in indices):
                continue
            _cap_together(out, indices, craft.AREA_CAP_MARGIN * area_share(area) * window)
    return out


def first_step_before_checkin(specs: Sequence[StepSpec], room_s: float) -> list[StepSpec]:
    """The opening step ends within `room_s`, before the first check-in is due: a check-in
    never cuts the session's first stroke in two (a long focus opening had one inside it)."""
    out = list(specs)
    if out:
        # The room is exact (the check-in's due time), so no margin is taken off it.
        out[0] = _cap(out[0], room_s, 1 if out[0].position.turns else None, margin=1.0)
    return out


def _cap_together(out: list[StepSpec], indices: list[int], seconds: float) -> None:
    """Steps that together may take at most `seconds`: each keeps its share of their longest."""
    longest = [out[i].max_reps * out[i].technique.seconds_per_rep * out[i].sides for i in indices]
    total = sum(longest)
    if total <= seconds:
        return
    for i, most in zip(indices, longest, strict=True):
        out[i] = _cap(out[i], seconds * most / total)


def area_share(_area: str) -> float:
    """The most of a session an area that is not a focus may take."""
    return craft.SHARE_LIMIT


def weigh_tool(position: Position, specs: list[StepSpec], minutes: int) -> list[StepSpec]:
    """In a position meant for one tool (the forearm), its techniques get most of the time.

    When the tool's techniques can fill half the session, whatever else is done may take no
    more time than they do; when they cannot, they are all done at their longest.
    """
    if not position.tool:
        return specs
    tool = [s.technique.uses(position.tool) for s in specs]
    if not any(tool):
        return specs
    out = [
        respec(s, weight=s.weight * craft.TOOL_WEIGHT) if uses and s.role not in FRAMES else s
        for s, uses in zip(specs, tool, strict=True)
    ]
    most = sum(
        min(s.max_reps * s.technique.seconds_per_rep * s.sides, craft.RUN_LIMIT_S)
        for s, uses in zip(out, tool, strict=True)
        if uses
    )
    others = [i for i, uses in enumerate(tool) if not uses and specs[i].role not in FRAMES]
    # Steps take most of a session; the pauses between them the rest.
    room = max(most, 0.9 * minutes * 60 - most)
    for i in others:
        out[i] = _cap(out[i], max(room / len(others), 30.0))
    if room > most:  # the tool cannot fill half: its steps are done at their longest
        for i, uses in enumerate(tool):
            if uses and out[i].role not in FRAMES:
                out[i] = _at_longest(out[i])
    return out


def _at_longest(spec: StepSpec) -> StepSpec:
    """A step held at its most repetitions (cap_time has already kept those within a run)."""
    return respec(spec, min_reps=spec.max_reps, default_reps=spec.max_reps)


def keep_tool_share(position: Position, specs: list[StepSpec]) -> list[StepSpec]:
    """Leave out hand work until the position's tool has half the time even at the fewest
    repetitions (a short or adapted routine on a chair); an area left with only its light
    entry and flush goes too."""
    if not position.tool or len(specs) < 3:
        return specs
    out = list(specs)

    def least(s: StepSpec) -> float:
        reps = max(s.min_reps, s.least_first_reps(s.first_side() if s.sides == 2 else "both"))
        return reps * s.technique.seconds_per_rep * s.sides

    while True:
        inner = [s for s in out[1:-1] if s.role == "work"]
        tool = sum(least(s) for s in inner if s.technique.uses(position.tool))
        work = [
            i
            for i, s in enumerate(out)
            if 0 < i < len(out) - 1 and s.role == "work" and not s.technique.uses(position.tool)
        ]
        # A margin: the fit rounds repetitions and may grow the hand work a little.
        if not work or tool >= (craft.TOOL_SHARE + 0.05) * sum(least(s) for s in inner):
            break
        del out[work[-1]]
    keep = [out[0]]
    for _, indices in craft.area_runs(out[1:-1]):
        run = [out[i + 1] for i in indices]
        if any(s.role == "work" for s in run):
            keep.extend(run)
    return [*keep, out[-1]]


def shorten(specs: list[StepSpec]) -> list[StepSpec] | None:
    """One work step fewer (from the area with the most), for a routine asked to be shorter;
    an area left with only its light entry and flush goes too. None when nothing can go."""
    inner = specs[1:-1]
    runs = [(area, idx) for area, idx in craft.area_runs(inner)]
    counts = [sum(1 for i in idx if inner[i].role == "work") for _, idx in runs]
    if not runs or (max(counts) <= 1 and len(runs) <= 1):
        return None
    area_i = max(range(len(runs)), key=lambda k: (counts[k], k))
    work = [i for i in runs[area_i][1] if inner[i].role == "work"]
    if not work:
        return None
    # In a position meant for one tool, the other work goes first.
    tool = specs[0].position.tool
    work.sort(key=lambda i: (not (tool and inner[i].technique.uses(tool)), i))
    out = [s for i, s in enumerate(inner) if i != work[-1]]
    keep = []
    for _, idx in craft.area_runs(out):
        run = [out[i] for i in idx]
        if any(s.role == "work" for s in run):
            keep.extend(run)
    return [specs[0], *keep, specs[-1]]


def runs_too_long(segments: Sequence[Segment], focus: Sequence[str]) -> bool:
    """Whether a laid-out plan runs one technique longer in a row than the limit allows."""
    steps = [s for s in segments if s.kind == "step"]
    for _, run in itertools.groupby(steps, key=lambda s: s.technique):
        segs = list(run)
        focused = any(s.region in focus for s in segs)
        limit = craft.FOCUS_RUN_LIMIT_S if focused else craft.RUN_LIMIT_S
        if sum(s.duration_s for s in segs) > limit + 1.0:
            return True
    return False


def over_region_limits(
    specs: list[StepSpec], limits: Limits, notes: list[str] | None = None
) -> set[int]:
    """The steps to leave out so each region a condition limits in time (the low back with a
    slipped disc) fits it once its steps have room for their words: first a light stroke the
    opening or finish repeats, then, if that is not enough, the region's every step."""
    drop: set[int] = set()
    for region, most in limits.max_seconds.items():
        here, least = _limited(specs, region)
        for i in reversed([i for i in here if _beside_its_frame(specs, i)]):
            if least <= most:
                break
            least -= _rep_seconds(specs[i]) * specs[i].min_reps
            drop.add(i)
        if least > most:
            drop.update(here)
            if notes is not None and here:
                notes.append(left_out_note(specs[here[0]].region.name, most))
    return drop


def limited_left_out(limits: Limits, worked: Iterable[str]) -> frozenset[str]:
    """The regions a condition limits in time that are not worked at all (their strokes are
    then not there to be used)."""
    kept = set(worked)
    return frozenset(r for r in limits.max_seconds if r not in kept)


def left_out_note(region_name: str, most: int) -> str:
    """Why a region a condition limits in time is not worked at all."""
    allowed = f"{most // 60} min" if most % 60 == 0 else f"{most} s"
    return (
        f"The {region_name.lower()} left out after all: even its shortest steps, with their "
        f"words, need more than the {allowed} allowed there."
    )


def keep_region_limits(specs: list[StepSpec], limits: Limits) -> list[StepSpec]:
    """Repetitions past each step's fewest shared so a time-limited region keeps its limit."""
    out = list(specs)
    for region, most in limits.max_seconds.items():
        here, least = _limited(out, region)
        _share_spare(out, here, max(0.0, most - least))
    return out


def keep_region_shares(specs: list[StepSpec], profile: Profile, window: float) -> list[StepSpec]:
    """A generated session's regions that are not a focus keep their share of it once their
    steps have room for their words: repetitions past the fewest shared within it."""
    if window < craft.REGION_SHARE_MIN_MINUTES * 60:
        return specs
    out = list(specs)
    share = craft.CAP_MARGIN * craft.SHARE_LIMIT * window
    for region in dict.fromkeys(s.region.id for s in out):
        if region not in profile.focus:
            here, least = _limited(out, region)
            _share_spare(out, here, max(0.0, share - least))
    return out


def _limited(specs: list[StepSpec], region: str) -> tuple[list[int], float]:
    """A region's steps (the opening and finish pass over all: not counted) and their least."""
    here = [i for i, s in enumerate(specs) if s.region.id == region and s.role not in FRAMES]
    return here, sum(_rep_seconds(specs[i]) * specs[i].min_reps for i in here)


def _beside_its_frame(specs: list[StepSpec], i: int) -> bool:
    """An entry just after the opening, or a flush just before the finish, covered by it."""
    spec = specs[i]
    frame = {"entry": (i - 1, "opening"), "flush": (i + 1, "finish")}.get(spec.role)
    if frame is None or not 0 <= frame[0] < len(specs):
        return False
    beside = specs[frame[0]]
    return beside.role == frame[1] and spec.region.id in beside.technique.regions


def _rep_seconds(spec: StepSpec) -> float:
    return spec.technique.seconds_per_rep * spec.sides


def _share_spare(out: list[StepSpec], indices: list[int], spare: float) -> None:
    """Repetitions past the fewest, shared so the steps together take no more than `spare`."""
    extra = [(out[i].max_reps - out[i].min_reps) * _rep_seconds(out[i]) for i in indices]
    total = sum(extra)
    if total <= spare:
        return
    for i, more in zip(indices, extra, strict=True):
        s = out[i]
        reps = s.min_reps + math.floor(spare * more / total / _rep_seconds(s))
        out[i] = respec(s, max_reps=reps, default_reps=min(s.default_reps, reps))
