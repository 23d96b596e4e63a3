"""Measure the voice-command recogniser on generated speech it was not tuned on.

Run from the repository root: `.venv/bin/python -m bench.listen [--quick] [--tune]`.
Prints recall on command utterances, false accepts per 10 minutes of ordinary conversation
and of rubdown's own cues, the time from the end of a command to its effect, and CPU use.
`--tune` instead fits the rejection settings on the tuning voices only (bench/listen_tune.py);
`--tune --write` stores them in rubdown/voice/fitted.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from array import array
from pathlib import Path

import numpy as np

from bench.listen_set import (
    HELD_OUT_VOICES,
    RATE,
    TUNING_VOICES,
    Item,
    SetBuilder,
    Stream,
    command_lines,
    conversation_lines,
    cue_texts,
    write_wav,
)
from bench.listen_tune import tune
from bench.listen_why import print_breakdown, print_false_accepts
from rubdown.voice.commands import COMMAND_OF_PHRASE, WAKE_WORD, Heard
from rubdown.voice.listen import Listener, Playback, Tuning
from rubdown.voice.segment import FRAME_SAMPLES

CUE_VOICE = "en-us"  # rubdown's own default voice
TEN_MIN = 600.0
# A command counts as heard when the recogniser acts on it this soon around its end.
MATCH_BEFORE_S, MATCH_AFTER_S = 0.3, 1.0


@dataclasses.dataclass
class Run:
    """What the listener did over one stream."""

    heard: list[tuple[Heard, float]]  # with latency from the end of speech to the decision
    cpu_s: float
    seconds: float
    listener: Listener | None = None  # kept when asked, for where the misses were lost

    @property
    def cpu_share(self) -> float:
        """CPU time per second of audio (1.0 is one whole core)."""
        return self.cpu_s / self.seconds


def _wanted(text: str) -> str:
    """The command a command item says ("rubdown, lighter" says lighter)."""
    return COMMAND_OF_PHRASE[text.removeprefix(f"{WAKE_WORD}, ")]


def listen(
    stream: Stream,
    tuning: Tuning,
    told: bool = False,
    wake: bool = False,
    echo: bool = True,
    keep: bool = False,
) -> Run:
    """Feed the stream in real-time-sized chunks, as a microphone would.

    `told`: the time gate knows when cues played; `echo`: the canceller gets the played
    track sample by sample, as `guide --listen` gives it what the mixer writes.
    """
    playing = None
    if told:
        spans = [Playback(i.start_s, i.end_s, i.text) for i in stream.items]

        def playing(start: float, end: float) -> Playback | None:
            return next((p for p in spans if p.start_s < end and start < p.end_s), None)

    heard: list[tuple[Heard, float]] = []
    chunk_started = [0.0]

    def on_heard(h: Heard) -> None:
        compute = time.perf_counter() - chunk_started[0]
        heard.append((h, listener.position_s - h.at_s + compute))

    listener = Listener(on_heard, tuning=tuning, playing=playing, wake=wake, keep=keep)
    samples = array("h", np.clip(stream.samples, -32768, 32767).astype("<i2").tobytes())
    played = stream.played if echo else None
    cpu = time.process_time()
    for i in range(0, len(samples), FRAME_SAMPLES):
        chunk_started[0] = time.perf_counter()
        part = None if played is None else played[i : i + FRAME_SAMPLES]
        listener.feed(samples[i : i + FRAME_SAMPLES], part)
    listener.close()
    return Run(heard, time.process_time() - cpu, stream.seconds, listener if keep else None)


def score_commands(stream: Stream, run: Run) -> tuple[int, int, int, list[float]]:
    """(right, wrong command, missed, latencies) over the command items."""
    right = wrong = 0
    latencies: list[float] = []
    for item in stream.items:
        near = [
            (h, lat)
            for h, lat in run.heard
            if item.start_s - MATCH_BEFORE_S <= h.at_s <= item.end_s + MATCH_AFTER_S
        ]
        want = _wanted(item.text)
        if any(h.command == want for h, _ in near):
            right += 1
            # The effect happens at the decision: from the end of the spoken command to then.
            h, lat = next((h, lat) for h, lat in near if h.command == want)
            latencies.append(lat + (h.at_s - item.end_s))
        elif near:
            wrong += 1
    return right, wrong, len(stream.items) - right - wrong, latencies


def per_ten_minutes(run: Run) -> float:
    """Commands acted on per 10 minutes of a stream that has none."""
    return len(run.heard) * TEN_MIN / run.seconds


def build(work: Path, voices: tuple[str, ...], seed: int, quick: bool) -> dict[str, Stream]:
    """The command, conversation and own-cue streams for these voices."""
    builder = SetBuilder(work, seed)
    cues = cue_texts(12 if quick else 120)
    beds = [builder.utterance(t, CUE_VOICE, False, True) for t in cues[:8]]
    repeats = 1 if quick else 2
    commands = builder.stream(
        command_lines(voices, repeats), (1.0, 2.5), ("plain", "reverb", "cue"), beds
    )
    talk = conversation_lines(voices[:1] if quick else voices)
    conversation = builder.stream(talk, (0.3, 1.5), ("plain", "reverb"))
    own = builder.played_stream([(t, CUE_VOICE) for t in cues], (0.8, 3.0))
    woken = [(f"{WAKE_WORD}, {text}", voice) for text, voice in command_lines(voices, 1)]
    wake = builder.stream(woken, (1.0, 2.5), ("plain", "reverb", "cue"), beds)
    return {"commands": commands, "conversation": conversation, "cues": own, "wake": wake}


def report(streams: dict[str, Stream], tuning: Tuning, work: Path) -> None:
    """Print every figure the issue asks for."""
    for name, stream in streams.items():
        write_wav(work / f"{name}.wav", stream.samples)
    cmd = listen(streams["commands"], tuning, keep=True)
    conv = listen(streams["conversation"], tuning, keep=True)
    _report_recall(streams["commands"], cmd, listen(streams["commands"], tuning, echo=False))
    print(
        f"false accepts, ordinary conversation: {per_ten_minutes(conv):.2f} per 10 min "
        f"({len(conv.heard)} in {conv.seconds / 60:.1f} min)  target <= 1"
    )
    print_false_accepts(conv)
    own = _report_own(streams["cues"], tuning)
    if "wake" in streams:
        _report_wake(streams, tuning)
    busiest = max(cmd.cpu_share, conv.cpu_share, own.cpu_share)
    print(
        f"CPU while listening: {busiest:.1%} of one core at the busiest (commands "
        f"{cmd.cpu_share:.1%}, conversation {conv.cpu_share:.1%}, cues with the canceller "
        f"{own.cpu_share:.1%})  target <= 25 %"
    )


def _report_recall(stream: Stream, cmd: Run, bare: Run) -> None:
    """Recall overall and where the misses were lost; latency; the canceller's share."""
    right, wrong, missed, lat = score_commands(stream, cmd)
    total = len(stream.items)
    print(f"recall on commands: {right / total:.1%} ({right}/{total}; {wrong} heard as another")
    print(f"  command, {missed} missed)  target >= 95 %")
    assert cmd.listener is not None
    print_breakdown(stream, cmd.heard, cmd.listener, _wanted)
    under = [i for i in stream.items if i.condition == "cue"]
    if under:
        got = sum(_got(i, bare) for i in under)
        print(f"  under a cue without the echo canceller: {got / len(under):.1%} of {len(under)}")
    if lat:
        p50, p95 = np.percentile(lat, 50), np.percentile(lat, 95)
        print(
            f"end of command to effect: median {p50 * 1000:.0f} ms, 95th percentile "
            f"{p95 * 1000:.0f} ms, worst {max(lat) * 1000:.0f} ms  target <= 600 ms"
        )


def _got(item: Item, run: Run) -> bool:
    """Whether the run acted on this command item as its command."""
    return any(
        h.command == _wanted(item.text)
        and item.start_s - MATCH_BEFORE_S <= h.at_s <= item.end_s + MATCH_AFTER_S
        for h, _ in run.heard
    )


def _report_own(stream: Stream, tuning: Tuning) -> Run:
    """False accepts on rubdown's own cues heard through the room, gated four ways."""
    runs = {
        "echo canceller and playback gate (the guide)": listen(stream, tuning, told=True),
        "echo canceller alone": listen(stream, tuning),
        "playback gate alone": listen(stream, tuning, told=True, echo=False),
        "neither": listen(stream, tuning, echo=False),
    }
    print(f"false accepts, rubdown's own cues ({stream.seconds / 60:.1f} min)  target <= 1:")
    for name, run in runs.items():
        print(f"  {name}: {per_ten_minutes(run):.2f} per 10 min")
    return runs["echo canceller alone"]


def _report_wake(streams: dict[str, Stream], tuning: Tuning) -> None:
    """The same figures with the wake word on ("rubdown, lighter")."""
    woken = listen(streams["wake"], tuning, wake=True)
    right, _, _, _ = score_commands(streams["wake"], woken)
    talk = listen(streams["conversation"], tuning, wake=True)
    bare = listen(streams["commands"], tuning, wake=True)
    total = len(streams["wake"].items)
    print(f"with the wake word: recall {right / total:.1%} ({right}/{total}) on 'rubdown, ...';")
    print(
        f"  false accepts {per_ten_minutes(talk):.2f} per 10 min of conversation, "
        f"{len(bare.heard)} of {len(streams['commands'].items)} bare commands acted on"
    )


def main() -> None:
    """Build the set, then tune or report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small set (a smoke run)")
    parser.add_argument("--tune", action="store_true", help="search settings on tuning voices")
    parser.add_argument("--write", action="store_true", help="with --tune: store the fit")
    parser.add_argument("--work", type=Path, default=None, help="keep the WAVs here")
    parser.add_argument("--voices", default=None, help="comma-separated voices (a subset)")
    parser.add_argument("--seed", type=int, default=None, help="another draw of the set")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rubdown-listen-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        voices = TUNING_VOICES if args.tune else HELD_OUT_VOICES
        if not args.tune:
            voices = (*voices, *_piper_voices())
        if args.voices:
            voices = tuple(args.voices.split(","))
        seed = args.seed if args.seed is not None else 1 if args.tune else 2
        streams = build(work, voices, seed, args.quick)
        print(f"voices: {', '.join(voices)}; {RATE} Hz; work folder {work}")
        if args.tune:
            tune(streams, args.write, {"voices": list(voices), "seed": seed, "quick": args.quick})
        else:
            report(streams, Tuning(), work)


def _piper_voices() -> tuple[str, ...]:
    """Piper, when rubdown's engines include it and it runs here."""
    from rubdown.voice.engines import engine_names, find_engine

    if "piper" in engine_names() and find_engine("piper").name == "piper":
        return ("piper",)
    return ()


if __name__ == "__main__":
    main()
