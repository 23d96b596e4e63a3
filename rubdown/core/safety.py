"""Safety: what a receiver's conditions and preferences allow, as small named rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from rubdown.core.models import (
    PARTNER_MAX_PRESSURE,
    PRESSURE_WORDS,
    Cap,
    Catalogue,
    Condition,
    PlanError,
    Profile,
    Refusal,
    Technique,
)

SPINE_GLIDE_MAX = 2
_T = TypeVar("_T")


@dataclass
class Limits:
    """Per-region ceilings and bans that every step of a plan must respect."""

    pressure_cap: int
    region_caps: dict[str, int] = field(default_factory=dict)
    forbidden_kinds: dict[str, set[str]] = field(default_factory=dict)
    only_kinds: dict[str, set[str]] = field(default_factory=dict)
    forbidden_tools: dict[str, set[str]] = field(default_factory=dict)
    avoid: set[str] = field(default_factory=set)
    forbidden_positions: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    capped: list[tuple[Condition, Cap]] = field(default_factory=list)
    preferred_positions: list[tuple[str, str]] = field(default_factory=list)
    position_minutes: dict[str, tuple[int, str]] = field(default_factory=dict)
    ask_first: list[str] = field(default_factory=list)
    suggest_minutes: tuple[int, str] | None = None
    oil: str = ""
    # Lookups that depend only on the catalogue and these limits, asked for again and again
    # while a plan is composed (which techniques a region allows, its light strokes...).
    memo: dict[tuple[object, ...], Any] = field(default_factory=dict, repr=False, compare=False)

    def remember(self, key: tuple[object, ...], make: Callable[[], _T]) -> _T:
        """A lookup that depends only on the catalogue and these limits, worked out once."""
        if key not in self.memo:
            self.memo[key] = make()
        known: _T = self.memo[key]  # typed by annotation: typing.cast is a call each time
        return known

    def rule_out_long_stays(self, minutes: int) -> None:
        """A position some condition limits in time is ruled out for a longer session."""
        for position, (most, reason) in self.position_minutes.items():
            if minutes > most:
                self.forbidden_positions.setdefault(
                    position, f"{reason} (at most {most} minutes there)"
                )

    max_seconds: dict[str, int] = field(default_factory=dict)
    never_say: dict[str, str] = field(default_factory=dict)  # word -> the condition's name
    # Avoided regions no cue may name (no-press ones are landmarks to keep off, not work).
    unspoken: frozenset[str] = frozenset()
    namer: Callable[[str], set[str]] = field(default=lambda _: set())

    def cap_for(self, region: str, no_press: bool = False) -> int:
        """The highest pressure allowed on a region."""
        cap = min(self.pressure_cap, self.region_caps.get(region, PARTNER_MAX_PRESSURE))
        return min(cap, SPINE_GLIDE_MAX) if no_press else cap

    def allows(self, technique: Technique, region: str, no_press: bool = False) -> bool:
        """Whether a technique may be used on a region at all."""
        key = ("allows", technique.id, region, no_press)
        known: bool | None = self.memo.get(key)
        if known is None:
            known = self.memo[key] = self._allows(technique, region, no_press)
        return known

    def _allows(self, technique: Technique, region: str, no_press: bool) -> bool:
        if region in self.avoid:
            return False
        if no_press and technique.kind != "glide":
            return False
        if technique.kind in self.forbidden_kinds.get(region, set()):
            return False
        only = self.only_kinds.get(region)
        if only is not None and technique.kind not in only:
            return False
        if any(technique.uses(tool) for tool in self.forbidden_tools.get(region, ())):
            return False
        if self.never_say and self.contradicts(technique.cue_for(region)):
            return False
        if self.unspoken and not self.speakable(f"{technique.name} {technique.cue_for(region)}"):
            return False
        return technique.pressure.min <= self.cap_for(region, no_press)

    def speakable(self, text: str) -> bool:
        """Whether a sentence keeps clear of every avoided region."""
        return not (self.unspoken and self.namer(text) & self.unspoken)

    def contradicts(self, text: str) -> str | None:
        """The condition a sentence goes against (it says a word the condition rules out)."""
        lowered = text.lower()
        return next((c for w, c in self.never_say.items() if w in lowered), None)


_NAMED_CACHE = 4096
_MATCHERS: dict[
    int, tuple[Catalogue, re.Pattern[str], dict[str, str], dict[str, frozenset[str]]]
] = {}


def _matcher(cat: Catalogue) -> tuple[re.Pattern[str], dict[str, str], dict[str, frozenset[str]]]:
    """One pattern for every region word, longest first, so 'shoulder blade' is not 'shoulder'."""
    cached = _MATCHERS.get(id(cat))
    if cached is None or cached[0] is not cat:
        owner = {w: r.id for r in cat.regions.values() for w in r.all_words}
        words = sorted(owner, key=len, reverse=True)
        pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b")
        cached = (cat, pattern, owner, {})
        _MATCHERS[id(cat)] = cached
    return cached[1], cached[2], cached[3]


def regions_named(cat: Catalogue, text: str) -> set[str]:
    """The regions a sentence names."""
    pattern, owner, seen = _matcher(cat)
    # The planner asks about the same cue words many times over: remember the answers.
    found = seen.get(text)
    if found is None:
        found = frozenset(owner[m.group(1)] for m in pattern.finditer(text.lower()))
        if len(seen) >= _NAMED_CACHE:
            seen.clear()
        seen[text] = found
    return set(found)


def region_names(cat: Catalogue, ids: Sequence[str]) -> str:
    """Regions as words for a sentence: 'lower back, mid back and spine'."""
    names = [cat.regions[r].name.lower() if r in cat.regions else r for r in ids]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


ConditionRule = Callable[[Condition, Profile, Catalogue, Limits], None]


def refuse_session(cond: Condition, profile: Profile, cat: Catalogue, limits: Limits) -> None:
    """Some conditions mean no massage today."""
    if cond.refuse:
        raise Refusal(
            f"No massage today: {cond.name.lower()}. {cond.explain}", cond.instead, cond.id
        )


def require_avoided_region(
    cond: Condition, profile: Profile, cat: Catalogue, limits: Limits
) -> None:
    """Injuries and irritated skin must be named so the plan can leave them out."""
    if cond.requires_avoid and not profile.avoid:
        raise PlanError(
            f"'{cond.id}' needs the affected area named as one to avoid "
            f"(--avoid REGION on the command line) "
            f"(regions: {', '.join(cat.regions)})",
            tuple(cat.regions),
        )
    if cond.requires_avoid:
        limits.notes.append(
            f"The {region_names(cat, profile.avoid)} left out: {cond.name.lower()}."
        )


def cap_pressure(cond: Condition, profile: Profile, cat: Catalogue, limits: Limits) -> None:
    """Lower the pressure ceiling, and limit techniques, on the regions a condition names."""
    for cap in cond.caps:
        regions = list(cat.regions) if "all" in cap.regions else list(cap.regions)
        for region in regions:
            limits.region_caps[region] = min(limits.region_caps.get(region, 10), cap.max_pressure)
            limits.forbidden_kinds.setdefault(region, set()).update(cap.forbid_kinds)
            if cap.forbid_tools:
                limits.forbidden_tools.setdefault(region, set()).update(cap.forbid_tools)
            if cap.only_kinds:
                current = limits.only_kinds.get(region, set(cap.only_kinds))
                limits.only_kinds[region] = current & set(cap.only_kinds)
            if cap.max_seconds is not None:
                most = limits.max_seconds.get(region, cap.max_seconds)
                limits.max_seconds[region] = min(most, cap.max_seconds)
        limits.capped.append((cond, cap))
    for word in cond.never_say:
        limits.never_say[word] = cond.name.lower()


def cap_notes(cat: Catalogue, limits: Limits, touched: set[str]) -> list[str]:
    """Explain each cap, naming only the regions this plan actually works on."""
    notes = []
    explained: set[str] = set()  # a condition's reason is given once, with its first time cap
    for cond, cap in limits.capped:
        regions = [
            r for r in (cat.regions if "all" in cap.regions else cap.regions) if r in touched
        ]
        if not regions:
            continue
        where = "everywhere" if "all" in cap.regions else f"on the {region_names(cat, regions)}"
        extra = ""
        if cap.forbid_kinds:
            extra += f", no {'/'.join(cap.forbid_kinds)}"
        if cap.only_kinds:
            extra += f", {'/'.join(cap.only_kinds)} only"
        if cap.forbid_tools:
            extra += f", no {'/'.join(cap.forbid_tools)} work"
        why = ""
        if cap.max_seconds is not None:
            extra += f", at most {cap.max_seconds / 60:.0f} min there in all, even as a focus"
            why = "" if cond.id in explained else f" {cond.explain}"
            explained.add(cond.id)
        notes.append(
            f"Kept light {where} (pressure at most {cap.max_pressure}{extra}): "
            f"{cond.name.lower()}.{why}"
        )
    return notes


def forbid_positions(cond: Condition, profile: Profile, cat: Catalogue, limits: Limits) -> None:
    """Some conditions rule out a position (no lying face down when pregnant)."""
    for position in cond.forbid_positions:
        limits.forbidden_positions[position] = cond.name.lower()


def avoid_regions(cond: Condition, profile: Profile, cat: Catalogue, limits: Limits) -> None:
    """Some conditions keep a region untouched (the spine with brittle bones)."""
    for region in cond.avoid_regions:
        limits.avoid.add(region)
    if cond.avoid_regions:
        limits.notes.append(
            f"The {region_names(cat, cond.avoid_regions)} left untouched: {cond.name.lower()}."
        )


def prefer_positions(cond: Condition, profile: Profile, cat: Catalogue, limits: Limits) -> None:
    """Some conditions have a best position (side-lying when pregnant)."""
    for position in cond.prefer_positions:
        limits.preferred_positions.append((position, cond.name.lower()))


def limit_position_minutes(
    cond: Condition, profile: Profile, cat: Catalogue, limits: Limits
) -> None:
    """Some conditions allow a position only for a while (not long face down)."""
    for position, most in cond.position_minutes:
        old = limits.position_minutes.get(position)
        if old is None or most < old[0]:
            limits.position_minutes[position] = (most, cond.name.lower())


def ask_first(cond: Condition, profile: Profile, cat: Catalogue, limits: Limits) -> None:
    """Some conditions need a word with someone before the first touch; said before the plan."""
    if cond.ask_first:
        limits.ask_first.append(f"Before you start ({cond.name.lower()}): {cond.ask_first}")


def suggest_shorter(cond: Condition, profile: Profile, cat: Catalogue, limits: Limits) -> None:
    """Some conditions are kinder with shorter sessions; the planner says so."""
    most = cond.suggest_minutes
    if most is not None and (limits.suggest_minutes is None or most < limits.suggest_minutes[0]):
        limits.suggest_minutes = (most, cond.name.lower())


def refuse_widespread(cond: Condition, profile: Profile, cat: Catalogue, limits: Limits) -> None:
    """Left out here and there is fine; when too much must be left out, no massage today."""
    if cond.widespread_at is not None and len(profile.avoid) >= cond.widespread_at:
        raise Refusal(
            f"No massage today: {cond.name.lower()} over {len(profile.avoid)} areas. "
            f"{cond.explain}",
            cond.instead,
            cond.id,
        )


def name_the_oil(cond: Condition, profile: Profile, cat: Catalogue, limits: Limits) -> None:
    """Some conditions need a particular oil (nut-free with a nut allergy)."""
    if cond.oil:
        limits.oil = cond.oil
        limits.notes.append(f"Oil: {cond.oil}, because of the {cond.name.lower()}.")


def pass_on_warnings(cond: Condition, profile: Profile, cat: Catalogue, limits: Limits) -> None:
    """Warnings the giver must hear (stop if pain spreads down a leg)."""
    limits.warnings.extend(cond.warnings)


CONDITION_RULES: dict[str, ConditionRule] = {
    "refuse": refuse_session,
    "widespread": refuse_widespread,
    "requires-avoid": require_avoided_region,
    "caps": cap_pressure,
    "positions": forbid_positions,
    "avoid": avoid_regions,
    "prefer-positions": prefer_positions,
    "position-minutes": limit_position_minutes,
    "ask-first": ask_first,
    "suggest-shorter": suggest_shorter,
    "oil": name_the_oil,
    "warnings": pass_on_warnings,
}


def _leave_out_what_runs_over(cat: Catalogue, limits: Limits) -> None:
    """A region whose strokes run over an avoided one is left out too, and a note says so."""
    for region in cat.regions.values():
        crossed = [r for r in region.runs_over if r in limits.avoid]
        if crossed and region.id not in limits.avoid:
            limits.avoid.add(region.id)
            limits.notes.append(
                f"No glides down the {region.name.lower()}: "
                f"they run over the {region_names(cat, crossed)}."
            )


def check_profile_ids(cat: Catalogue, profile: Profile) -> None:
    """Unknown regions or conditions are refused with the valid choices."""
    for label, values, known in (
        ("region", (*profile.focus, *profile.avoid), cat.regions),
        ("condition", profile.conditions, cat.conditions),
    ):
        for value in values:
            if value not in known:
                raise PlanError(f"unknown {label} '{value}'", tuple(known))
    if profile.pressure is not None and profile.pressure not in PRESSURE_WORDS:
        raise PlanError(f"unknown pressure '{profile.pressure}'", tuple(PRESSURE_WORDS))


def safety_limits(cat: Catalogue, profile: Profile) -> Limits:
    """Apply every condition's rules and the pressure preference to get the limits."""
    check_profile_ids(cat, profile)
    word = profile.pressure or "medium"
    limits = Limits(pressure_cap=min(PRESSURE_WORDS[word], PARTNER_MAX_PRESSURE))
    limits.avoid.update(profile.avoid)
    # Refusals first, so a fever is reported even alongside other conditions.
    ordered = sorted(
        profile.conditions,
        key=lambda c: not (cat.conditions[c].refuse or cat.conditions[c].widespread_at),
    )
    for cid in ordered:
        for rule in CONDITION_RULES.values():
            rule(cat.conditions[cid], profile, cat, limits)
    _leave_out_what_runs_over(cat, limits)
    limits.unspoken = frozenset(
        r for r in limits.avoid if r in cat.regions and not cat.regions[r].no_press
    )
    limits.namer = lambda text: regions_named(cat, text)
    if profile.avoid:
        limits.notes.insert(0, f"Not touching the {region_names(cat, profile.avoid)}, as asked.")
    # A condition that keeps everywhere lighter says so itself; the preference would contradict it.
    everywhere = [cap.max_pressure for _, cap in limits.capped if "all" in cap.regions]
    if not everywhere or min(everywhere) >= limits.pressure_cap:
        note = f"Pressure kept at or under {limits.pressure_cap} ({word} preference)."
        limits.notes.insert(0, note)
    limits.notes[:0] = limits.ask_first
    return limits
