"""Acoustic echo cancellation: take rubdown's own playback out of the microphone signal.

rubdown knows the samples it plays. A partitioned-block frequency-domain adaptive filter
(overlap-save, normalised per bin) learns the room's response from those samples to the
microphone and subtracts its estimate of the echo, so a command said over a cue is heard
and the cue alone leaves little behind. Two copies of the filter run: the background one
adapts, the foreground one (which makes the output) only takes the background's weights
when they remove more, so a burst of adaptation on the receiver's voice does no harm. A
double-talk guard stops adaptation while the microphone holds more than the echo explains.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

SAMPLE_RATE = 16000
BLOCK = 160  # 10 ms: two blocks per recogniser frame, and the output lags by under a block
TAIL_S = 0.32  # the filter's reach: a living room's reverberant tail, plus device latency
# Normalised steps (0..1): the first learns a room within a cue or two, the second then
# refines it with less noise in the weights.
FIRST_STEP, STEP = 1.0, 0.5
# The guard: the microphone holding this many times the expected echo plus noise is the
# receiver speaking; do not adapt then (nor for HOLD_BLOCKS after).
DOUBLE_TALK_RATIO = 1.4
HOLD_BLOCKS = 10
# A guard holding this long with the loudspeaker busy is a room that changed (the laptop
# moved), not a receiver talking for seconds over a cue: adapt again, slowly.
STUCK_BLOCKS = 200
# Far-end blocks quieter than this (16-bit units, RMS) teach nothing.
QUIET_RMS = 30.0
# The filter is trusted to judge utterances once it has adapted on this much playback and
# takes at least TRUSTED_ERLE_DB off the echo while only rubdown plays (a reference that
# reaches the microphone later than the filter's reach is never trusted: the time gate
# decides then, and an untamed echo is not taken for the receiver).
WARM_BLOCKS = 100
TRUSTED_ERLE_DB = 10.0
# An utterance whose removed echo is this many dB above what is left was rubdown's own voice.
OWN_ECHO_DB = 10.0
HISTORY_BLOCKS = 3000  # 30 s of per-block figures, for judging utterances after they end
SMOOTH = 0.7  # weight of the past in the two filters' running error powers
# The filter leaves some echo (room noise, a tail past its reach, a loudspeaker's distortion).
# A block holding no more than RESIDUAL_MARGIN times the residual expected of its echo is
# only that residual: it is brought down to the room's noise level, so the voice detector
# does not take the remains of a cue for speech.
# A block 12 dB under its echo estimate is taken for residual too: a receiver speaking over
# a cue is rarely that much quieter than the cue at the microphone.
RESIDUAL_MARGIN, RESIDUAL_FLOOR = 4.0, 10**-1.2
NOISE_RISE = 1.01  # per block: the noise estimate climbs 4 dB a second while nothing is quieter
LEAK_START, LEAK_RANGE = 0.3, (1e-3, 0.3)  # the residual's share of the echo estimate


@dataclass(frozen=True)
class BlockEcho:
    """What one block held: whether its reference was known, echo removed and left behind."""

    known: bool
    warm: bool
    echo_power: float  # mean square of the foreground's echo estimate
    out_power: float  # mean square of the output


@dataclass
class EchoCanceller:
    """Feed microphone and played samples on one clock; get the microphone without the echo."""

    tail_s: float = TAIL_S
    step: float = STEP
    blocks: int = 0  # blocks processed (the output clock, in blocks)
    adapted: int = 0  # blocks the background filter learned on
    history: deque[BlockEcho] = field(default_factory=lambda: deque(maxlen=HISTORY_BLOCKS))
    _mic: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _ref: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        parts = max(1, -(-round(self.tail_s * SAMPLE_RATE) // BLOCK))
        bins = BLOCK + 1
        self._spectra = np.zeros((parts, bins), dtype=complex)  # reference, newest first
        self._back = np.zeros((parts, bins), dtype=complex)
        self._fore = np.zeros((parts, bins), dtype=complex)
        self._last_ref = np.zeros(BLOCK)
        self._err_back = self._err_fore = 0.0
        self._noise = 0.0
        self._leak = LEAK_START
        self._hold = self._stuck = 0
        self._erle = 0.0  # smoothed dB removed from blocks with only playback in them

    def cancel(self, mic: Sequence[int], played: Sequence[float] | None) -> array[int]:
        """The microphone with the echo removed, for every whole block now in hand.

        `played` is what rubdown played over the same samples (None: not known, and the
        microphone passes through). Samples short of a whole block wait for the next call.
        """
        ref = np.full(len(mic), np.nan) if played is None else np.asarray(played, dtype=float)
        if len(ref) != len(mic):
            raise ValueError(f"played has {len(ref)} samples for {len(mic)} microphone samples")
        self._mic = np.concatenate([self._mic, np.asarray(mic, dtype=float)])
        self._ref = np.concatenate([self._ref, ref])
        whole = len(self._mic) // BLOCK * BLOCK
        out = [
            self._block(self._mic[i : i + BLOCK], self._ref[i : i + BLOCK])
            for i in range(0, whole, BLOCK)
        ]
        self._mic, self._ref = self._mic[whole:], self._ref[whole:]
        done = np.concatenate(out) if out else np.zeros(0)
        return array("h", np.clip(np.round(done), -32768, 32767).astype("<i2").tobytes())

    def _block(self, mic: np.ndarray, ref: np.ndarray) -> np.ndarray:
        """Cancel one block and learn from it."""
        known = not np.isnan(ref).any()
        ref = np.nan_to_num(ref) if known else np.zeros(BLOCK)
        self._spectra = np.roll(self._spectra, 1, axis=0)
        self._spectra[0] = np.fft.rfft(np.concatenate([self._last_ref, ref]))
        self._last_ref = ref
        echo_fore = self._echo(self._fore)
        echo_back = self._echo(self._back)
        out, err_back = mic - echo_fore, mic - echo_back
        echo_power, out_power = float(np.mean(echo_fore**2)), float(np.mean(out**2))
        self._track_noise(out_power)
        if known and self._loud(ref):
            self._learn(mic, echo_fore, out, err_back)
        warm = self.adapted >= WARM_BLOCKS and self._erle >= TRUSTED_ERLE_DB
        self.history.append(BlockEcho(known, warm, echo_power, out_power))
        self.blocks += 1
        return self._suppress(out, out_power, echo_power)

    def _track_noise(self, power: float) -> None:
        """The room's noise level: follows quiet blocks down at once, louder ones up slowly."""
        if self.blocks == 0 or power < self._noise:
            self._noise = power + 1.0
        else:
            self._noise *= NOISE_RISE

    def _suppress(self, out: np.ndarray, power: float, echo_power: float) -> np.ndarray:
        """A block that is only the residual of the echo, brought down to the noise level."""
        if (
            power <= self._noise
            or power > max(RESIDUAL_MARGIN * self._leak, RESIDUAL_FLOOR) * echo_power
        ):
            return out
        return np.asarray(out * np.sqrt(self._noise / power))

    def _echo(self, weights: np.ndarray) -> np.ndarray:
        """A filter's echo estimate for the current block (the last half of the overlap-save)."""
        return np.fft.irfft(np.sum(weights * self._spectra, axis=0), 2 * BLOCK)[BLOCK:]

    @staticmethod
    def _loud(ref: np.ndarray) -> bool:
        """Whether the loudspeaker played enough in this block to learn from."""
        return float(np.sqrt(np.mean(ref**2))) > QUIET_RMS

    def _learn(self, mic: np.ndarray, echo: np.ndarray, out: np.ndarray, err: np.ndarray) -> None:
        """Adapt the background filter unless the receiver speaks; promote it when better."""
        talking = self._double_talk(mic, echo)
        self._stuck = self._stuck + 1 if talking else 0
        if not talking:
            share = float(np.mean(out**2)) / (float(np.mean(echo**2)) + 1e-9)
            self._leak = 0.95 * self._leak + 0.05 * float(np.clip(share, *LEAK_RANGE))
            self._erle = 0.95 * self._erle + 0.05 * erle_db(mic, out)
        if not talking or self._stuck > STUCK_BLOCKS:
            step = self.step if self.adapted >= WARM_BLOCKS else FIRST_STEP
            step = step / 4 if talking else step
            self._adapt(err, step)
            self.adapted += 1
        self._err_back = SMOOTH * self._err_back + (1 - SMOOTH) * float(np.mean(err**2))
        self._err_fore = SMOOTH * self._err_fore + (1 - SMOOTH) * float(np.mean(out**2))
        if self._err_back < self._err_fore:
            self._fore = self._back.copy()
        elif self._err_back > 4.0 * self._err_fore:  # the background went astray: restart it
            self._back = self._fore.copy()
            self._err_back = self._err_fore

    def _double_talk(self, mic: np.ndarray, echo: np.ndarray) -> bool:
        """The guard: more in the microphone than the echo estimate and the noise explain."""
        if self.adapted < WARM_BLOCKS:
            return False  # nothing learned yet to compare against: learn
        expected = float(np.mean(echo**2)) + self._noise
        if float(np.mean(mic**2)) > DOUBLE_TALK_RATIO * expected:
            self._hold = HOLD_BLOCKS
        elif self._hold:
            self._hold -= 1
        return self._hold > 0

    def _adapt(self, err: np.ndarray, step: float) -> None:
        """One constrained NLMS step of the background filter, normalised per frequency bin."""
        spectrum = np.fft.rfft(np.concatenate([np.zeros(BLOCK), err]))
        power = np.sum(np.abs(self._spectra) ** 2, axis=0)
        floor = 2.0 * BLOCK * 2.0 * BLOCK * QUIET_RMS**2
        gradient = np.conj(self._spectra) * (spectrum * step / (power + floor))
        # Keep each partition a causal response one block long (the overlap-save constraint).
        taps = np.fft.irfft(gradient, 2 * BLOCK, axis=1)
        taps[:, BLOCK:] = 0.0
        self._back += np.fft.rfft(taps, axis=1)

    def owns(self, start_s: float, end_s: float) -> bool | None:
        """Whether this stretch was only rubdown's echo; None when that cannot be told (no
        reference over part of it, or a filter not yet learned): use the time gate then."""
        first = self.blocks - len(self.history)
        lo = max(int(start_s * SAMPLE_RATE) // BLOCK, first)
        hi = min(-(-int(end_s * SAMPLE_RATE) // BLOCK), self.blocks)
        span = [self.history[i - first] for i in range(lo, hi)]
        if not span or not all(b.known and b.warm for b in span):
            return None
        echo = sum(b.echo_power for b in span)
        left = sum(b.out_power for b in span) + 1e-9
        return bool(10.0 * np.log10(echo / left + 1e-12) >= OWN_ECHO_DB)


def erle_db(mic: np.ndarray, out: np.ndarray) -> float:
    """Echo return loss enhancement: how much quieter the output is than the microphone, in dB."""
    return float(10.0 * np.log10((np.mean(mic**2) + 1e-9) / (np.mean(out**2) + 1e-9)))
