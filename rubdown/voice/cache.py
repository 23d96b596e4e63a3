"""A content-addressed folder of spoken cue WAVs, synthesised once and reused."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rubdown.voice.engines import DEFAULT_RATE_WPM, SpeechEngine

CACHE_DIR_ENV = "RUBDOWN_CACHE_DIR"
# Bump when the key recipe or the audio format changes, so old files are never reused.
KEY_VERSION = 1


def default_cache_root() -> Path:
    """Return the cue folder: $RUBDOWN_CACHE_DIR/cues or the user cache dir's rubdown/cues."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser() / "cues"
    import platformdirs  # lazy: only needed when no folder is given

    return platformdirs.user_cache_path("rubdown") / "cues"


def normalize_cue(text: str) -> str:
    """Collapse whitespace so layout differences share one recording."""
    return " ".join(text.split())


class CueAudioCache:
    """Spoken cues stored as `<sha256>.wav` under one folder."""

    def __init__(
        self,
        root: Path | None,
        engine: SpeechEngine,
        *,
        rate_wpm: int = DEFAULT_RATE_WPM,
    ) -> None:
        self.root = Path(root) if root is not None else default_cache_root()
        self.engine = engine
        self.rate_wpm = rate_wpm
        self._available: bool | None = None

    def key_for(self, text: str) -> str:
        """Return the hex digest naming `text` spoken with this engine and settings."""
        # JSON keeps the fields apart, so ("ab", "c") and ("a", "bc") never collide.
        fields = [KEY_VERSION, self.engine.name, self.engine.voice, self.rate_wpm]
        payload = json.dumps([*fields, normalize_cue(text)], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def path_for(self, text: str) -> Path:
        """Return where the recording of `text` lives, whether or not it exists yet."""
        return self.root / f"{self.key_for(text)}.wav"

    def engine_available(self) -> bool:
        """Return whether the engine can synthesise, asking it only once."""
        if self._available is None:
            self._available = self.engine.available()
        return self._available

    def ensure(self, text: str) -> Path | None:
        """Return the recording of `text`, synthesising it if missing; None without an engine."""
        path = self.path_for(text)
        if path.is_file():
            return path
        if not self.engine_available():
            return None
        self.root.mkdir(parents=True, exist_ok=True)
        # A temp file in the same folder makes os.replace atomic: readers never see half a WAV.
        fd, tmp_name = tempfile.mkstemp(prefix=".cue-", suffix=".wav.tmp", dir=self.root)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            self.engine.synthesize(normalize_cue(text), tmp, rate_wpm=self.rate_wpm)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return path

    def prefetch(self, texts: Iterable[str], workers: int = 2) -> dict[str, Path]:
        """Synthesise every text ahead of time; map each text to its recording."""
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        unique = list(dict.fromkeys(texts))
        if not unique or not self.engine_available():
            return {}
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cue-tts") as pool:
            paths = list(pool.map(self.ensure, unique))
        return {text: path for text, path in zip(unique, paths, strict=True) if path is not None}
