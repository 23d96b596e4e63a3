"""Voice-activity segmentation: cut a 16 kHz stream into short utterances worth decoding.

A frame counts as speech when the VAD says so and it stands out from the recent background
by a margin, so a steady bed of sound (a fan, a voice playing quietly across the room) does
not glue every word into one endless utterance.
"""

from __future__ import annotations

import math
from array import array
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

SAMPLE_RATE = 16000
# 20 ms frames: the end of speech is found to within a frame, sooner than with 30 ms.
FRAME_S = 0.02
FRAME_SAMPLES = round(SAMPLE_RATE * FRAME_S)
# Onset: this many speech frames among the last ONSET_WINDOW start an utterance.
ONSET_FRAMES = 4
ONSET_WINDOW = 7
# 0.24 s of quiet ends an utterance: longer than the closure inside "go back" or "that's
# good" (0.2 s cut the burst of a final "p" and heard "stop" as "go back"), short enough
# that the effect follows the command within the latency target.
HANGOVER_FRAMES = 12
PREROLL_FRAMES = 12  # audio kept before the onset, so the first phone is whole
BACKGROUND_FRAMES = 150  # 3 s of history for the background level
BACKGROUND_QUANTILE = 0.2
# Long utterances are conversation, not commands: stop buffering them past this.
RUNAWAY_S = 6.0


@dataclass(frozen=True)
class Utterance:
    """A stretch of speech: where its speech starts and ends, and its audio with margins."""

    start_s: float
    end_s: float
    pcm: bytes  # 16-bit mono, from PREROLL before start_s to the end of the hangover
    decided_s: float  # the stream time at which the segmenter knew it had ended
    pcm_start_s: float  # where pcm begins on the stream clock
    runaway: bool = False  # longer than RUNAWAY_S: audio was not kept whole

    @property
    def seconds(self) -> float:
        """How long the speech lasted."""
        return self.end_s - self.start_s


def frame_db(frame: array[int]) -> float:
    """The frame's level in dB relative to one 16-bit step."""
    if not frame:
        return 0.0
    power = sum(s * s for s in frame) / len(frame)
    return 10.0 * math.log10(power + 1.0)


@dataclass
class Segmenter:
    """Feed it frames of FRAME_SAMPLES samples; it yields each utterance once it has ended."""

    margin_db: float = 6.0
    vad_mode: int = 2
    _vad: object = field(default=None, repr=False)
    _t: int = 0  # frames seen
    _levels: deque[float] = field(default_factory=lambda: deque(maxlen=BACKGROUND_FRAMES))
    _recent: deque[bool] = field(default_factory=lambda: deque(maxlen=ONSET_WINDOW))
    _ring: deque[bytes] = field(default_factory=lambda: deque(maxlen=PREROLL_FRAMES))
    _speech: list[bytes] | None = None
    _start: int = 0
    _pcm_start: int = 0
    _last_active: int = 0

    def __post_init__(self) -> None:
        from pocketsphinx import Vad

        self._vad = Vad(self.vad_mode, SAMPLE_RATE, FRAME_S)

    def background_db(self) -> float:
        """The recent background level: a low quantile of the last few seconds."""
        if len(self._levels) < ONSET_WINDOW:
            return 0.0
        ordered = sorted(self._levels)
        return ordered[int(BACKGROUND_QUANTILE * (len(ordered) - 1))]

    def is_active(self, frame: array[int], pcm: bytes) -> bool:
        """Whether this frame is speech standing out from the background."""
        level = frame_db(frame)
        loud = level > self.background_db() + self.margin_db
        self._levels.append(level)
        return loud and bool(self._vad.is_speech(pcm))  # type: ignore[attr-defined]

    def feed(self, frame: array[int]) -> Iterator[Utterance]:
        """Take one frame; yield the utterance that this frame ended, if any."""
        pcm = frame.tobytes()
        active = self.is_active(frame, pcm)
        self._recent.append(active)
        index, self._t = self._t, self._t + 1
        if self._speech is None:
            self._ring.append(pcm)
            if active and sum(self._recent) >= ONSET_FRAMES:
                self._speech = list(self._ring)
                self._pcm_start = index - len(self._ring) + 1
                self._start = index - len(self._recent) + 1 + self._recent.index(True)
                self._last_active = index
            return
        if len(self._speech) * FRAME_S < RUNAWAY_S:
            self._speech.append(pcm)
        if active:
            self._last_active = index
        elif index - self._last_active >= HANGOVER_FRAMES:
            yield self._close(index)

    def _close(self, index: int) -> Utterance:
        """End the utterance in progress."""
        assert self._speech is not None
        start, end = self._start * FRAME_S, (self._last_active + 1) * FRAME_S
        utterance = Utterance(
            start,
            end,
            b"".join(self._speech),
            (index + 1) * FRAME_S,
            self._pcm_start * FRAME_S,
            end - start > RUNAWAY_S,
        )
        self._speech = None
        self._ring.clear()
        self._recent.clear()
        return utterance

    def flush(self) -> Iterator[Utterance]:
        """At the end of the stream: close an utterance still open."""
        if self._speech is not None:
            yield self._close(self._t)
