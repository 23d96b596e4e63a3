"""`bench/listen.py --tune`: fit the rejection settings on the tuning voices, never the held-out.

Every utterance of the tuning streams is scored once with no gates; then for each length gate
and each trade-off of recall against false accepts the best threshold is chosen per command
(a command's recall and false accepts are its own, so the choice splits by command). With
`--write` the chosen point is stored in rubdown/voice/fitted.json, which `Tuning` reads.
"""

from __future__ import annotations

import json
from array import array
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.listen_set import Item, Stream
from rubdown.voice.commands import COMMAND_OF_PHRASE, WAKE_WORD
from rubdown.voice.listen import FITTED_PATH, Listener, Tuning
from rubdown.voice.segment import Utterance

TEN_MIN = 600.0
MATCH_BEFORE_S, MATCH_AFTER_S = 0.3, 1.0  # as bench/listen.py
# In tuning, one false accept per 10 minutes of talk costs as much as this share of recall:
# the trade-offs printed, from "hardly ever wrong" to "hears more".
FA_COSTS = (0.05, 0.02, 0.01, 0.005, 0.002)
WRITTEN_COST = 0.005  # the trade-off --write stores
# The reject classes tried: (fillers, weight); none, and the language model's commonest words
# at two priors. Weights under about 1e-28 are pruned by the decoder's word beam (no fillers).
FILLER_GRID = ((0, 1.0), (100, 1e-26), (100, 1e-22))
MAX_S_GRID = (0.7, 0.8, 0.9, 1.0, 1.2)
# Per command, no threshold stricter than -45: with a dozen examples each, stricter ones
# silenced "firmer" and "pause" on voices not tuned on (clean en-us "firmer" scores -48.7).
RATIO_GRID = tuple(-45.0 - 2.5 * i for i in range(7))  # -45 .. -60


@dataclass(frozen=True)
class Feature:
    """One utterance the grammar took for a command, as an ungated listener scored it."""

    command: str
    at_s: float
    ratio: float
    seconds: float
    talk: bool  # the language-model pass heard a sentence in it


@dataclass(frozen=True)
class Choice:
    """A fitted setting and what it gave on the tuning streams."""

    max_s: float
    per_command: dict[str, float]
    recall: float
    false_accepts: float  # per 10 min of conversation
    worth: float = 0.0  # recall less the false accepts at the trade-off it was fitted for


def taken(f: Feature, command: str, max_s: float, ratio: float) -> bool:
    """Whether a listener with this command's threshold and this length gate acts on it."""
    return f.command == command and f.ratio >= ratio and f.seconds <= max_s and not f.talk


Row = tuple[float, float, float, float]  # worth, recall share, false accepts, ratio


def best_ratio(
    hits: list[Feature], talk: list[Feature], command: str, sizes: tuple[float, float, int, float]
) -> Row:
    """(worth, recall share, false accepts, ratio) of the best threshold for one command.

    Of the thresholds worth the most, the loosest: a dozen examples of a command fix its
    strictest useful point poorly, and a threshold set too strict silences it on other voices.
    """
    cost, max_s, n_items, talk_s = sizes
    rows = []
    for ratio in RATIO_GRID:
        got = sum(taken(f, command, max_s, ratio) for f in hits) / n_items
        wrong = sum(taken(f, command, max_s, ratio) for f in talk) * TEN_MIN / talk_s
        rows.append((round(got - cost * wrong, 9), got, wrong, ratio))
    top = max(r[0] for r in rows)
    return min((r for r in rows if r[0] == top), key=lambda r: r[3])


def fit(
    hits: list[Feature], talk: list[Feature], n_items: int, talk_s: float, cost: float
) -> Choice:
    """The best length gate and per-command thresholds at one trade-off."""
    commands = tuple(dict.fromkeys(COMMAND_OF_PHRASE.values()))
    choices = []
    for max_s in MAX_S_GRID:
        rows = {c: best_ratio(hits, talk, c, (cost, max_s, n_items, talk_s)) for c in commands}
        worth = sum(r[0] for r in rows.values())
        recall = sum(r[1] for r in rows.values())
        wrong = sum(r[2] for r in rows.values())
        thresholds = {c: r[3] for c, r in rows.items()}
        choices.append((worth, -max_s, Choice(max_s, thresholds, recall, wrong, worth)))
    return max(choices, key=lambda c: c[:2])[2]


def tune(streams: dict[str, Stream], write: bool, about: dict[str, object]) -> None:
    """Print the fitted settings at each trade-off; with `write`, store one of them."""
    items = streams["commands"].items
    cut = {name: utterances(streams[name]) for name in ("commands", "conversation")}
    talk_s = streams["conversation"].seconds
    fits: dict[float, list[tuple[Choice, Tuning]]] = {cost: [] for cost in FA_COSTS}
    for count, weight in FILLER_GRID:
        tuning = Tuning(fillers=count, filler_weight=weight)
        found = {name: features(utts, tuning) for name, utts in cut.items()}
        hits = [f for f in found["commands"] if matches(f, items)]
        for cost in FA_COSTS:
            fits[cost].append((fit(hits, found["conversation"], len(items), talk_s, cost), tuning))
    for cost, choices in fits.items():
        choice, tuning = max(choices, key=lambda c: c[0].worth)
        print(f"one false accept per 10 min worth {cost:.1%} of recall:")
        print(f"  recall {choice.recall:.1%}, false accepts {choice.false_accepts:.2f} per 10 min")
        print(f"  fillers={tuning.fillers} (weight {tuning.filler_weight:g}), max_s={choice.max_s}")
        print(f"  per command {choice.per_command}")
        if write and cost == WRITTEN_COST:
            store(choice, tuning, {**about, "fa_cost": cost}, FITTED_PATH)
            print(f"  written to {FITTED_PATH}")


def store(choice: Choice, tuning: Tuning, about: dict[str, object], path: Path) -> None:
    """Write the fitted settings (and the reject class they were fitted with) as data."""
    data = {
        "about": about,
        "max_s": choice.max_s,
        "per_command": choice.per_command,
        "fillers": tuning.fillers,
        "filler_weight": tuning.filler_weight,
        "tuning_recall": round(choice.recall, 4),
        "tuning_false_accepts_per_10_min": round(choice.false_accepts, 2),
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def matches(f: Feature, items: tuple[Item, ...]) -> bool:
    """Whether a feature is a command item heard as the right command."""
    return any(
        f.command == COMMAND_OF_PHRASE[i.text.removeprefix(f"{WAKE_WORD}, ")]
        and i.start_s - MATCH_BEFORE_S <= f.at_s <= i.end_s + MATCH_AFTER_S
        for i in items
    )


def utterances(stream: Stream) -> list[Utterance]:
    """The stream cut into utterances (the reject class does not change where they fall)."""
    listener = Listener(lambda _heard: None, tuning=Tuning(max_s=0.0), keep=True)
    samples = array("h", np.clip(stream.samples, -32768, 32767).astype("<i2").tobytes())
    listener.feed(samples)
    listener.close()
    return listener.utterances


def features(utts: list[Utterance], tuning: Tuning) -> list[Feature]:
    """Every utterance an ungated listener (with this reject class) took for a command."""
    loose = Tuning(
        min_s=tuning.min_s,
        max_s=max(MAX_S_GRID),
        min_ratio=-1e9,
        per_command=(),
        fillers=tuning.fillers,
        filler_weight=tuning.filler_weight,
    )
    listener = Listener(lambda _heard: None, tuning=loose)
    out = []
    for utt in utts:
        if not loose.min_s <= utt.seconds <= loose.max_s:
            continue
        scored = listener.score(utt)
        phrase = None if scored is None else scored.phrase.removeprefix(f"{WAKE_WORD} ")
        if scored is None or phrase not in COMMAND_OF_PHRASE:
            continue
        sentence = utt.seconds >= loose.talk_min_s
        talk = sentence and len(listener.transcript(utt)) >= loose.max_talk_words
        out.append(Feature(COMMAND_OF_PHRASE[phrase], utt.end_s, scored.ratio, utt.seconds, talk))
    return out
