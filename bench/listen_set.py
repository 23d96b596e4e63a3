"""The listening test set: generated speech, varied and mixed with sox, as 16 kHz streams.

Every utterance is spoken by an offline engine (espeak-ng voices; Piper when rubdown has it),
then sox changes its speed (±20 %), its pitch (±3 semitones) and, for some, adds room reverb.
Streams join utterances with pauses over background noise at 15 dB SNR; in some command
utterances one of rubdown's own cue sentences plays underneath: the clean cue is the stream's
`played` track (what rubdown sent to the loudspeaker), and the microphone hears it through a
simulated room (a delay and a decaying tail), 10 dB below the speaker.
"""

from __future__ import annotations

import random
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rubdown.voice.commands import phrases

RATE = 16000
SNR_DB = 15.0
WARM_S = 4.0  # cue speech at the start of a stream with cues under its commands
LEVEL = 3000.0  # the speaker's level at the microphone (16-bit RMS of the loud part)
CUE_BED_DB = -10.0
# Voices fitted on (tuning) and voices never seen while tuning (held out).
TUNING_VOICES = ("en-us", "en-gb", "en-gb-x-gbclan", "en-us-nyc", "en-us+m2", "en-gb+f4")
HELD_OUT_VOICES = ("en-us+f3", "en-gb-x-rp", "en-029", "en-gb-scotland+m3", "en-us+f5")

# Ordinary things people say during and around a massage, written for this bench.
CONVERSATION = (
    "Yes.",
    "Okay.",
    "Mm hmm.",
    "Oh, that feels nice.",
    "A little to the left.",
    "Can you pass me the towel?",
    "Did you remember to lock the front door?",
    "I'm getting a bit cold, actually.",
    "Good morning.",
    "We should drop by the shop after this.",
    "Not too bad at all.",
    "Is it still raining outside?",
    "I'll be right back.",
    "That last one was great.",
    "Keep going just like that.",
    "Oh wow.",
    "Sure.",
    "I really like this song.",
    "Where did I leave my keys?",
    "Go ahead.",
    "Good night.",
    "Just a second.",
    "Look at that.",
    "Right there.",
    "Lower down, please.",
    "It's fine.",
    "Thank you so much.",
    "No worries.",
    "A bit higher.",
    "My neck has been stiff all week from the new desk.",
    "Did your mother call back about Sunday?",
    "The oil smells like lavender, doesn't it?",
    "I think the kettle just switched off.",
    "Remind me to water the plants tomorrow.",
    "How long have we got left?",
    "That spot is a little tender.",
    "I could fall asleep like this.",
    "The neighbours are loud again tonight.",
    "Should we order pizza later?",
    "My shoulders always carry the stress.",
    "Hold on, the cat wants to join in.",
    "I like the music you picked.",
    "Was that the doorbell?",
    "You have warm hands today.",
    "Let's do this again next week.",
    "Hmm, I'm not sure.",
    "Can you turn the light down?",
    "What time is it?",
    "Honestly, that is the best part.",
    "Oh, I forgot to tell you about the meeting.",
    "It's a bit ticklish there.",
    "I went for a long run this morning.",
    "Slowly, slowly.",
    "That reminds me of the holiday.",
    "Mm, lovely.",
    "Is the window open?",
    "Yes, exactly.",
    "I'm comfortable, thanks.",
    "Maybe a cushion under my ankles.",
    "We need more milk.",
    "Your turn next time.",
    "The heater is on, right?",
)


@dataclass(frozen=True)
class Item:
    """One utterance placed in a stream."""

    text: str
    voice: str
    start_s: float  # where its speech starts and ends in the stream
    end_s: float
    condition: str


@dataclass(frozen=True)
class Stream:
    """A 16 kHz mono recording and what is in it."""

    samples: np.ndarray
    items: tuple[Item, ...]
    played: np.ndarray | None = None  # what rubdown played over it (same clock), if anything

    @property
    def seconds(self) -> float:
        """How long it lasts."""
        return len(self.samples) / RATE


def read_wav(path: Path) -> np.ndarray:
    """A 16-bit mono WAV as floats."""
    with wave.open(str(path), "rb") as wav:
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return data.astype(np.float64)


def write_wav(path: Path, samples: np.ndarray) -> None:
    """Floats to a 16-bit mono 16 kHz WAV."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(np.clip(samples, -32768, 32767).astype("<i2").tobytes())


def speak(text: str, voice: str, out: Path) -> None:
    """Synthesise `text` with an espeak-ng voice, or Piper ("piper:" voices)."""
    if voice.startswith("piper"):
        from rubdown.voice.engines import find_engine

        find_engine("piper").synthesize(text, out)
        return
    cmd = ["espeak-ng", "-v", voice, "-w", str(out), "--stdin"]
    subprocess.run(cmd, input=text.encode(), check=True, capture_output=True)


def vary(src: Path, out: Path, rng: random.Random, reverb: bool, natural: bool) -> None:
    """Speed ±20 %, pitch ±3 semitones (unless natural), optional room reverb; 16 kHz mono."""
    tempo = f"{rng.uniform(0.8, 1.2):.3f}"
    cents = f"{rng.uniform(-300, 300):.0f}"
    effects = [] if natural else ["tempo", "-s", tempo, "pitch", cents]
    if reverb:
        effects += ["reverb", f"{rng.uniform(30, 70):.0f}", "50", f"{rng.uniform(40, 90):.0f}"]
    cmd = ["sox", str(src), "-r", str(RATE), "-c", "1", "-b", "16", str(out), *effects]
    subprocess.run([*cmd, "channels", "1"], check=True, capture_output=True)


def rms(x: np.ndarray) -> float:
    """The level of the loud part (speech), ignoring quiet edges."""
    loud = x[np.abs(x) > 0.05 * (np.abs(x).max() + 1e-9)]
    return float(np.sqrt(np.mean(loud**2))) if loud.size else 1.0


def noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """Pink-ish background noise (a fan, a room), unit level."""
    white = rng.standard_normal(n)
    pink = np.convolve(white, np.ones(8) / 8, mode="same") + 0.3 * white
    return pink / np.sqrt(np.mean(pink**2))


class SetBuilder:
    """Makes utterances and streams in a work folder (cached per text, voice and seed)."""

    def __init__(self, work: Path, seed: int, snr_db: float = SNR_DB) -> None:
        self.work, self.seed, self.snr_db = work, seed, snr_db
        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.count = 0

    def utterance(self, text: str, voice: str, reverb: bool, natural: bool) -> np.ndarray:
        """One varied utterance as floats."""
        self.count += 1
        raw = self.work / f"raw-{self.seed}-{self.count}.wav"
        out = self.work / f"var-{self.seed}-{self.count}.wav"
        speak(text, voice, raw)
        vary(raw, out, self.rng, reverb, natural)
        return read_wav(out)

    def stream(
        self,
        lines: list[tuple[str, str]],
        gaps: tuple[float, float],
        conditions: tuple[str, ...],
        beds: list[np.ndarray] | None = None,
        natural: bool = False,
    ) -> Stream:
        """Utterances (text, voice) with pauses, each under one condition, over noise."""
        signal, items, spans = self._compose(lines, gaps, conditions, natural, bool(beds))
        played = self._beds(beds or [], spans, len(signal), LEVEL) if spans else None
        if played is not None:
            signal = signal + through_room(played, self.room())
        scale = LEVEL / 10 ** (self.snr_db / 20)
        return Stream(signal + scale * noise(len(signal), self.np_rng), items, played)

    def _compose(
        self,
        lines: list[tuple[str, str]],
        gaps: tuple[float, float],
        conditions: tuple[str, ...],
        natural: bool,
        beds: bool,
    ) -> tuple[np.ndarray, tuple[Item, ...], list[tuple[int, int]]]:
        """The utterances with pauses (no noise yet), their items, and where cues play."""
        parts, items, t = [], [], 0.0
        spans: list[tuple[int, int]] = []  # where a cue plays under a command (samples)
        if beds:  # a session talks before anyone answers: the canceller has heard the room
            parts, t = [np.zeros(round(WARM_S * RATE))], WARM_S
            spans.append((0, round(WARM_S * RATE)))
        for text, voice in lines:
            condition = self.rng.choice(conditions)
            x = self.utterance(text, voice, condition == "reverb", natural)
            x *= LEVEL / rms(x)
            loud = np.nonzero(np.abs(x) > 0.05 * np.abs(x).max())[0]
            edges = (loud[0] / RATE, (loud[-1] + 1) / RATE) if loud.size else (0.0, 0.0)
            gap = np.zeros(round(self.rng.uniform(*gaps) * RATE))
            if condition == "cue" and beds:  # the cue began up to a gap earlier
                early = round(self.rng.uniform(0.3, 1.0) * len(gap))
                spans.append((round(t * RATE) + len(gap) - early, early + len(x)))
            t += len(gap) / RATE
            items.append(Item(text, voice, t + edges[0], t + edges[1], condition))
            t += len(x) / RATE
            parts += [gap, x]
        parts.append(np.zeros(RATE))
        return np.concatenate(parts), tuple(items), spans

    def played_stream(self, lines: list[tuple[str, str]], gaps: tuple[float, float]) -> Stream:
        """rubdown's own cues played into the room: the clean track, and what the mic hears."""
        played, items, _ = self._compose(lines, gaps, ("plain",), True, False)
        heard = through_room(played, self.room())
        scale = LEVEL / 10 ** (self.snr_db / 20)
        return Stream(heard + scale * noise(len(heard), self.np_rng), items, played)

    def room(self) -> np.ndarray:
        """A room's response from loudspeaker to microphone: a direct path, then a decaying tail."""
        rt60 = self.rng.uniform(0.15, 0.35)
        t = np.arange(round(rt60 * RATE)) / RATE
        response = self.np_rng.standard_normal(len(t)) * np.exp(-6.9 * t / rt60)
        start = round(self.rng.uniform(0.002, 0.03) * RATE)
        response[:start] = 0.0
        response[start] = 3.0
        return np.asarray(response / np.sqrt(np.sum(response**2)))

    def _beds(
        self, beds: list[np.ndarray], spans: list[tuple[int, int]], n: int, level: float
    ) -> np.ndarray:
        """The played track: a stretch of cue speech 10 dB under the speaker at each span."""
        played = np.zeros(n)
        for at, length in spans:
            bed = beds[self.rng.randrange(len(beds))]
            while len(bed) < length + RATE:
                bed = np.concatenate([bed, bed])
            start = self.rng.randrange(0, len(bed) - length)
            part = bed[start : start + length]
            played[at : at + length] = part * (level * 10 ** (CUE_BED_DB / 20) / rms(part))
        return played


def through_room(x: np.ndarray, response: np.ndarray) -> np.ndarray:
    """`x` convolved with a room response (overlap-add in FFT blocks), cut to its length."""
    block = 1 << 16
    size = 1 << int(np.ceil(np.log2(block + len(response))))
    spectrum = np.fft.rfft(response, size)
    out = np.zeros(len(x) + size)
    for i in range(0, len(x), block):
        part = np.fft.irfft(np.fft.rfft(x[i : i + block], size) * spectrum, size)
        out[i : i + size] += part
    return out[: len(x)]


def command_lines(voices: tuple[str, ...], repeats: int) -> list[tuple[str, str]]:
    """Every phrase, in every voice, `repeats` times."""
    return [(p, v) for v in voices for p in phrases() for _ in range(repeats)]


def conversation_lines(voices: tuple[str, ...]) -> list[tuple[str, str]]:
    """Every conversation sentence in every voice."""
    return [(s, v) for v in voices for s in CONVERSATION]


def cue_texts(minimum: int) -> list[str]:
    """Sentences rubdown itself speaks, from real plans, at least `minimum` of them."""
    from rubdown.core.catalogue import load_catalogue
    from rubdown.core.models import PlanRequest
    from rubdown.core.planner import plan_session
    from rubdown.core.timeline import spoken_texts

    cat, texts = load_catalogue(), []
    for vary_seed in range(1, 40):
        for position in ("any", "seated", "side-lying"):
            try:
                plan = plan_session(cat, PlanRequest(minutes=20, position=position, vary=vary_seed))
            except Exception:  # a position some plans cannot use: try the next
                continue
            texts += [t for t in spoken_texts(plan) if t not in texts]
        if len(texts) >= minimum:
            break
    return texts
