"""The offline command recogniser: VAD utterances, keyword spotting, and rejection of the rest.

PocketSphinx's keyword search scores each command phrase against a free phone loop, which is
the garbage model: speech that is not a command scores low. On top of that an utterance is
only a command when it is short (a length gate), when the phrase spans most of it (a command
said inside a sentence is talk, not a command), when its score clears the phrase's
threshold, and when it was not rubdown's own voice (the cues it played are gated out).
"""

from __future__ import annotations

import os
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rubdown.voice.commands import (
    COMMAND_OF_PHRASE,
    WAKE_PHONES,
    WAKE_WORD,
    Heard,
)
from rubdown.voice.segment import FRAME_S, FRAME_SAMPLES, Segmenter, Utterance

# The keyword search reports everything above this; the tuning below decides.
SPOT_THRESHOLD = "1e-60"
# After "rubdown" alone, a command said within this long is taken.
WAKE_WINDOW_S = 4.0


class ListenError(RuntimeError):
    """The recogniser cannot run here (its engine or model is missing)."""


@dataclass(frozen=True)
class Tuning:
    """The rejection settings, fitted by bench/listen.py on its tuning voices."""

    min_s: float = 0.25
    max_s: float = 1.6
    max_s_wake: float = 2.6
    coverage: float = 0.3  # the phrase must span this share of the utterance's speech
    score_per_frame: float = -150.0  # log-1.0001 keyword-minus-loop score per 10 ms frame
    margin_db: float = 6.0
    echo_tail_s: float = 0.4  # a cue's sound lingers in the room this long after it ends


@dataclass(frozen=True)
class Playback:
    """Something rubdown itself played, on the listening clock."""

    start_s: float
    end_s: float
    text: str = ""


@dataclass(frozen=True)
class Candidate:
    """What the keyword search found in one utterance, before the decision."""

    phrase: str
    start_s: float
    end_s: float
    score: float  # per frame


def model_dir() -> str:
    """The English model that ships inside the pocketsphinx wheel."""
    from rubdown.extras import require

    require("listen")
    from pocketsphinx import get_model_path

    return str(get_model_path("en-us"))


def keyword_lines(wake: bool) -> list[str]:
    """One keyword-search line per phrase (and, with a wake word, it alone and before each)."""
    wanted = list(COMMAND_OF_PHRASE)
    if wake:
        wanted += [WAKE_WORD, *(f"{WAKE_WORD} {p}" for p in COMMAND_OF_PHRASE)]
    return [f"{phrase} /{SPOT_THRESHOLD}/" for phrase in wanted]


def grammar(wake: bool) -> str:
    """A JSGF grammar: exactly one command phrase (or, with a wake word, it and/or a phrase)."""
    choices = f"({' | '.join(COMMAND_OF_PHRASE)})"
    rule = f"[{WAKE_WORD}] {choices} | {WAKE_WORD}" if wake else choices
    return f"#JSGF V1.0;\ngrammar commands;\npublic <command> = {rule};\n"


def make_decoder(wake: bool) -> object:
    """A PocketSphinx decoder running the keyword search over the command phrases."""
    root = model_dir()
    from pocketsphinx import Decoder

    fd, keyfile = tempfile.mkstemp(prefix="rubdown-kws-", suffix=".txt")
    try:
        with os.fdopen(fd, "w") as out:
            out.write("\n".join(keyword_lines(wake)) + "\n")
        decoder = Decoder(
            hmm=f"{root}/en-us",
            dict=f"{root}/cmudict-en-us.dict",
            lm=None,
            loglevel="FATAL",
        )
        decoder.add_word(WAKE_WORD, WAKE_PHONES, True)
        decoder.add_kws("spot", keyfile)
        decoder.add_jsgf_string("choose", grammar(wake))
        decoder.activate_search("spot")
    except (RuntimeError, ValueError, OSError) as exc:
        raise ListenError(f"the speech recogniser could not start: {exc}") from exc
    finally:
        os.unlink(keyfile)
    return decoder


def dither(frame: array[int], seed: list[int]) -> array[int]:
    """Add one step of noise: digital silence (all zeros) upsets the noise tracking."""
    out = array("h", frame)
    state = seed[0]
    for i, sample in enumerate(out):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        out[i] = max(-32768, min(32767, sample + ((state >> 16) % 3) - 1))
    seed[0] = state
    return out


@dataclass
class Listener:
    """Streams 16 kHz mono audio in; calls on_heard for each command it would act on."""

    on_heard: Callable[[Heard], None]
    wake: bool = False
    tuning: Tuning = field(default_factory=Tuning)
    playing: Callable[[float, float], Playback | None] | None = None
    _decoder: object = None
    _segmenter: Segmenter | None = None
    _pending: array[int] = field(default_factory=lambda: array("h"))
    _seed: list[int] = field(default_factory=lambda: [12345])
    _armed_until: float = -1.0
    keep: bool = False  # keep every utterance (bench and diagnostics)
    utterances: list[Utterance] = field(default_factory=list)
    rejected: list[tuple[Utterance, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._decoder = make_decoder(self.wake)
        self._segmenter = Segmenter(margin_db=self.tuning.margin_db)

    @property
    def position_s(self) -> float:
        """How much audio has been heard."""
        assert self._segmenter is not None
        return self._segmenter._t * FRAME_S

    def feed(self, samples: array[int]) -> None:
        """Take any number of samples; decisions are made as utterances end."""
        self._pending.extend(samples)
        while len(self._pending) >= FRAME_SAMPLES:
            frame = self._pending[:FRAME_SAMPLES]
            del self._pending[:FRAME_SAMPLES]
            self._take(self._segmenter_feed(frame))

    def _segmenter_feed(self, frame: array[int]) -> Iterator[Utterance]:
        assert self._segmenter is not None
        return self._segmenter.feed(dither(frame, self._seed))

    def close(self) -> None:
        """The stream ended: decide on an utterance still open."""
        assert self._segmenter is not None
        self._take(self._segmenter.flush())

    def _take(self, utterances: Iterable[Utterance]) -> None:
        for utterance in utterances:
            if self.keep:
                self.utterances.append(utterance)
            heard, why = self.decide(utterance)
            if heard is not None:
                self.on_heard(heard)
            elif self.keep:
                self.rejected.append((utterance, why))

    def decide(self, utt: Utterance) -> tuple[Heard | None, str]:
        """A command, or None and why not."""
        t = self.tuning
        longest = t.max_s_wake if self.wake else t.max_s
        if utt.runaway or utt.seconds > longest:
            return None, "too long for a command"
        if utt.seconds < t.min_s:
            return None, "too short"
        echo = self._own_voice(utt)
        if echo is not None:
            return None, f"rubdown's own voice ({echo.text[:30]!r})"
        cand = self.spot(utt)
        if cand is None:
            return None, "no command phrase"
        coverage = (cand.end_s - cand.start_s) / max(utt.seconds, FRAME_S)
        if coverage < t.coverage:
            return None, f"{cand.phrase!r} inside longer speech"
        margin = cand.score - t.score_per_frame
        if margin < 0:
            return None, f"{cand.phrase!r} too unsure ({cand.score:.1f})"
        if self.wake and not self._woken(cand.phrase, utt):
            return None, "no wake word before it"
        phrase = cand.phrase.removeprefix(f"{WAKE_WORD} ")
        confidence = min(1.0, 0.5 + margin / 80.0)
        heard = Heard(utt.end_s, COMMAND_OF_PHRASE[phrase], phrase, confidence, utt.start_s)
        return heard, ""

    def _woken(self, phrase: str, utt: Utterance) -> bool:
        """Whether the wake word came with the phrase or just before it (and arm on it alone)."""
        if phrase == WAKE_WORD:
            self._armed_until = utt.end_s + WAKE_WINDOW_S
            return False
        armed = utt.start_s <= self._armed_until or phrase.startswith(f"{WAKE_WORD} ")
        self._armed_until = -1.0
        return armed

    def _own_voice(self, utt: Utterance) -> Playback | None:
        """The playback this utterance overlaps, if rubdown was speaking then."""
        if self.playing is None:
            return None
        return self.playing(utt.start_s, utt.end_s + self.tuning.echo_tail_s)

    def _decode(self, search: str, pcm: bytes) -> list[Any]:
        """Run one search over the audio; its word segments (none when nothing matched)."""
        d = self._decoder
        d.activate_search(search)  # type: ignore[attr-defined]
        d.start_utt()  # type: ignore[attr-defined]
        d.process_raw(pcm, False, True)  # type: ignore[attr-defined]
        d.end_utt()  # type: ignore[attr-defined]
        return [] if d.hyp() is None else list(d.seg())  # type: ignore[attr-defined]

    def choose(self, utt: Utterance) -> str | None:
        """Which phrase the closed grammar forces onto the utterance (always one, if any)."""
        words = [s.word for s in self._decode("choose", utt.pcm)]
        # Dictionary variants are spelled "perfect(2)"; fillers look like <sil> or [NOISE].
        spoken = (w.split("(")[0] for w in words if not w.startswith(("<", "[", "+")))
        text = " ".join(spoken)
        known = text == WAKE_WORD or text.removeprefix(f"{WAKE_WORD} ") in COMMAND_OF_PHRASE
        return text if known else None

    def spot(self, utt: Utterance) -> Candidate | None:
        """The phrase the grammar chose, scored by the keyword search against a phone loop."""
        chosen = self.choose(utt)
        if chosen is None:
            return None
        logmath = self._decoder.get_logmath()  # type: ignore[attr-defined]
        offset = utt.pcm_start_s
        best: Candidate | None = None
        for seg in self._decode("spot", utt.pcm):
            frames = max(1, seg.end_frame - seg.start_frame + 1)
            score = logmath.log(seg.prob) / frames
            phrase = seg.word.strip()
            bare = chosen.removeprefix(f"{WAKE_WORD} ")
            if phrase not in (chosen, bare):
                continue
            start = offset + seg.start_frame / 100
            if phrase != chosen:  # the wake word the grammar heard comes before the phrase
                start, phrase = utt.start_s, chosen
            end = offset + (seg.end_frame + 1) / 100
            if best is None or score > best.score:
                best = Candidate(phrase, start, end, score)
        return best


def hear_samples(
    samples: array[int], wake: bool = False, tuning: Tuning | None = None
) -> list[Heard]:
    """Every command the recogniser would act on in a 16 kHz mono recording."""
    heard: list[Heard] = []
    listener = Listener(heard.append, wake=wake, tuning=tuning or Tuning())
    listener.feed(samples)
    listener.close()
    return heard
