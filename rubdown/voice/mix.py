"""The couple's mix: master volume, voice against ticks, and a soft generated background that
ducks under every cue. `render` mixes offline (tests, files); `StreamMixer` plays it live."""

from __future__ import annotations

import math
import subprocess
import threading
import time
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

SAMPLE_RATE = 22050
BACKGROUNDS = ("off", "noise", "drone")
LOOP_S = 8.0  # the background repeats seamlessly after this long
DUCK_RAMP_S = 0.3  # the background fades down this long before a cue, and back up after it


@dataclass(frozen=True)
class MixSettings:
    """How loud everything is, relative to full scale."""

    volume: float = 0.8  # master, 0..1
    balance: float = 0.5  # 0 = ticks only, 0.5 = both full, 1 = voice only
    background: str = "off"  # off | noise | drone
    background_level: float = 0.12
    duck_to: float = 0.3  # the background's share left while a cue speaks

    def __post_init__(self) -> None:
        for name in ("volume", "balance", "background_level", "duck_to"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.background not in BACKGROUNDS:
            raise ValueError(f"background must be one of {', '.join(BACKGROUNDS)}")

    @property
    def voice_gain(self) -> float:
        """Gain of spoken cues."""
        return self.volume * min(1.0, 2.0 * self.balance)

    @property
    def tick_gain(self) -> float:
        """Gain of rhythm ticks."""
        return self.volume * min(1.0, 2.0 * (1.0 - self.balance))

    def gain(self, kind: str) -> float:
        """Gain of one kind of clip: 'voice' or 'tick'."""
        return self.voice_gain if kind == "voice" else self.tick_gain


# The player's balance slider moves in twentieths; it is sent the gain at each step.
BALANCE_STEPS = 20
# The background is all below 500 Hz: 8 kHz carries it whole in a sixth of the bytes.
WEB_BACKGROUND_RATE = 8000


def web_mix() -> dict[str, Any]:
    """What the web player mixes with, so its levels and ducking are these, never its own."""
    defaults = MixSettings()
    steps = [i / BALANCE_STEPS for i in range(BALANCE_STEPS + 1)]
    unit = [MixSettings(volume=1.0, balance=b) for b in steps]
    return {
        "defaults": {
            "volume": defaults.volume,
            "balance": defaults.balance,
            "background": defaults.background,
        },
        # Gains at volume 1 for balance 0, 1/20, ... 1; the master volume multiplies them.
        "balance_steps": BALANCE_STEPS,
        "voice": [round(m.voice_gain, 6) for m in unit],
        "tick": [round(m.tick_gain, 6) for m in unit],
        "background_level": defaults.background_level,
        "duck_to": defaults.duck_to,
        "duck_ramp_s": DUCK_RAMP_S,
        "backgrounds": [b for b in BACKGROUNDS if b != "off"],
        "background_url": "/api/background/{kind}.wav",
    }


def background_wav(kind: str) -> bytes:
    """The background loop as a mono 16-bit WAV at WEB_BACKGROUND_RATE, for the web player."""
    import io

    samples = background_loop(kind, WEB_BACKGROUND_RATE)
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(WEB_BACKGROUND_RATE)
        wav.writeframes(to_pcm(samples))
    return out.getvalue()


def background_loop(kind: str, rate: int = SAMPLE_RATE, seed: int = 7) -> np.ndarray:
    """A seamless loop of soft sound, peak 1: filtered noise like distant surf, or a low drone."""
    import numpy as np

    n = round(LOOP_S * rate)
    t = np.arange(n) / rate
    if kind == "noise":
        rng = np.random.default_rng(seed)
        spectrum = np.fft.rfft(rng.standard_normal(n))
        freqs = np.fft.rfftfreq(n, 1 / rate)
        # Shaped in the frequency domain, so the loop wraps round without a click.
        spectrum *= 1.0 / (1.0 + (freqs / 400.0) ** 2)
        sound = np.fft.irfft(spectrum, n)
        swell = 0.75 + 0.25 * np.sin(2 * np.pi * t / LOOP_S)  # one slow breath a loop
        sound = sound * swell
    elif kind == "drone":
        # Whole cycles per loop for every partial, so the loop is seamless too.
        partials = [(110.0, 1.0), (165.0, 0.5), (220.0, 0.25)]
        sound = np.zeros(n) + sum(
            a * np.sin(2 * np.pi * f * t) * (0.8 + 0.2 * np.sin(2 * np.pi * (i + 1) * t / LOOP_S))
            for i, (f, a) in enumerate(partials)
        )
    else:
        return np.zeros(n)
    return np.asarray(sound / np.max(np.abs(sound)))


def duck_gain(
    start: int, count: int, spans: Sequence[tuple[int, int]], duck_to: float, rate: int
) -> np.ndarray:
    """The background's gain for samples start..start+count: down to `duck_to` under each span."""
    import numpy as np

    index = np.arange(start, start + count)
    ramp = max(1, round(DUCK_RAMP_S * rate))
    gain = np.ones(count)
    for begin, end in spans:
        # 1 far from the span, 0 inside it, linear over `ramp` samples on each side.
        before = np.clip((begin - index) / ramp, 0.0, 1.0)
        after = np.clip((index - end) / ramp, 0.0, 1.0)
        depth = np.maximum(before, after)
        gain = np.minimum(gain, duck_to + (1.0 - duck_to) * depth)
    return gain


@dataclass(frozen=True)
class Clip:
    """A sound placed on the mix's timeline, in samples."""

    start: int
    samples: np.ndarray  # float, -1..1
    kind: str  # voice | tick
    label: str = ""

    @property
    def end(self) -> int:
        """The first sample after the clip."""
        return self.start + len(self.samples)


def render(
    start: int,
    count: int,
    clips: Sequence[Clip],
    settings: MixSettings,
    loop: np.ndarray | None = None,
    rate: int = SAMPLE_RATE,
) -> np.ndarray:
    """Mix samples start..start+count of the timeline into floats, clipped to -1..1."""
    import numpy as np

    out = np.zeros(count)
    if loop is not None and settings.background != "off" and len(loop):
        where = np.arange(start, start + count) % len(loop)
        spans = [(c.start, c.end) for c in clips if c.kind == "voice"]
        duck = duck_gain(start, count, spans, settings.duck_to, rate)
        out += loop[where] * duck * settings.background_level * settings.volume
    for clip in clips:
        lo, hi = max(start, clip.start), min(start + count, clip.end)
        if lo < hi:
            out[lo - start : hi - start] += clip.samples[lo - clip.start : hi - clip.start] * (
                settings.gain(clip.kind)
            )
    return np.clip(out, -1.0, 1.0)


def to_pcm(samples: np.ndarray) -> bytes:
    """Float samples as signed 16-bit little-endian PCM."""
    import numpy as np

    return (np.round(samples * 32767).astype("<i2")).tobytes()


def read_wav(path: Path, rate: int = SAMPLE_RATE) -> np.ndarray:
    """A mono 16-bit WAV as floats at `rate` (resampled linearly when it differs)."""
    import numpy as np

    with wave.open(str(path), "rb") as wav:
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(float)
        channels, own_rate = wav.getnchannels(), wav.getframerate()
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1)
    if own_rate != rate and len(data):
        length = round(len(data) * rate / own_rate)
        data = np.interp(np.linspace(0, len(data) - 1, length), np.arange(len(data)), data)
    return np.asarray(data / 32768.0)


@dataclass(frozen=True)
class Playing:
    """A clip that was handed to the sound device: what and when, on the monotonic clock."""

    label: str
    kind: str
    started: float
    ends: float


def aplay_raw_command(device: str | None, rate: int = SAMPLE_RATE) -> list[str]:
    """aplay reading raw mono 16-bit PCM from stdin."""
    device_args = ["-D", device] if device else []
    return ["aplay", "-q", *device_args, "-t", "raw", "-f", "S16_LE", "-c", "1", "-r", str(rate)]


@dataclass
class StreamMixer:
    """One aplay process fed from a thread that mixes background, cues and ticks as they come.

    It writes a little ahead of the wall clock, so a clip starts at most `lead_s` late.
    """

    settings: MixSettings
    device: str | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    block_s: float = 0.02
    lead_s: float = 0.08
    rate: int = SAMPLE_RATE
    played: list[Playing] = field(default_factory=list)
    # Given one by `guide --listen`: every block written is added, as the echo reference.
    tap: Any = None
    _clips: list[Clip] = field(default_factory=list)
    _written: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _proc: Any = None
    _thread: threading.Thread | None = None

    def start(self) -> bool:
        """Start aplay and the mixing thread; False when aplay cannot run."""
        try:
            self._proc = subprocess.Popen(
                aplay_raw_command(self.device, self.rate),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            return False
        self._loop = background_loop(self.settings.background, self.rate)
        self._origin = self.clock()
        self._thread = threading.Thread(target=self._run, name="mixer", daemon=True)
        self._thread.start()
        return True

    def play(self, samples: np.ndarray, kind: str, label: str = "") -> None:
        """Mix a clip in from the next block on; a new voice clip cuts the previous one short."""
        with self._lock:
            at = self._written
            if kind == "voice":
                self._clips = [_cut(c, at) if c.kind == "voice" else c for c in self._clips]
            self._clips.append(Clip(at, samples, kind, label))
            begins = self._origin + at / self.rate
            self.played.append(Playing(label, kind, begins, begins + len(samples) / self.rate))

    def speaking(self, at: float | None = None) -> Playing | None:
        """The voice clip sounding at monotonic time `at` (now by default), if any."""
        when = self.clock() if at is None else at
        with self._lock:
            voices = [p for p in self.played if p.kind == "voice" and p.started <= when < p.ends]
        return voices[-1] if voices else None

    def _run(self) -> None:
        """Keep the device fed a little ahead of the clock until stopped."""
        block = max(1, round(self.block_s * self.rate))
        while not self._stop.is_set():
            due = round((self.clock() - self._origin + self.lead_s) * self.rate)
            if self._written >= due:
                self.sleep(self.block_s / 2)
                continue
            with self._lock:
                start = self._written
                chunk = render(start, block, self._clips, self.settings, self._loop, self.rate)
                self._written += block
                self._clips = [c for c in self._clips if c.end > self._written]
            if self.tap is not None:  # stamped when written: the earliest it can sound
                written_at = self._origin + start / self.rate - self.lead_s
                self.tap.add(written_at, chunk * 32768.0, self.rate)
            try:
                self._proc.stdin.write(to_pcm(chunk))
            except (OSError, ValueError):
                return  # the device went away: the session goes on in silence

    def close(self) -> None:
        """Stop mixing and let aplay finish."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self._proc is not None:
            try:
                self._proc.stdin.close()
                self._proc.wait(timeout=2)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                self._proc.kill()


def _cut(clip: Clip, at: int) -> Clip:
    """The clip ended at sample `at`, with a short fade so the cut does not click."""
    if clip.end <= at or clip.start >= at:
        return clip
    keep = clip.samples[: at - clip.start].copy()
    fade = min(len(keep), 220)
    if fade:
        keep[-fade:] *= [1 - (i + 1) / fade for i in range(fade)]
    return Clip(clip.start, keep, clip.kind, clip.label)


def rms(samples: np.ndarray) -> float:
    """Root mean square level of float samples."""
    import numpy as np

    return float(math.sqrt(float(np.mean(np.square(samples))))) if len(samples) else 0.0
