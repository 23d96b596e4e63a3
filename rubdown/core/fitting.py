"""Fitting repetitions to a time budget: weighted water-filling, then integer repair."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    """One step as the solver sees it: seconds per repetition, bounds and a weight."""

    seconds: float
    min_reps: int
    max_reps: int
    default_reps: int
    weight: float = 1.0

    @property
    def base(self) -> float:
        """The step's wanted share of time before scaling."""
        return self.default_reps * self.seconds * self.weight


def capacity(slots: Sequence[Slot]) -> tuple[float, float]:
    """The shortest and longest total the slots can make."""
    return (
        sum(s.min_reps * s.seconds for s in slots),
        sum(s.max_reps * s.seconds for s in slots),
    )


def _continuous(slots: Sequence[Slot], budget: float) -> list[float]:
    """Durations proportional to each slot's base, clamped to its bounds, summing to budget.

    The total is piecewise linear in the common scale, so walking the sorted breakpoints
    finds the exact scale in O(n log n).
    """
    lows = [s.min_reps * s.seconds for s in slots]
    highs = [s.max_reps * s.seconds for s in slots]
    bases = [s.base for s in slots]  # once: each is asked for three or four times below
    events = sorted(
        [(lo / b, 0, i) for i, (lo, b) in enumerate(zip(lows, bases, strict=True))]
        + [(hi / b, 1, i) for i, (hi, b) in enumerate(zip(highs, bases, strict=True))]
    )
    fixed, slope, scale = sum(lows), 0.0, 0.0
    for point, is_high, i in events:
        reached = fixed + slope * point
        if reached >= budget:
            break
        scale = point
        if is_high:
            slope -= bases[i]
            fixed += highs[i]
        else:
            slope += bases[i]
            fixed -= lows[i]
    else:
        return highs
    if slope > 0:
        scale = (budget - fixed) / slope
    return [min(max(scale * b, lo), hi) for b, lo, hi in zip(bases, lows, highs, strict=True)]


def _repair(slots: Sequence[Slot], reps: list[int], ideal: list[float], budget: float) -> None:
    """Move single repetitions to bring the total as close to the budget as it goes."""
    total = sum(r * s.seconds for r, s in zip(reps, slots, strict=True))
    for _ in range(4 * len(slots) + 8):
        gap = budget - total
        step = 1 if gap > 0 else -1
        # The move that closes the gap most, then strays least from the ideal share; the
        # first such step on a tie. Compared as numbers, not tuples: this loop is the fit's.
        best, best_gap, best_distortion = -1, abs(gap), 0.0
        for i, s in enumerate(slots):
            if not s.min_reps <= reps[i] + step <= s.max_reps:
                continue
            new_gap = abs(gap - step * s.seconds)
            if new_gap > best_gap or (new_gap == best_gap and best < 0):
                continue
            distortion = abs((reps[i] + step) * s.seconds - ideal[i]) / max(ideal[i], 1.0)
            if best < 0 or new_gap < best_gap or distortion < best_distortion:
                best, best_gap, best_distortion = i, new_gap, distortion
        if best < 0:
            return
        reps[best] += step
        total += step * slots[best].seconds


def solve_reps(slots: Sequence[Slot], budget: float) -> list[int]:
    """Repetitions per slot within bounds, sharing the budget by weight, total close to it."""
    if not slots:
        return []
    ideal = _continuous(slots, budget)
    reps = [
        min(max(round(d / s.seconds), s.min_reps), s.max_reps)
        for d, s in zip(ideal, slots, strict=True)
    ]
    _repair(slots, reps, ideal, budget)
    return reps
