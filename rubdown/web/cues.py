"""Cue audio for the browser: every sentence a plan speaks, in each voice the server has.

A cue's key names its sentence only; the URL adds the voice, so the player can switch voices
without a new plan. Cues are compressed (MP3 at a speech bit rate) and made in play order.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rubdown.voice.cache import KEY_VERSION, CueAudioCache, normalize_cue
from rubdown.voice.engines import SynthesisError

if TYPE_CHECKING:
    from rubdown.core.models import Plan
    from rubdown.voice.prepare import Preparation

KEY_PATTERN = re.compile(r"^[0-9a-f]{64}$")
VOICE_PATTERN = re.compile(r"^[a-z0-9-]{1,40}$")
# The two ways a plan can be talked through: every sentence, or "less talking".
TALKS = ("full", "less")
LABELS = {"piper": "Natural (Piper {voice})", "espeak": "Robotic (espeak-ng {voice})"}


def voice_id(cache: CueAudioCache) -> str:
    """A URL-safe name for a cache's voice: piper-joe, espeak-en-us."""
    raw = f"{cache.engine.name}-{cache.engine.voice}".lower()
    return re.sub(r"[^a-z0-9-]+", "-", raw).strip("-")


def text_key(text: str) -> str:
    """The key of a sentence, the same in every voice."""
    payload = json.dumps([KEY_VERSION, normalize_cue(text)], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class CueLibrary:
    """Knows which text each key stands for, and makes its audio on first request."""

    def __init__(self, cache: CueAudioCache, others: tuple[CueAudioCache, ...] = ()) -> None:
        self.cache = cache
        self.voices = {voice_id(c): c for c in (cache, *others) if c.engine_available()}
        self._texts: dict[str, str] = {}
        self._lock = threading.Lock()
        # One job at a time; inside it, synthesis uses every core (see voice.prepare).
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="web-cues")
        self.job: Preparation | None = None
        self.note: str | None = None  # set when the voice asked for had to fall back
        # Load the neural voice while the first plan is being made, not when it is needed.
        warm = getattr(cache.engine, "model", None)
        if warm is not None and self.available:
            self._pool.submit(warm)

    def describe(self) -> str:
        """One line saying who speaks: the voice, or why there is none."""
        if not self.available:
            return self.note or "No speech engine: the player uses the phone's own voice."
        engine = self.cache.engine
        line = f"Voice: {engine.name} {engine.voice}, cues as {self.cache.format.name}."
        return f"{self.note} {line}" if self.note else line

    @property
    def available(self) -> bool:
        """Whether the server can speak at all."""
        return self.cache.engine_available()

    def key(self, text: str) -> str:
        """The key for a sentence, remembered so its audio can be made on request."""
        key = text_key(text)
        with self._lock:
            self._texts[key] = text
        return key

    def info(self) -> dict[str, Any]:
        """The voices the player may choose from, the default first, and the cue URL pattern."""
        default = voice_id(self.cache)
        return {
            "default": default if self.available else None,
            "voices": [
                {
                    "id": vid,
                    "label": LABELS.get(c.engine.name, "{voice}").format(voice=c.engine.voice),
                    "format": c.format.name,
                }
                for vid, c in self.voices.items()
            ],
            "cue_url": "/api/cues/{voice}/{key}" + self.cache.format.suffix,
        }

    def cue_list(self, plan: Plan) -> list[dict[str, Any]]:
        """Every spoken cue of a plan in both talks, placed as the guide's voice places them.

        Each cue says which talk speaks it ("full", "less" or both): "less talking" places its
        shorter cues on their own, so its cues may fall at other times than the full talk's.
        """
        from rubdown.voice.prepare import place

        merged: dict[tuple[float, str, int, str], dict[str, Any]] = {}
        for talk in TALKS:
            for c in place(plan, self.cache, less=talk == "less"):
                at_s = round(c.at_s, 3)
                cue = merged.setdefault(
                    (at_s, c.text, c.segment, c.kind),
                    {
                        "at_s": at_s,
                        "slot_s": round(c.slot_s, 3),
                        "seconds": round(c.seconds, 3),
                        "segment": c.segment,
                        "kind": c.kind,
                        "text": c.text,
                        "key": self.key(c.text),
                        "talks": [],
                    },
                )
                cue["talks"].append(talk)
        return sorted(merged.values(), key=lambda cue: cue["at_s"])  # stable: full talk first

    def prefetch(self, texts: list[str]) -> None:
        """Synthesise in play order in the background, so the player's fetches find them made."""
        from rubdown.voice.prepare import Preparation, synthesise

        if not self.available or not texts:
            return
        job = Preparation(list(dict.fromkeys(texts)))
        self.job = job
        self._pool.submit(synthesise, self.cache, job.texts, background=False, prep=job)

    def prefetch_plan(self, plan: Plan) -> None:
        """Prefetch a plan's sentences: the full ones in play order, then the brief ones."""
        from rubdown.voice.prepare import plan_texts

        self.prefetch([*plan_texts(plan), *plan_texts(plan, less=True)])

    def progress(self) -> dict[str, Any]:
        """How far the latest preparation has got."""
        if self.job is None:
            return {"ready": 0, "total": 0, "done": True}
        return self.job.as_json()

    def path(self, voice: str, key: str) -> Path | None:
        """The audio for a voice and key: from disk, else made now; None if unknown or mute."""
        cache = self.voices.get(voice) if VOICE_PATTERN.match(voice) else None
        if cache is None or not KEY_PATTERN.match(key):
            return None
        with self._lock:
            text = self._texts.get(key)
        if text is None:
            return None
        try:
            return cache.ensure(text)
        except (SynthesisError, OSError, ValueError, RuntimeError):
            return None

    def media_type(self, voice: str) -> str:
        """The content type of a voice's cue files."""
        cache = self.voices.get(voice, self.cache)
        return cache.format.media_type

    def close(self) -> None:
        """Stop the background worker and every voice's synthesis."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        for cache in {id(c): c for c in (self.cache, *self.voices.values())}.values():
            cache.close()
