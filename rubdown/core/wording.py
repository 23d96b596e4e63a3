"""What rubdown says aloud: short sentences for a giver whose eyes are on their partner."""

from __future__ import annotations

from collections.abc import Sequence

from rubdown.core.models import PARTNER_MAX_PRESSURE, Position, Region, Technique

# Asking for oil: the hands need time to warm it after these words (the opening's and a top-up's).
OPENING_OIL_ASK = "Warm a little oil between your palms; cold oil makes muscles tense."
OIL_ASK = "Warm it between your palms first."
OIL_ASKS = (OPENING_OIL_ASK, OIL_ASK)
OPENING_OIL = (
    f"{OPENING_OIL_ASK} Rest your hands on your partner and breathe slowly with them for a moment."
)
# Said before the hair or the face whenever the hands come to them oily.
WIPE_HANDS = "First wipe the oil off your hands on the towel: this part is done with dry hands."
MORE_OIL = f"A little more oil now. {OIL_ASK}"
# Said once, before the first touch: the signs of a nerve or vessel being pressed. Easing off
# still presses; the hands come away, and that spot is left for the rest of the session. As
# many words as the rule it replaced, so the opening keeps its length.
STOP_RULE = (
    "Any sharp pain, tingling or numbness: stop, lift your hands off, ask; "
    "don't go back to that spot."
)
DEFAULT_REST = "let your partner stay still and breathe for a minute"
DEFAULT_GET_UP = "they get up slowly, sitting for a moment first"
# For positions whose content does not say how to rest at the end.
CLOSING_REST = {
    "side-lying": "cover your partner with the warm towels and let them rest on their side",
    "face-up": "cover your partner with the warm towels and let them lie quietly for a minute",
}


def times(reps: int, more: str = "") -> str:
    """A count as said: '4 times', 'once', '1 more time'."""
    if reps == 1:
        return f"1 {more}time" if more else "once"
    return f"{reps} {more}times"


def opening_oil(oil: str = "") -> str:
    """The first words: warm the oil (naming the one a condition asks for), breathe together,
    the pressure scale and when to stop."""
    first = f"Use {oil} today. {OPENING_OIL}" if oil else OPENING_OIL
    return f"{first} {pressure_scale()} {STOP_RULE}"


def more_oil(oil: str = "") -> str:
    """A top-up of oil, naming the one to use when a condition asks for it."""
    if not oil:
        return MORE_OIL
    return f"A little more of the {oil} now. {OIL_ASK}"


def turn_over(position: Position) -> str:
    """Said halfway through a position worked one side at a time."""
    return f"{position.turn} Then the same again on this side."


# What each number on the one 1-10 scale feels like, said the first time it is used.
PRESSURE_FEEL: dict[int, str] = {
    1: "as light as resting your hand",
    2: "just enough to spread the oil",
    3: "like rubbing in hand lotion",
    4: "the muscle starts to move under your hand",
    5: "a steady lean, like kneading bread dough",
    6: "some of your weight behind it",
    7: "your weight behind it, the firmest a partner massage goes",
    8: "deep work for trained hands",
    9: "deep work for trained hands",
    10: "the deepest a therapist goes",
}


# The top of the partner range as the opening says it: in words no condition rules out (the
# step-level "your weight behind it" would go against osteoporosis, said to every plan).
TOP_FEEL = "firm but never painful"


def pressure_scale() -> str:
    """Both ends of the 1-10 scale and where a partner massage stops (with what that top
    feels like, as it is named before any step uses it), said once at the start."""
    most = PARTNER_MAX_PRESSURE
    return (
        f"Pressure runs from 1, a resting hand, to 10; partners stay at {most} or under, "
        f"and a {most} is {TOP_FEEL}."
    )


def pressure_phrase(pressure: int, explain: bool) -> str:
    """'pressure 3 of 10', with what it feels like the first time the number comes up."""
    phrase = f"pressure {pressure} of 10"
    return (
        f"{phrase}, {PRESSURE_FEEL[pressure]}" if explain and pressure in PRESSURE_FEEL else phrase
    )


def at_new_pressure(say: str, old: int, new: int) -> str:
    """A step's words after a live lighter or firmer: the new number (with what it feels like,
    where the old one's feel was said), and no "a little lighter" or "firmer" than the step
    before, which the change may have made untrue."""
    felt = pressure_phrase(old, True)
    if felt != pressure_phrase(old, False) and felt in say:
        say = say.replace(felt, pressure_phrase(new, True))
    else:
        say = say.replace(pressure_phrase(old, False), pressure_phrase(new, False))
    for change in REPEAT_CHANGES:
        say = say.replace(f"Again, {change}:", "Again:")
    return say


def closing(position: Position | None, before_rising: Sequence[str] = ()) -> str:
    """The last words of a session: rest, what to do before they stand (wipe oily soles),
    get up slowly, drink water."""
    rest, get_up = DEFAULT_REST, DEFAULT_GET_UP
    if position is not None:
        rest = position.rest or CLOSING_REST.get(position.id, DEFAULT_REST)
        get_up = position.get_up or DEFAULT_GET_UP
    first = "".join(f"{s} " for s in before_rising)
    return (
        f"That is the end. Lift your hands away slowly, then {rest}; let them rest as long "
        f"as they like. {first}When they are ready, {get_up}, and you both drink a glass of water."
    )


def hold(areas: Sequence[str]) -> str:
    """The still hold before the closing words."""
    return (
        f"Now a still hold: rest both hands flat on the {join(areas[:1])}, without moving, "
        "for three slow breaths together."
    )


def step_label(technique_name: str, region_name: str, side: str | None) -> str:
    """A step as every edge names it, technique first: 'Long glide over the hand, left side',
    or 'Palm circles beside the spine, lower back' when both sides are worked together."""
    if side in ("left", "right"):
        return f"{technique_name}, {side} side"
    # A name that already says where ("Thumb steps down the neck") is not followed by it again.
    if region_name.lower() in technique_name.lower():
        return technique_name
    return f"{technique_name}, {region_name.lower()}"


def _label(technique: Technique, region: Region, side: str) -> str:
    return step_label(technique.name_for(region.id), region.name, side)


def step_intro(
    technique: Technique,
    region: Region,
    reps: int,
    pressure: int,
    side: str,
    explain: bool,
    again: bool = False,
) -> str:
    """The spoken introduction of a step: what, where, how, how many, how firm."""
    how = pressure_phrase(pressure, explain)
    label = _label(technique, region, side)
    if again:
        return f"{label}: {times(reps)}, {how}."
    return f"{label}. {technique.cue_for(region.id)} {times(reps).capitalize()}, {how}."


REPEAT_CHANGES = ("a little firmer", "a little lighter")


def step_repeat(
    technique: Technique,
    region: Region,
    reps: int,
    pressure: int,
    side: str,
    before: int,
    explain: bool = False,
) -> str:
    """A step with a technique already explained on this region: named, not explained again
    (`before`: its pressure then)."""
    how = pressure_phrase(pressure, explain)
    label = _label(technique, region, side)
    if pressure == before:
        return f"Again: {label[0].lower()}{label[1:]}, {times(reps)}, {how}."
    change = REPEAT_CHANGES[0] if pressure > before else REPEAT_CHANGES[1]
    return f"Again, {change}: {label[0].lower()}{label[1:]}, {times(reps)}, {how}."


def frame_intro(
    technique: Technique, areas: Sequence[str], reps: int, pressure: int, role: str, explain: bool
) -> str:
    """The opening or finishing glides, over the whole worked area."""
    how = pressure_phrase(pressure, explain)
    where = join(areas)
    name = technique.name.lower()
    # "Long glide along the back" over the back needs no "over the back" after it; a name
    # that says its own place ("palm glide over the foot") takes the areas before it.
    begin = "To begin" if where in name else f"To begin on the {where}"
    if role == "opening":
        return (
            f"{begin}: {name}. Spread the oil with slow, "
            f"light sweeps, breathing with your partner. {times(reps).capitalize()}, {how}."
        )
    return (
        f"To finish: long, light, connecting glides over the {where}, slow and unbroken. "
        f"{times(reps).capitalize()}, {how}."
    )


def frame_repeat(
    technique: Technique, areas: Sequence[str], reps: int, pressure: int, role: str
) -> str:
    """The opening or finishing glides done again after a live "back": named, not begun anew."""
    how = pressure_phrase(pressure, False)
    where, name = join(areas), technique.name.lower()
    what = "connecting glides" if role == "finish" else name
    over = "" if where in what else f" over the {where}"
    return f"Again: {what}{over}, slow and light, {times(reps)}, {how}."


def frame_again(reps: int, pressure: int, side: str = "right", late_finish: bool = False) -> str:
    """The opening or finishing glides on the second side; `late_finish`: the finish on the
    side turned to, long after the first side's (not "the same again" as the step before)."""
    how = pressure_phrase(pressure, False)
    if late_finish:
        return f"To finish: the same connecting glides again, {times(reps)}, {how}."
    return f"Now the {side} side: the same again, {times(reps)}, {how}."


def join(names: Sequence[str]) -> str:
    """Names as words for a sentence: 'back, arms and legs'."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    # Names that hold an "and" ("neck and shoulders") are kept apart with commas.
    last = ", and" if any(" and " in n for n in names) else " and"
    return f"{', '.join(names[:-1])}{last} {names[-1]}"


def step_continue(technique: Technique, reps: int) -> str:
    """Said when a long step carries on after a check-in."""
    return f"Carry on with the {technique.name.lower()}, {times(reps, 'more ')}."


def announce(region: Region) -> str:
    """Tells the giver, and through them the receiver, where the hands go next."""
    return f"Next, the {region.name.lower()}. Tell your partner where your hands are going."


# The finishing glides' own introduction names the areas they cover (not always all worked).
FINISH_NEXT = "Now the finish."
# Lying on the side, the first side ends with its own finish: the session is only half done.
SIDE_FINISH_NEXT = "Now the finish for this side, before the turn."


def lead_in(
    region: Region | None, before: str, finish: bool = False, first_side: bool = False
) -> str:
    """An announcement of the next region (if it changes) and what to say before the step;
    before the finishing glides, the finish itself (they cover more than their region), and
    `first_side`: the finish of the first side lying on it."""
    finish_next = SIDE_FINISH_NEXT if first_side else FINISH_NEXT
    named = finish_next if finish else f"Next, the {region.name.lower()}." if region else ""
    return " ".join(p for p in (named, before) if p) or "Ready for the next step."


def change_position(position: Position) -> str:
    """Said when the session moves to another position: its name and how to begin setting it
    up (the whole set-up is on the sheet; spoken, it would name areas that may be avoided)."""
    first = position.setup.split(". ")[0].rstrip(".")
    return f"Change position now: {position.name.lower()}. {first}."


def check_in(
    next_region: Region | None = None,
    before: str = "",
    finish: bool = False,
    first_side: bool = False,
) -> str:
    """A pause to ask the receiver how it feels, then where the hands go (or the finish, of
    the first side lying on it when `first_side`)."""
    parts = ["Check in: ask how the pressure feels and whether anything should change."]
    if finish:
        parts.append("Then the finish for this side." if first_side else "Then the finish.")
    elif next_region is not None:
        parts.append(f"Then move on to the {next_region.name.lower()}.")
    if before:
        parts.append(before)
    return " ".join(parts)


def calibration(region: Region, pressure: int = 3) -> str:
    """The optional pressure check at the start, at the first working step's pressure."""
    felt = PRESSURE_FEEL.get(pressure, "")
    return (
        f"Pressure check. On the {region.name.lower()}, a few slow strokes with flat hands at a "
        f"{pressure}, {felt}. Ask your partner: less, more, or right? Tell rubdown the answer."
    )


def halfway() -> str:
    """Said half way through a step."""
    return "Halfway."


def last_three() -> str:
    """Said three repetitions before a step ends."""
    return "Last three."


def step_brief(region_name: str, side: str | None, technique_name: str, reps: int) -> str:
    """A step whose technique the giver already heard explained: its label and the count."""
    return f"{step_label(technique_name, region_name, side)}: {times(reps)}."
