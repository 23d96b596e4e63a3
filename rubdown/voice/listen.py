"""The offline command recogniser: VAD utterances, a closed grammar, and rejection of the rest.

A closed grammar forces one command onto any speech, so it is only the first pass. The same
utterance is decoded again by a free phone loop (the garbage model: any sound at all, ruled
by a phone n-gram). Their acoustic scores per frame give a likelihood ratio: a real command
scores nearly as well under the grammar as under the loop, other speech far worse. On top
of that an utterance is only a command when it is short (a length gate), when the ratio
clears its command's threshold, and when it was not rubdown's own voice (the cues it played
are gated out). With the wake word on, only "rubdown, <command>" is taken.
"""

from __future__ import annotations

import json
import math
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rubdown.voice.commands import (
    ALTERNATIVES,
    COMMAND_OF_PHRASE,
    PHRASE_OF_COMMAND,
    WAKE_PHONES,
    WAKE_WORD,
    Heard,
)
from rubdown.voice.fillers import safe_fillers
from rubdown.voice.segment import FRAME_S, FRAME_SAMPLES, Segmenter, Utterance

if TYPE_CHECKING:
    from rubdown.voice.echo import EchoCanceller

# After "rubdown" alone, a command said within this long is taken.
WAKE_WINDOW_S = 4.0
# Below this (one 16-bit step of probability) a segment's score underflowed: reject it.
TINY = 1e-300
# The confidence reaches 1 this far (per-frame ratio, in thousands) above the threshold.
CONFIDENCE_SPAN = 20.0


class ListenError(RuntimeError):
    """The recogniser cannot run here (its engine or model is missing)."""


FITTED_PATH = Path(__file__).with_name("fitted.json")


@cache
def fitted() -> dict[str, Any]:
    """The settings `bench/listen.py --tune --write` fitted on the tuning voices (data)."""
    data: dict[str, Any] = json.loads(FITTED_PATH.read_text(encoding="utf-8"))
    return data


def _fitted(key: str) -> Callable[[], Any]:
    """A dataclass default read from the fitted settings."""
    if key == "per_command":
        return lambda: tuple(sorted(fitted()[key].items()))
    return lambda: fitted()[key]


def _fitted_verifier(key: str) -> Callable[[], float]:
    """A verifier setting that `bench/listen_train.py --write` stored."""
    return lambda: float(fitted()["verifier"][key])


@dataclass(frozen=True)
class Tuning:
    """The rejection settings; the fitted ones come from fitted.json (`--tune --write`)."""

    min_s: float = 0.1
    max_s: float = field(default_factory=_fitted("max_s"))
    max_s_wake: float = 1.9
    # Grammar-minus-phone-loop acoustic score per 10 ms frame, in thousands of log-1.0001
    # units; an utterance scoring lower than its command's threshold is not that command.
    # Each command has its own (per_command), fitted on the tuning voices; min_ratio is for
    # a command without one.
    min_ratio: float = -52.5
    per_command: tuple[tuple[str, float], ...] = field(default_factory=_fitted("per_command"))
    margin_db: float = 6.0
    # The reject class: this many of the language model's commonest words, and the prior
    # weight of talk against a command in the grammar.
    fillers: int = field(default_factory=_fitted("fillers"))
    filler_weight: float = field(default_factory=_fitted("filler_weight"))
    # A second pass decodes the utterance with the general English language model: when
    # that hears this many words or more, it was a sentence, not a command. (Its words
    # themselves are no check: on a lone command it mostly hears other words.)
    # Below talk_min_s it tends to shred one word into several ("perfect" as "look at it").
    max_talk_words: int = 3
    talk_min_s: float = 0.6
    echo_tail_s: float = 0.4  # a cue's sound lingers in the room this long after it ends
    # Without the wake word the classifier over speech embeddings (verify.py) chooses the
    # command: below this probability of its top class, nothing; longer utterances are talk.
    verify: bool = True
    verifier_min: float = field(default_factory=_fitted_verifier("threshold"))
    verifier_max_s: float = field(default_factory=_fitted_verifier("max_s"))
    # Below verifier_min, a grammar match still counts when the classifier likes that
    # command best among the commands and gives "none" less than this.
    seconding_none_max: float = field(default_factory=_fitted_verifier("seconding_none_max"))

    def threshold(self, command: str) -> float:
        """The ratio an utterance needs to count as this command."""
        return dict(self.per_command).get(command, self.min_ratio)


@dataclass(frozen=True)
class Playback:
    """Something rubdown itself played, on the listening clock."""

    start_s: float
    end_s: float
    text: str = ""


@dataclass(frozen=True)
class Scored:
    """The phrase the grammar chose for one utterance and its ratio to the phone loop."""

    phrase: str
    ratio: float  # per frame, thousands of log-1.0001 units (0 is as good as any sound)


def model_dir() -> str:
    """The English model that ships inside the pocketsphinx wheel."""
    from rubdown.extras import require

    require("listen")
    from pocketsphinx import get_model_path

    return str(get_model_path("en-us"))


def grammar(wake: bool, fillers: Sequence[str] = (), filler_weight: float = 1.0) -> str:
    """A JSGF grammar: one command phrase (with a wake word: it and/or a phrase), or talk.

    Talk is any run of the filler words: the reject class ordinary speech decodes as.
    """
    rule = f"[{WAKE_WORD}] <phrase> | {WAKE_WORD}" if wake else "<phrase>"
    lines = ["#JSGF V1.0;", "grammar commands;"]
    if fillers:
        rule = f"/1/ ({rule}) | /{filler_weight:g}/ <filler>"
        lines.append(f"<filler> = ({' | '.join(fillers)});")
    lines += [f"public <command> = {rule};", f"<phrase> = ({' | '.join(COMMAND_OF_PHRASE)});"]
    return "\n".join(lines) + "\n"


def pronunciations(decoder: Any) -> Callable[[str], list[str]]:
    """A word's pronunciations in the decoder's dictionary ("go", "go(2)", ...)."""

    def lookup(word: str) -> list[str]:
        found, n = [], 1
        while (phones := decoder.lookup_word(word if n == 1 else f"{word}({n})")) is not None:
            found.append(phones)
            n += 1
        return found

    return lookup


def add_alternatives(decoder: Any) -> None:
    """Add the pronunciations the dictionary lacks, numbered after its own variants."""
    for word, phones in ALTERNATIVES:
        n = 2
        while decoder.lookup_word(f"{word}({n})") is not None:  # "go(2)" may be its own
            n += 1
        decoder.add_word(f"{word}({n})", phones, False)


def make_decoder(wake: bool, tuning: Tuning | None = None) -> object:
    """A PocketSphinx decoder with the command grammar, the phone loop and the language model."""
    t = tuning or Tuning()
    root = model_dir()
    from pocketsphinx import Decoder

    try:
        decoder = Decoder(
            hmm=f"{root}/en-us",
            dict=f"{root}/cmudict-en-us.dict",
            lm=None,
            loglevel="FATAL",
            # Each utterance is decoded whole, so its own mean normalises it: the first
            # command after a quiet start is not judged by a default that fits no room.
            cmn="batch",
        )
        decoder.add_word(WAKE_WORD, WAKE_PHONES, False)
        add_alternatives(decoder)
        decoder.add_allphone_file("loop", f"{root}/en-us-phone.lm.bin")
        decoder.add_lm_file("talk", f"{root}/en-us.lm.bin")
        fillers = safe_fillers(t.fillers, [*COMMAND_OF_PHRASE, WAKE_WORD], pronunciations(decoder))
        decoder.add_jsgf_string("choose", grammar(wake, fillers, t.filler_weight))
        decoder.activate_search("choose")
    except (RuntimeError, ValueError, OSError) as exc:
        raise ListenError(f"the speech recogniser could not start: {exc}") from exc
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
    _echo: EchoCanceller | None = None  # made when a reference first comes with the audio
    keep: bool = False  # keep every utterance (bench and diagnostics)
    deciding: bool = True  # False: only segment (the verifier's training set)
    utterances: list[Utterance] = field(default_factory=list)
    rejected: list[tuple[Utterance, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._decoder = make_decoder(self.wake, self.tuning)
        self._segmenter = Segmenter(margin_db=self.tuning.margin_db)

    @property
    def position_s(self) -> float:
        """How much audio has been heard."""
        assert self._segmenter is not None
        return self._segmenter._t * FRAME_S

    def feed(self, samples: array[int], played: Sequence[float] | None = None) -> None:
        """Take any number of samples; decisions are made as utterances end.

        `played` is what rubdown played over the same samples (on the same clock): its
        echo is cancelled before segmentation, and then the time gate is not needed.
        """
        if played is not None or self._echo is not None:
            samples = self._cancel(samples, played)
        self._pending.extend(samples)
        while len(self._pending) >= FRAME_SAMPLES:
            frame = self._pending[:FRAME_SAMPLES]
            del self._pending[:FRAME_SAMPLES]
            self._take(self._segmenter_feed(frame))

    def _segmenter_feed(self, frame: array[int]) -> Iterator[Utterance]:
        assert self._segmenter is not None
        return self._segmenter.feed(dither(frame, self._seed))

    def _cancel(self, samples: array[int], played: Sequence[float] | None) -> array[int]:
        """The samples without rubdown's echo (all audio goes through once a reference came)."""
        if self._echo is None:
            from rubdown.voice.echo import EchoCanceller

            self._echo = EchoCanceller()
        return self._echo.cancel(samples, played)

    def close(self) -> None:
        """The stream ended: decide on an utterance still open."""
        assert self._segmenter is not None
        self._take(self._segmenter.flush())

    def _take(self, utterances: Iterable[Utterance]) -> None:
        for utterance in utterances:
            if self.keep:
                self.utterances.append(utterance)
            if not self.deciding:
                continue
            heard, why = self.decide(utterance)
            if heard is not None:
                self.on_heard(heard)
            elif self.keep:
                self.rejected.append((utterance, why))

    def decide(self, utt: Utterance) -> tuple[Heard | None, str]:
        """A command, or None and why not."""
        t = self.tuning
        verified = t.verify and not self.wake
        longest = t.max_s_wake if self.wake else t.verifier_max_s if verified else t.max_s
        if utt.runaway or utt.seconds > longest:
            return None, "too long for a command"
        if utt.seconds < t.min_s:
            return None, "too short"
        echo = self._own_voice(utt)
        if echo is not None:
            return None, f"rubdown's own voice ({echo.text[:30]!r})"
        return self.verified(utt) if verified else self.grammar_decision(utt)

    def grammar_decision(self, utt: Utterance) -> tuple[Heard | None, str]:
        """The closed grammar's phrase, if the phone loop, the second pass and the wake agree."""
        t = self.tuning
        scored = self.score(utt)
        if scored is None:
            return None, "no command phrase"
        phrase = scored.phrase.removeprefix(f"{WAKE_WORD} ")
        command = COMMAND_OF_PHRASE.get(phrase)
        if command is None:  # the wake word alone
            self._woken(scored.phrase, utt)
            return None, "the wake word alone"
        margin = scored.ratio - t.threshold(command)
        if margin < 0:
            return None, f"{phrase!r} too unsure ({scored.ratio:.1f})"
        # With the wake word on, "rubdown" itself becomes words: that mode is left to it.
        sentence = not self.wake and utt.seconds >= t.talk_min_s
        talk = self.transcript(utt) if sentence else []
        if len(talk) >= t.max_talk_words:
            return None, f"{phrase!r} is talk ({' '.join(talk)!r})"
        if self.wake and not self._woken(scored.phrase, utt):
            return None, "no wake word before it"
        confidence = min(1.0, 0.5 + margin / (2 * CONFIDENCE_SPAN))
        return Heard(utt.end_s, command, phrase, confidence, utt.start_s), ""

    def verified(self, utt: Utterance) -> tuple[Heard | None, str]:
        """The classifier's command when it is sure; when less sure, it may second the grammar."""
        from rubdown.voice.verify import shared_verifier

        t = self.tuning
        verdict = shared_verifier().judge(utt.pcm)
        if verdict.command is not None and verdict.probability >= t.verifier_min:
            said = self.choose(self._decode("choose", utt.pcm)) or ""
            phrase = said if COMMAND_OF_PHRASE.get(said) == verdict.command else None
            phrase = phrase or PHRASE_OF_COMMAND[verdict.command]
            return Heard(utt.end_s, verdict.command, phrase, verdict.probability, utt.start_s), ""
        why = f"verifier unsure of {verdict.likeliest} ({verdict.probability:.2f})"
        if verdict.command is None:
            why = f"not a command ({verdict.probability:.2f} sure)"
        # Where the classifier is torn, a grammar match on the command it likes best counts.
        if verdict.none_probability >= t.seconding_none_max or utt.seconds > t.max_s:
            return None, why
        heard, _ = self.grammar_decision(utt)
        return (heard, "") if heard and heard.command == verdict.likeliest else (None, why)

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
        # With what was played known and cancelled, the echo left says it; not the clock.
        owned = None if self._echo is None else self._echo.owns(utt.start_s, utt.end_s)
        if owned is not None:
            return Playback(utt.start_s, utt.end_s, "its echo") if owned else None
        if self.playing is None:
            return None
        return self.playing(utt.start_s, utt.end_s + self.tuning.echo_tail_s)

    def _decode(self, search: str, pcm: bytes) -> list[Any]:
        """Run one search over the audio; its segments (none when nothing matched)."""
        d = self._decoder
        d.activate_search(search)  # type: ignore[attr-defined]
        d.start_utt()  # type: ignore[attr-defined]
        d.process_raw(pcm, False, True)  # type: ignore[attr-defined]
        d.end_utt()  # type: ignore[attr-defined]
        return [] if d.hyp() is None else list(d.seg())  # type: ignore[attr-defined]

    def choose(self, segments: list[Any]) -> str | None:
        """The phrase the closed grammar forced onto the utterance, if it reached its end."""
        text = " ".join(spoken(segments))
        known = text == WAKE_WORD or text.removeprefix(f"{WAKE_WORD} ") in COMMAND_OF_PHRASE
        return text if known else None  # a partial path ("go") is no phrase

    def transcript(self, utt: Utterance) -> list[str]:
        """The words the general language model hears in the utterance (the second pass)."""
        return spoken(self._decode("talk", utt.pcm))

    def score(self, utt: Utterance) -> Scored | None:
        """The grammar's phrase, scored per frame against the phone loop over the same audio."""
        grammar_segs = self._decode("choose", utt.pcm)
        phrase = self.choose(grammar_segs)
        if phrase is None:
            return None
        loop_segs = self._decode("loop", utt.pcm)
        if not loop_segs:  # the loop always fits some path; none means the decode failed
            return None
        frames = max(s.end_frame for s in grammar_segs) + 1
        ratio = (acoustic(grammar_segs) - acoustic(loop_segs)) / frames / 1000.0
        return Scored(phrase, ratio)


def spoken(segments: list[Any]) -> list[str]:
    """The words of a decode, without fillers and variant numbers."""
    # Dictionary variants are spelled "perfect(2)"; fillers look like <sil> or [NOISE].
    words = (s.word.split("(")[0] for s in segments)
    return [w for w in words if not w.startswith(("<", "[", "+"))]


def acoustic(segments: list[Any]) -> float:
    """The summed acoustic score of segments in log-1.0001 units."""
    return sum(math.log(max(s.ascore, TINY)) / math.log(1.0001) for s in segments)


def hear_samples(
    samples: array[int], wake: bool = False, tuning: Tuning | None = None
) -> list[Heard]:
    """Every command the recogniser would act on in a 16 kHz mono recording."""
    heard: list[Heard] = []
    listener = Listener(heard.append, wake=wake, tuning=tuning or Tuning())
    listener.feed(samples)
    listener.close()
    return heard
