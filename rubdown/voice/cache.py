"""A content-addressed folder of spoken cues, synthesised once, in play order, and reused.

Each cue is `<sha256>.<format>` with a `<sha256>.json` beside it holding its real duration.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rubdown.voice.encode import AudioFormat, audio_format, encode, wav_seconds
from rubdown.voice.engines import DEFAULT_RATE_WPM, SpeechEngine
from rubdown.voice.spoken import speakable

CACHE_DIR_ENV = "RUBDOWN_CACHE_DIR"
# Bump when the key recipe or the audio format changes, so old files are never reused.
KEY_VERSION = 2

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
        self.made = 0

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
        """Synthesise, measure and encode one cue; readers never see half a file."""
        self.root.mkdir(parents=True, exist_ok=True)
        began = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix=".cue-", dir=self.root) as tmp:
            wav, out = Path(tmp) / "speech.wav", Path(tmp) / f"cue{self.format.suffix}"
            self.engine.synthesize(normalize_cue(text), wav, rate_wpm=self.rate_wpm)
            seconds = wav_seconds(wav)
            encode(wav, out, self.format)
            meta = Path(tmp) / "meta.json"
            spent = time.perf_counter() - began
            meta.write_text(json.dumps({"seconds": round(seconds, 3), "synth_s": round(spent, 3)}))
            # The duration lands first: whoever sees the audio can also read how long it is.
            os.replace(meta, path.with_suffix(".json"))
            os.replace(out, path)
        with self._guard:
            self.synth_seconds += spent
            self.made += 1

    def prefetch(
        self, texts: Iterable[str], workers: int = 2, on_ready: Progress | None = None
    ) -> dict[str, Path]:
        """Synthesise texts in the order given (the order they play); map each to its file."""
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        unique = list(dict.fromkeys(texts))
        if not unique or not self.engine_available():
            return {}
        done = 0
        paths: dict[str, Path] = {}
        if all(self.path_for(t).is_file() for t in unique):  # all made: no threads needed
            paths = {t: self.path_for(t) for t in unique}
            if on_ready is not None:
                on_ready(len(unique), len(unique))
            return paths
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cue-tts") as pool:
            # map() submits in order, so the first cues are made first, on every core.
            for text, path in zip(unique, pool.map(self.ensure, unique), strict=True):
                done += 1
                if path is not None:
                    paths[text] = path
                if on_ready is not None:
                    on_ready(done, len(unique))
        return paths
