"""Cue audio for the browser: content-addressed keys for every sentence a plan speaks."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from rubdown.core.models import Plan
from rubdown.core.timeline import build_cues
from rubdown.voice.cache import CueAudioCache
from rubdown.voice.engines import SynthesisError

KEY_PATTERN = re.compile(r"^[0-9a-f]{64}$")


class CueLibrary:
    """Knows which text each cue key stands for, and makes its WAV on first request."""

    def __init__(self, cache: CueAudioCache) -> None:
        self.cache = cache
        self._texts: dict[str, str] = {}
        self._lock = threading.Lock()
        # One worker: synthesis ahead of time must never starve the request threads.
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="web-cues")

    @property
    def available(self) -> bool:
        """Whether the server can speak at all."""
        return self.cache.engine_available()

    def key(self, text: str) -> str:
        """The key for a sentence, remembered so its audio can be made on request."""
        key = self.cache.key_for(text)
        with self._lock:
            self._texts[key] = text
        return key

    def url(self, key: str) -> str:
        """Where the browser fetches a cue."""
        return f"/api/cues/{key}.wav"

    def cue_list(self, plan: Plan) -> list[dict[str, Any]]:
        """Every spoken cue of a plan with its time, segment, text and audio key."""
        return [
            {
                "at_s": round(c.at_s, 3),
                "segment": c.segment,
                "kind": c.kind,
                "text": c.text,
                "key": self.key(c.text),
            }
            for c in build_cues(plan)
        ]

    def prefetch(self, texts: list[str]) -> None:
        """Synthesise in the background so the player's first fetch is already cached."""
        if self.available and texts:
            self._pool.submit(self.cache.prefetch, texts, 1)

    def path(self, key: str) -> Path | None:
        """The WAV for a key: from disk, else synthesised now; None if unknown or mute."""
        if not KEY_PATTERN.match(key):
            return None
        found = self.cache.root / f"{key}.wav"
        if found.is_file():
            return found
        with self._lock:
            text = self._texts.get(key)
        if text is None:
            return None
        try:
            return self.cache.ensure(text)
        except (SynthesisError, OSError, ValueError):
            return None

    def close(self) -> None:
        """Stop the background worker."""
        self._pool.shutdown(wait=False, cancel_futures=True)
