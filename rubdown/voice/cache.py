"""A content-addressed folder of spoken cues, synthesised once, in play order, and reused.

Each cue is `<sha256>.<format>` with a `<sha256>.json` beside it holding its real duration.
Cues are spoken a sentence at a time and joined: a sentence that many cues share (a caution,
a count, a check-in) is synthesised once, kept as `sentences/<sha256>.wav`, and reused.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from rubdown.voice.encode import AudioFormat, audio_format, encode, wav_seconds
from rubdown.voice.engines import DEFAULT_RATE_WPM, SpeechEngine, SynthesisError
from rubdown.voice.spoken import speakable

CACHE_DIR_ENV = "RUBDOWN_CACHE_DIR"
# Bump when the key recipe or the audio format changes, so old files are never reused.
KEY_VERSION = 3
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Between the sentences of a cue, on top of the voice's own tail: a calm breath, not a gap.
SENTENCE_GAP_S = 0.1

Progress = Callable[[int, int], None]


def default_cache_root() -> Path:
    """Return the cue folder: $RUBDOWN_CACHE_DIR/cues or the user cache dir's rubdown/cues."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser() / "cues"
    import platformdirs  # lazy: only needed when no folder is given

    return platformdirs.user_cache_path("rubdown") / "cues"


def normalize_cue(text: str) -> str:
    """The sentence as it is spoken: whitespace collapsed, numbers and times in words."""
    return speakable(text)


def sentences(text: str) -> list[str]:
    """The cue's sentences as spoken, in order (Piper speaks each on its own anyway)."""
    spoken = normalize_cue(text)
    return [p for p in SENTENCE_END.split(spoken) if p.strip()] or [spoken]


class CacheClosed(SynthesisError):
    """The cache was closed: no more cues are made (the session or the server has ended)."""


class CueAudioCache:
    """Spoken cues stored under one folder, named by engine, voice, rate, format and text."""

    def __init__(
        self,
        root: Path | None,
        engine: SpeechEngine,
        *,
        rate_wpm: int = DEFAULT_RATE_WPM,
        fmt: str = "wav",
    ) -> None:
        self.root = Path(root) if root is not None else default_cache_root()
        self.engine = engine
        self.rate_wpm = rate_wpm
        self.format: AudioFormat = audio_format(fmt)
        self._available: bool | None = None
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._keys: dict[str, str] = {}
        self.synth_seconds = 0.0  # time spent making cues in this process
        self.spoken_seconds = 0.0  # seconds of sentence audio synthesised in this process
        self.sentence_seconds = 0.0  # time spent synthesising those sentences
        self.sentence_cpu_seconds = 0.0
        self.made = 0
        # Sentences being synthesised now, and whether close() has been called.
        self._busy = 0
        self._closed = False
        self._idle = threading.Condition(self._guard)

    def key_for(self, text: str) -> str:
        """Return the hex digest naming `text` spoken with this engine and settings."""
        known = self._keys.get(text)
        if known is not None:
            return known
        # JSON keeps the fields apart, so ("ab", "c") and ("a", "bc") never collide.
        fields = [KEY_VERSION, self.engine.name, self.engine.voice, self.rate_wpm]
        payload = json.dumps([*fields, self.format.name, normalize_cue(text)], ensure_ascii=False)
        key = self._keys[text] = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        return key

    def sentence_path(self, sentence: str) -> Path:
        """Where one spoken sentence is kept as WAV (format-free: every cue format joins it)."""
        fields = [KEY_VERSION, self.engine.name, self.engine.voice, self.rate_wpm, "sentence"]
        payload = json.dumps([*fields, sentence], ensure_ascii=False)
        return self.root / "sentences" / f"{hashlib.sha256(payload.encode()).hexdigest()}.wav"

    def path_for(self, text: str) -> Path:
        """Return where the recording of `text` lives, whether or not it exists yet."""
        return self.root / f"{self.key_for(text)}{self.format.suffix}"

    def seconds_for(self, text: str) -> float | None:
        """Return the measured duration of a cue already made, else None."""
        return self.seconds_of_key(self.key_for(text))

    def seconds_of_key(self, key: str) -> float | None:
        """Return the measured duration stored for a key, else None."""
        try:
            meta = json.loads((self.root / f"{key}.json").read_text(encoding="utf-8"))
            return float(meta["seconds"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def engine_available(self) -> bool:
        """Return whether the engine can synthesise, asking it only once."""
        if self._available is None:
            self._available = self.engine.available()
        return self._available

    def _lock(self, key: str) -> threading.Lock:
        """One lock per cue, so two threads asking for it synthesise it once."""
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def ensure(self, text: str) -> Path | None:
        """Return the recording of `text`, synthesising it if missing; None without an engine."""
        path = self.path_for(text)
        if path.is_file():
            return path
        if not self.engine_available():
            return None
        with self._lock(path.stem):
            if not path.is_file():
                self._make(text, path)
        return path

    def _make(self, text: str, path: Path) -> None:
        """Join, measure and encode one cue from its sentences; readers never see half a file."""
        parts = [self.sentence(s) for s in sentences(text)]
        began = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix=".cue-", dir=self.root) as tmp:
            wav, out = Path(tmp) / "speech.wav", Path(tmp) / f"cue{self.format.suffix}"
            join_wavs(parts, wav)
            seconds = wav_seconds(wav)
            encode(wav, out, self.format)
            meta = Path(tmp) / "meta.json"
            spent = time.perf_counter() - began
            meta.write_text(json.dumps({"seconds": round(seconds, 3), "join_s": round(spent, 3)}))
            # The duration lands first: whoever sees the audio can also read how long it is.
            os.replace(meta, path.with_suffix(".json"))
            os.replace(out, path)
        with self._guard:
            self.synth_seconds += spent
            self.made += 1

    def sentence(self, sentence: str) -> Path:
        """The WAV of one spoken sentence, synthesised once whichever thread asks first."""
        path = self.sentence_path(sentence)
        with self._lock(path.stem):
            if path.is_file():
                return path
            path.parent.mkdir(parents=True, exist_ok=True)
            began, cpu = time.perf_counter(), time.thread_time()
            with (
                self._synthesising(),
                tempfile.TemporaryDirectory(prefix=".sentence-", dir=path.parent) as tmp,
            ):
                wav = Path(tmp) / "speech.wav"
                self.engine.synthesize(sentence, wav, rate_wpm=self.rate_wpm)
                os.replace(wav, path)
            spent = time.perf_counter() - began
            with self._guard:
                self.synth_seconds += spent
                self.sentence_seconds += spent
                # An in-process engine (Piper) runs on this thread: its CPU time, whatever the load.
                self.sentence_cpu_seconds += time.thread_time() - cpu
                self.spoken_seconds += wav_seconds(path)
        return path

    @contextlib.contextmanager
    def _synthesising(self) -> Iterator[None]:
        """Count a synthesis under way; none starts once the cache is closed."""
        with self._guard:
            if self._closed:
                raise CacheClosed("the voice cache is closed")
            self._busy += 1
        try:
            yield
        finally:
            with self._guard:
                self._busy -= 1
                self._idle.notify_all()

    def close(self, timeout: float = 10.0) -> None:
        """Make no more cues, and wait (up to `timeout`) for those under way to finish.

        An in-process engine (Piper's onnxruntime) still running when the interpreter exits
        aborts the process, so whoever ends a session or a server closes its cache first.
        """
        with self._guard:
            self._closed = True
            self._idle.wait_for(lambda: self._busy == 0, timeout)

    def prefetch(
        self, texts: Iterable[str], workers: int = 2, on_ready: Progress | None = None
    ) -> dict[str, Path]:
        """Synthesise texts in the order given (the order they play); map each to its file.

        Every missing sentence goes to one queue in play order, one worker per core, so the
        first cue's sentences are spoken side by side before anything later starts.
        """
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        unique = list(dict.fromkeys(texts))
        if not unique or not self.engine_available():
            return {}
        missing = {t for t in unique if not self.path_for(t).is_file()}
        # Longest first within a cue: its sentences then finish together on two cores.
        todo = dict.fromkeys(
            s for t in unique if t in missing for s in sorted(sentences(t), key=len, reverse=True)
        )
        paths: dict[str, Path] = {}
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cue-tts") as pool:
            futures = {s: pool.submit(self.sentence, s) for s in todo}
            try:
                for done, text in enumerate(unique, start=1):
                    paths[text] = self._when_spoken(text, futures)
                    if on_ready is not None:
                        on_ready(done, len(unique))
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        return paths

    def _when_spoken(self, text: str, futures: dict[str, Future[Path]]) -> Path:
        """The cue's file, made once the workers have spoken its sentences."""
        for part in sentences(text):
            if part in futures:
                futures[part].result()
        path = self.ensure(text)
        assert path is not None  # the engine is available: ensure made it or raised
        return path


def join_wavs(parts: list[Path], out: Path) -> None:
    """Write the WAV files one after the other into `out` (they share one format)."""
    with open(out, "wb") as handle, wave.open(handle, "wb") as joined:
        for index, part in enumerate(parts):
            with wave.open(str(part), "rb") as wav:
                if index == 0:
                    joined.setparams(wav.getparams())
                elif wav.getframerate() != joined.getframerate():
                    raise ValueError(f"{part.name} has another sample rate than {parts[0].name}")
                if index:
                    gap = round(SENTENCE_GAP_S * joined.getframerate())
                    joined.writeframes(bytes(gap * joined.getsampwidth() * joined.getnchannels()))
                joined.writeframes(wav.readframes(wav.getnframes()))
