"""plan_session: choose a position and steps that suit the receiver, then fit them in time."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, replace

from rubdown.core import compose, craft, guidance
from rubdown.core.caps import (
    cap_time,
    keep_region_limits,
    keep_region_shares,
    left_out_note,
    limited_left_out,
    over_region_limits,
    runs_too_long,
    shorten,
)
from rubdown.core.fit_window import FIT_TOLERANCE_S, TooLittleWork, TooMuchWork, fit_steps
from rubdown.core.layout import Cursor
from rubdown.core.models import (
    MAX_MINUTES,
    MIN_MINUTES,
    Catalogue,
    Plan,
    PlanError,
    PlanRequest,
    Position,
    Routine,
    Segment,
)
from rubdown.core.safety import Limits, cap_notes, safety_limits
from rubdown.core.stepspec import StepSpec, respec, room_to_speak

SHORT_SESSION_MINUTES = 20
SLACK_S = (0.0, 45.0, 120.0, 300.0)
MAX_ROUNDS = 4
DEFAULT_MINUTES = 30
POSITION_PREFERENCE = {
    # Short sessions: no undressing, quick set-up.
    True: ("seated", "seated-forearms", "face-up", "lying", "side-lying"),
    # Longer: lying reaches the whole back and legs; on the side reaches nearly as much.
    False: ("lying", "side-lying", "seated", "seated-forearms", "face-up"),
}


def _check_request(cat: Catalogue, request: PlanRequest, minutes: int) -> None:
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise PlanError(
            f"minutes must be a whole number from {MIN_MINUTES} to {MAX_MINUTES}, got {minutes}"
        )
    if request.position != "any" and request.position not in cat.positions:
        raise PlanError(f"unknown position '{request.position}'", (*cat.positions, "any"))
    if request.routine is not None and request.routine not in cat.routines:
        raise PlanError(f"unknown routine '{request.routine}'", tuple(cat.routines))


def _preferred(cat: Catalogue, limits: Limits) -> tuple[Position, str] | None:
    """The first position a condition prefers that nothing rules out, and why."""
    for position, reason in limits.preferred_positions:
        if position in cat.positions and position not in limits.forbidden_positions:
            return cat.positions[position], f"the kindest position with {reason}"
    return None


def _auto_position(
    cat: Catalogue, request: PlanRequest, minutes: int, limits: Limits, notes: list[str]
) -> Position:
    preferred = _preferred(cat, limits)
    if preferred is not None:
        kindest, why = preferred
        notes.append(f"Position: {kindest.name.lower()} ({why}).")
        return kindest
    order = [p for p in POSITION_PREFERENCE[minutes < SHORT_SESSION_MINUTES] if p in cat.positions]
    order += [p for p in cat.positions if p not in order]
    allowed = [p for p in order if p not in limits.forbidden_positions]
    if not allowed:
        raise PlanError("no position is safe with these conditions")
    focus = [r for r in request.profile.focus if r not in limits.avoid]
    best = max(allowed, key=lambda p: sum(r in cat.positions[p].reaches for r in focus))
    reached = [r for r in focus if r in cat.positions[best].reaches]
    why = "it reaches the focus areas" if reached else f"it suits a {minutes}-minute session"
    for position, reason in sorted(limits.forbidden_positions.items()):
        why += f"; {reason} rules out {cat.positions[position].name.lower()}"
    notes.append(f"Position: {cat.positions[best].name.lower()} ({why}).")
    return cat.positions[best]


def _routine_position(cat: Catalogue, request: PlanRequest, limits: Limits) -> str:
    """The routine's position; 'any' when one of its steps' positions is ruled out."""
    assert request.routine is not None
    routine = cat.routines[request.routine]
    if request.position not in ("any", routine.position):
        raise PlanError(
            f"the routine '{routine.name}' is done {routine.position}: let rubdown choose the "
            f"position, or pick another routine"
        )
    used = {routine.position, *(s.position for s in routine.steps if s.position)}
    if used & set(limits.forbidden_positions):
        return "any"
    return routine.position


def choose_position(
    cat: Catalogue, request: PlanRequest, minutes: int, limits: Limits, notes: list[str]
) -> Position:
    """The position asked for, the routine's, or the best safe one; explains any switch."""
    wanted = request.position
    if request.routine is not None:
        wanted = _routine_position(cat, request, limits)
    if wanted in limits.forbidden_positions:
        reason = limits.forbidden_positions[wanted]
        why: list[str] = []
        chosen = _auto_position(cat, replace(request, position="any"), minutes, limits, why)
        preferred = _preferred(cat, limits)
        because = f" ({preferred[1]})" if preferred and preferred[0] == chosen else ""
        notes.append(
            f"Not {cat.positions[wanted].name.lower()}: {reason} rules it out, so "
            f"{chosen.name.lower()} instead{because}."
        )
        return chosen
    if wanted == "any":
        return _auto_position(cat, request, minutes, limits, notes)
    return cat.positions[wanted]


def _smooth_ramp(specs: list[StepSpec]) -> list[StepSpec]:
    """Lower pressures so neighbouring steps differ by at most 2, and the ends stay light."""
    values = [s.pressure for s in specs]
    values[0], values[-1] = min(values[0], 3), min(values[-1], 3)
    for i in range(1, len(values)):
        values[i] = min(values[i], values[i - 1] + 2)
    for i in range(len(values) - 2, -1, -1):
        values[i] = min(values[i], values[i + 1] + 2)
    return [
        s if s.pressure == v else respec(s, pressure=v) for s, v in zip(specs, values, strict=True)
    ]


def _ramped(specs: list[StepSpec], notes: list[str]) -> list[StepSpec]:
    """Ramp pressures; drop steps a ramp would push below their technique's minimum."""
    while True:
        smooth = _smooth_ramp(specs)
        low = [i for i, s in enumerate(smooth) if s.pressure < s.technique.pressure.min]
        inner = [i for i in low if 0 < i < len(smooth) - 1 and smooth[i].role == "work"]
        if not inner:
            return smooth
        dropped = smooth[inner[0]]
        notes.append(
            f"Left out {dropped.technique.name.lower()} on the "
            f"{dropped.region.name.lower()}: it cannot be done gently enough here."
        )
        specs = specs[: inner[0]] + specs[inner[0] + 1 :]


def _least_work_s(specs: list[StepSpec]) -> float:
    """The seconds of the steps' own strokes at their fewest, without a word or a pause."""
    return sum(s.min_reps * s.technique.seconds_per_rep * s.sides for s in specs)


def _shortened_routine(
    specs: list[StepSpec],
    window: float,
    warnings: list[guidance.AreaWarning],
    request: PlanRequest,
    limits: Limits,
    notes: list[str],
) -> tuple[list[Segment], list[StepSpec]]:
    """A routine asked for fewer minutes than its steps need: leave steps out until it fits."""
    while True:
        shorter = shorten(specs)
        if shorter is None:
            raise TooMuchWork(
                f"this routine's steps need more than {window / 60:.0f} minutes; "
                "ask for more minutes"
            )
        # Leaving a step out can put a firm step next to a light one: ramp again.
        shorter = _ramped(shorter, notes)
        specs = cap_time(shorter, request.profile, limits, int(window // 60), False)
        if _least_work_s(specs) > window + FIT_TOLERANCE_S:
            continue  # the strokes alone, at their fewest, overrun: no need to lay them out
        try:
            specs, segments = _guide_and_fit(specs, window, warnings, request, limits, notes)
            places = [s.position for s in segments if s.kind == "step"]
            moves = sum(1 for a, b in itertools.pairwise(places) if a != b)
            if not runs_too_long(segments, request.profile.focus) and moves <= 1:
                return segments, specs
        except TooMuchWork:
            continue


def _guide_and_fit(
    specs: list[StepSpec],
    window: float,
    warnings: list[guidance.AreaWarning],
    request: PlanRequest,
    limits: Limits,
    notes: list[str],
    generated: bool = False,
) -> tuple[list[StepSpec], list[Segment]]:
    """The steps with what is said before them, room to say it, and fitted to the window."""
    roomy = _guided(specs, warnings, limits)
    # Room for the words may outgrow a region's time limit: the limit wins. What is left
    # out is guided again, so its cautions and first pressures are said where the hands go.
    drop = over_region_limits(roomy, limits, notes)
    if drop:
        roomy = _guided([s for i, s in enumerate(specs) if i not in drop], warnings, limits)
    specs = keep_region_limits(roomy, limits)
    if generated:
        # Room to speak lengthens steps after the caps were set: each region keeps its share.
        specs = keep_region_shares(specs, request.profile, window)
    segments = fit_steps(
        specs,
        Cursor(),
        window,
        guidance.session_warnings(warnings),
        calibrate=request.calibrate,
        oil=limits.oil,
    )
    return specs, segments


def _guided(
    specs: list[StepSpec], warnings: list[guidance.AreaWarning], limits: Limits
) -> list[StepSpec]:
    """Each step with what is said before it, and repetitions enough to say its introduction."""
    guided = guidance.guide_steps(specs, warnings, limits.speakable, avoid=frozenset(limits.avoid))
    return [room_to_speak(s) for s in guided]


def _fail_again(failed: list[tuple[list[StepSpec], PlanError]], specs: list[StepSpec]) -> None:
    """The very steps that failed to fit before fail again: raise that error, do not refit."""
    # A larger slack often composes the same steps (the estimate still fits them): the fit is
    # a pure function of them, so its answer is known.
    for before, err in failed:
        if len(before) == len(specs) and all(a is b for a, b in zip(before, specs, strict=True)):
            raise err


def _routine_kept(
    routine: Routine | None, position: Position, limits: Limits, notes: list[str]
) -> Routine | None:
    """The routine, unless it needs a position ruled out today (then said, and None)."""
    if routine is not None and (
        position.id != routine.position
        or any(s.position in limits.forbidden_positions for s in routine.steps)
    ):
        notes.append(f"Routine '{routine.id}' set aside: it needs a position ruled out today.")
        return None
    return routine


@dataclass(frozen=True)
class _Ask:
    """What every composing round of one request shares."""

    cat: Catalogue
    request: PlanRequest
    minutes: int
    position: Position
    routine: Routine | None
    limits: Limits
    warnings: list[guidance.AreaWarning]
    rng: random.Random | None  # one per request: each round goes on drawing from it
    left_out: frozenset[str] = frozenset()  # regions a time limit kept out on an earlier try


def _compose(ask: _Ask, notes: list[str], rounds: int, slack: float) -> list[StepSpec]:
    """One try at the steps: the routine gone through `rounds` times, or composed with slack."""
    cat, profile, limits = ask.cat, ask.request.profile, ask.limits
    if ask.routine is None:
        window = ask.minutes * 60.0
        return compose.from_catalogue(
            cat, ask.position, profile, limits, window, ask.rng, notes, slack, ask.left_out
        )
    specs = compose.from_routine(cat, ask.routine, profile, limits, notes, ask.minutes)
    specs = compose.in_rounds(cat, specs, rounds, profile, limits, ask.minutes)
    if rounds > 1:
        notes.append(f"The routine is done {rounds} times over to fill the minutes.")
    return specs


def _compose_and_fit(
    ask: _Ask, notes: list[str]
) -> tuple[list[Segment], list[StepSpec], list[str]]:
    """Compose and fit, with more slack or more rounds of a routine until the steps fit."""
    request, limits, routine, window = ask.request, ask.limits, ask.routine, ask.minutes * 60.0
    rounds = 1
    failed: list[tuple[list[StepSpec], PlanError]] = []
    for slack in (*SLACK_S, *([SLACK_S[-1]] * MAX_ROUNDS)):
        tried = list(notes)
        specs = composed = _compose(ask, tried, rounds, slack)
        try:
            _fail_again(failed, composed)
            specs = _ramped(specs, tried)
            specs, segments = _guide_and_fit(
                specs, window, ask.warnings, request, limits, tried, routine is None
            )
            if routine is not None and runs_too_long(segments, request.profile.focus):
                # Few safe strokes left (a condition allows only glides): fewer steps, not one
                # stroke running on for minutes.
                raise TooMuchWork("one stroke would run on too long")
            return _varied_again(ask, notes, composed, specs) or (segments, specs, tried)
        except PlanError as err:
            failed.append((composed, err))
            one_place = len({s.position.id for s in specs}) == 1
            if routine and isinstance(err, TooLittleWork) and rounds < MAX_ROUNDS and one_place:
                rounds += 1  # a longer session goes through the routine again, counts kept
                continue
            if routine is not None and isinstance(err, TooMuchWork):
                segments, specs = _shortened_routine(
                    specs, window, ask.warnings, request, limits, tried
                )
                tried.append("Some of the routine's steps left out to fit the minutes.")
                return segments, specs, tried
            # A short session may need fewer areas than the estimate thought: try with less.
            if routine is not None or slack == SLACK_S[-1] or isinstance(err, TooLittleWork):
                raise
    raise AssertionError("the last round either fits or raises")  # pragma: no cover


def _varied_again(
    ask: _Ask, notes: list[str], composed: list[StepSpec], specs: list[StepSpec]
) -> tuple[list[Segment], list[StepSpec], list[str]] | None:
    """Composed again without the regions a condition's time limit left out once the words
    had room, when losing their techniques left the session short of variety (a slipped disc
    keeps the hips to 2 minutes: their strokes go, and others take their place); None when
    nothing was lost that way, or the new try does not fit or is no more varied."""
    if ask.routine is not None or ask.left_out:
        return None
    limited = ask.limits.max_seconds
    lost = limited_left_out(ask.limits, (s.region.id for s in specs))
    lost &= {s.region.id for s in composed}  # composed, then lost once the words had room
    used = len({s.technique.id for s in specs})
    if not lost or used >= craft.distinct_target(ask.minutes):
        return None
    said = [left_out_note(ask.cat.regions[r].name, limited[r]) for r in sorted(lost)]
    try:
        again = _compose_and_fit(replace(ask, left_out=frozenset(lost)), notes + said)
    except PlanError:
        return None
    return again if len({s.technique.id for s in again[1]}) > used else None


def plan_session(cat: Catalogue, request: PlanRequest) -> Plan:
    """Plan a session that fits the minutes and is safe for the receiver."""
    routine = cat.routines.get(request.routine) if request.routine else None
    minutes = request.minutes
    if minutes is None:
        minutes = routine.minutes if routine else DEFAULT_MINUTES
    _check_request(cat, request, minutes)
    limits = safety_limits(cat, request.profile)
    limits.rule_out_long_stays(minutes)
    notes: list[str] = []
    position = choose_position(cat, request, minutes, limits, notes)
    if limits.suggest_minutes is not None and minutes > limits.suggest_minutes[0]:
        most, reason = limits.suggest_minutes
        notes.append(f"A shorter session, about {most} minutes, is often kinder with {reason}.")
    routine = _routine_kept(routine, position, limits, notes)
    warnings = guidance.area_warnings(cat, request.profile.conditions, limits.speakable)
    rng = random.Random(request.vary) if request.vary is not None else None
    ask = _Ask(cat, request, minutes, position, routine, limits, warnings, rng)
    segments, specs, notes = _compose_and_fit(ask, notes)
    touched = {s.region.id for s in specs}
    notes = limits.notes + cap_notes(cat, limits, touched) + notes
    notes += list(request.profile.learned_notes)
    return Plan(
        minutes=minutes,
        position=position.id,
        segments=tuple(segments),
        notes=tuple(dict.fromkeys(notes)),
        request=replace(request, minutes=minutes),
        routine=routine.id if routine else None,
        warnings=tuple(limits.warnings),
    )
