"""Where the listening bench's misses are lost: by condition, voice and command, and by stage.

Each command item is traced through the recogniser's stages: was an utterance cut around it
(segmentation), did it pass the length gate and the own-voice gate, did the closed grammar
choose its phrase, and did the phrase clear its threshold (the confidence check)?
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

import numpy as np

from bench.listen_set import Item, Stream
from rubdown.voice.commands import COMMAND_OF_PHRASE, Heard
from rubdown.voice.listen import Listener
from rubdown.voice.segment import Utterance

# As bench/listen.py: a command counts as heard this soon around its end.
MATCH_BEFORE_S, MATCH_AFTER_S = 0.3, 1.0
# A phrase with an apostrophe ("that's good") is quoted with double quotes.
UNSURE = re.compile(r"^(?P<q>['\"])(?P<phrase>.+?)(?P=q) too unsure \((?P<ratio>-?[\d.]+)\)$")


def lost_at(
    item: Item,
    heard: Sequence[Heard],
    listener: Listener,
    want: str,
) -> tuple[str, float | None]:
    """The stage at which this command item was lost ("heard" if it was not), and its ratio."""
    near = [h for h in heard if item.start_s - MATCH_BEFORE_S <= h.at_s <= item.end_s + 1.0]
    if any(h.command == want for h in near):
        return "heard", None
    utts = [u for u in listener.utterances if _overlaps(u, item)]
    if not utts:
        return "segmentation: no utterance", None
    if near:
        return f"grammar: heard as {near[0].command}", None
    why = {id(u): reason for u, reason in listener.rejected}
    reasons = [why.get(id(u), "") for u in utts]
    stage, ratio = _stage(reasons[0], want)
    return (f"{stage} (split in {len(utts)})" if len(utts) > 1 else stage), ratio


def _overlaps(utt: Utterance, item: Item) -> bool:
    """Whether an utterance's speech overlaps the item's (with a little slack)."""
    return utt.start_s < item.end_s + 0.1 and item.start_s - 0.1 < utt.end_s


def _stage(reason: str, want: str) -> tuple[str, float | None]:
    """A rejection reason as a stage of the pipeline."""
    unsure = UNSURE.match(reason)
    if unsure:
        right = COMMAND_OF_PHRASE.get(unsure["phrase"]) == want
        kind = "right phrase" if right else f"wrong phrase ({unsure['phrase']})"
        return f"confidence: {kind}", float(unsure["ratio"])
    for key, stage in (
        ("too long", "length gate: too long"),
        ("too short", "length gate: too short"),
        ("own voice", "own-voice gate"),
        ("no command phrase", "grammar: no whole phrase"),
        ("is talk", "language-model pass: a sentence"),
        ("wake", "wake word"),
        ("not a command", "verifier: none"),
        ("verifier unsure", "verifier: unsure"),
    ):
        if key in reason:
            return stage, None
    return f"other: {reason}", None


def print_breakdown(
    stream: Stream, heard: Sequence[tuple[Heard, float]], listener: Listener, wanted: Callable
) -> None:
    """Recall by condition, voice and command; the misses by the stage that lost them."""
    acted = [h for h, _ in heard]
    stages: Counter[str] = Counter()
    tallies: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    unsure: list[float] = []
    for item in stream.items:
        want = wanted(item.text)
        stage, ratio = lost_at(item, acted, listener, want)
        got = int(stage == "heard")
        for kind, key in (("condition", item.condition), ("voice", item.voice), ("command", want)):
            tallies[kind][key].append(got)
        if not got:
            stages[stage.split(" (split")[0]] += 1
            if ratio is not None and stage.startswith("confidence: right"):
                unsure.append(ratio)
    for kind, table in tallies.items():
        shown = ", ".join(f"{k} {sum(v) / len(v):.0%}/{len(v)}" for k, v in sorted(table.items()))
        print(f"  by {kind}: {shown}")
    print("  misses by stage: " + ", ".join(f"{s} {n}" for s, n in stages.most_common()))
    if unsure:
        print(
            f"  right phrase but under the threshold: ratio median {np.median(unsure):.1f}, "
            f"best {max(unsure):.1f}"
        )


def print_false_accepts(run: object) -> None:
    """What was wrongly acted on in speech that held no command: by command, with lengths."""
    heard = [h for h, _ in getattr(run, "heard", [])]
    if not heard:
        return
    by: Counter[str] = Counter(h.command for h in heard)
    lengths = [h.at_s - h.start_s for h in heard]
    print(
        "  by command: "
        + ", ".join(f"{c} {n}" for c, n in by.most_common())
        + f"; utterance length median {np.median(lengths):.2f} s"
    )
