"""Echo cancellation: rubdown's own playback taken out of the microphone, the receiver kept."""

from __future__ import annotations

import subprocess
import wave
from array import array
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from rubdown.voice.commands import Heard
from rubdown.voice.echo import BLOCK, EchoCanceller, erle_db
from rubdown.voice.listen import Listener, Playback

RATE = 16000


def loudspeaker(seconds: float, rng: np.random.Generator) -> np.ndarray:
    """Speech-like playback: coloured noise in syllable-rate bursts, at a cue's level."""
    n = round(seconds * RATE)
    t = np.arange(n) / RATE
    sound = np.convolve(rng.standard_normal(n), [1.0, 0.9, 0.5], mode="same")
    bursts = np.clip(np.sin(2 * np.pi * 3.1 * t) + 0.3, 0.0, None)
    return 3000.0 * sound * bursts * (0.6 + 0.4 * np.sin(2 * np.pi * 0.37 * t))


def room(rng: np.random.Generator, rt60_s: float, gain: float, delay_s: float) -> np.ndarray:
    """A room's response: a direct path after `delay_s`, then a tail dying 60 dB in rt60_s."""
    n = round(rt60_s * RATE)
    t = np.arange(n) / RATE
    response = rng.standard_normal(n) * np.exp(-6.9 * t / rt60_s)
    start = round(delay_s * RATE)
    response[:start] = 0.0
    response[start] = 3.0
    return np.asarray(gain * response / np.sqrt(np.sum(response**2)))


def voice(seconds: float) -> np.ndarray:
    """A near-end voice: a 140 Hz buzz with its harmonics and vibrato, in two phrases."""
    t = np.arange(round(seconds * RATE)) / RATE
    phase = 2 * np.pi * np.cumsum(140.0 * (1 + 0.05 * np.sin(2 * np.pi * 5 * t))) / RATE
    buzz = sum(np.sin(k * phase) / k for k in range(1, 20))
    return np.asarray(2000.0 * buzz * np.clip(np.sin(2 * np.pi * seconds**-1 * 2 * t), 0, None))


def cancelled(mic: np.ndarray, played: np.ndarray | None, chunk: int = 320) -> np.ndarray:
    """Run the canceller over the microphone in microphone-sized chunks."""
    canceller, out = EchoCanceller(), array("h")
    for i in range(0, len(mic), chunk):
        part = None if played is None else played[i : i + chunk]
        out.extend(canceller.cancel(np.round(mic[i : i + chunk]).astype(int).tolist(), part))
    return np.asarray(out, dtype=float)


@pytest.mark.parametrize(
    ("rt60_s", "gain", "delay_s"),
    [(0.15, 0.5, 0.002), (0.25, 1.0, 0.01), (0.3, 0.3, 0.02)],
)
def test_a_reverberant_echo_loses_20_db_and_the_receivers_voice_stays(
    rt60_s: float, gain: float, delay_s: float
) -> None:
    rng = np.random.default_rng(11)
    played = loudspeaker(12.0, rng)
    echo = np.convolve(played, room(rng, rt60_s, gain, delay_s))[: len(played)]
    near = np.zeros(len(played))
    near[8 * RATE : 10 * RATE] = voice(2.0)
    hiss = rng.standard_normal(len(played)) * 5.0
    out = cancelled(echo + near + hiss, played)
    assert len(out) == len(played) // BLOCK * BLOCK
    alone = slice(4 * RATE, 8 * RATE)  # learned by now; the receiver silent
    assert erle_db(echo[alone], out[alone]) >= 20.0
    talk = slice(8 * RATE, 10 * RATE)
    # The voice comes through whole: what is left besides it is 15 dB under it.
    assert erle_db(near[talk], out[talk] - near[talk]) >= 15.0
    after = slice(10 * RATE, 12 * RATE)  # and the guard kept the filter from unlearning
    assert erle_db(echo[after], out[after] - hiss[after]) >= 20.0


def test_without_a_reference_the_microphone_passes_through() -> None:
    rng = np.random.default_rng(5)
    mic = np.round(loudspeaker(1.0, rng))
    assert np.array_equal(cancelled(mic, None), mic[: len(mic) // BLOCK * BLOCK])


def test_a_reference_of_the_wrong_length_is_refused_plainly() -> None:
    with pytest.raises(ValueError, match="played has 10 samples for 20 microphone samples"):
        EchoCanceller().cancel([0] * 20, [0.0] * 10)


def said(text: str, voice_name: str, tmp: Path) -> np.ndarray:
    """`text` spoken by espeak-ng, as 16 kHz floats."""
    raw, out = tmp / "raw.wav", tmp / "said.wav"
    subprocess.run(["espeak-ng", "-v", voice_name, "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(out)], check=True)
    with wave.open(str(out), "rb") as wav:
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(float)


CUES = (
    "Settle your palms on the upper back and let them warm the skin for a moment.",
    "Go back to the lighter strokes now, then stop there and rest your hands.",
)


def cue_track(tmp: Path, command_at_s: float | None) -> tuple[np.ndarray, np.ndarray, float]:
    """(microphone, played, end of the command): two cues played into a room, a receiver
    saying "lighter" over the second at command_at_s (or never)."""
    rng = np.random.default_rng(3)
    gap = np.zeros(RATE // 2)
    played = np.concatenate([gap, *(np.concatenate([said(c, "en-us", tmp), gap]) for c in CUES)])
    mic = np.convolve(played, room(rng, 0.25, 0.7, 0.005))[: len(played)]
    end = -1.0
    if command_at_s is not None:
        command = said("lighter", "en-gb", tmp)
        at = round(command_at_s * RATE)
        mic[at : at + len(command)] += command * 1.5
        end = (at + len(command)) / RATE
    return mic + rng.standard_normal(len(mic)) * 150.0, played, end


def time_gate(played: np.ndarray) -> Callable[[float, float], Playback | None]:
    """The fallback the guide also gives: whether anything was played between two times."""

    def playing(start_s: float, end_s: float) -> Playback | None:
        part = played[max(0, round(start_s * RATE)) : round(end_s * RATE)]
        return Playback(start_s, end_s, "a cue") if np.any(np.abs(part) > 0) else None

    return playing


def heard_in(mic: np.ndarray, played: np.ndarray) -> list[Heard]:
    """What a listener acts on, fed like a microphone with what was played over it.

    Until the canceller has learned the room (the first second of playback) the time gate
    decides; after that only the echo that is left does."""
    heard: list[Heard] = []
    listener = Listener(heard.append, playing=time_gate(played))
    pcm = array("h", np.clip(np.round(mic), -32768, 32767).astype("<i2").tobytes())
    for i in range(0, len(pcm), 320):
        listener.feed(pcm[i : i + 320], played[i : i + 320])
    listener.close()
    return heard


def test_a_command_said_over_a_cue_is_heard_with_the_reference(tmp_path: Path) -> None:
    mic, played, end = cue_track(tmp_path, command_at_s=7.5)  # over the second cue
    heard = heard_in(mic, played)
    assert [h.command for h in heard] == ["lighter"]
    assert abs(heard[0].at_s - end) < 0.5


def test_the_cue_alone_is_not_obeyed_with_the_reference(tmp_path: Path) -> None:
    mic, played, _ = cue_track(tmp_path, command_at_s=None)
    assert heard_in(mic, played) == []
