"""The guide's voice and rhythm ticks: prepared before the session, played without blocking."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rubdown.cli.guide_runner import SilentSound, Sound

if TYPE_CHECKING:
    from rubdown.core.models import Plan
    from rubdown.voice import CueAudioCache, Player

# Said in answer to keys; synthesised up front so the answer is instant.
CONTROL_PHRASES = ("Paused.", "Quit? Press q again to quit.", "Next step.")


class VoiceSound:
    """Plays cached cue recordings and tick clips; never synthesises on the session's clock."""

    def __init__(self, player: Player, cache: CueAudioCache | None, ticks: dict[str, Path]):
        self.player, self.cache, self.ticks = player, cache, ticks
        # Background synthesis threads play too; the player's process list is not thread-safe.
        self._lock = threading.Lock()

    def _play(self, path: Path) -> None:
        """Start a clip; never raises."""
        # A player that vanished mid-session must not stop the session.
        with self._lock, contextlib.suppress(OSError):
            self.player.play(path)

    def speak(self, text: str) -> None:
        """Play the cue if its recording is ready; a missing one is skipped, never awaited."""
        if self.cache is not None:
            path = self.cache.path_for(text)
            if path.is_file():
                self._play(path)

    def tick(self, kind: str) -> None:
        """Play the down or up tick."""
        path = self.ticks.get(kind)
        if path is not None:
            self._play(path)

    def say_soon(self, text: str) -> None:
        """Say an answer to a key as soon as it is synthesised, off the session's thread."""
        if self.cache is not None:
            threading.Thread(target=self._say, args=(text,), daemon=True).start()

    def _say(self, text: str) -> None:
        """Synthesise (if needed) and play; failures stay silent."""
        from rubdown.voice import SynthesisError

        assert self.cache is not None
        try:
            path = self.cache.ensure(text)
        except (SynthesisError, OSError, ValueError):
            return
        if path is not None:
            self._play(path)

    def learn(self, plan: Plan) -> None:
        """Synthesise an adjusted plan's new sentences in the background."""
        if self.cache is not None:
            from rubdown.core.timeline import spoken_texts

            texts = spoken_texts(plan)
            threading.Thread(target=self._prefetch, args=(texts,), daemon=True).start()

    def _prefetch(self, texts: Iterable[str]) -> None:
        """Synthesise texts; failures stay silent."""
        from rubdown.voice import SynthesisError

        assert self.cache is not None
        with contextlib.suppress(SynthesisError, OSError):  # speak() skips what is missing
            self.cache.prefetch(texts)

    def close(self) -> None:
        """Stop whatever is still playing."""
        with self._lock:
            self.player.stop()


def _voice_cache(voice: str, plan: Plan, say: Callable[[str], None]) -> CueAudioCache | None:
    """A cache holding every sentence of the plan, or None (said once) without a voice."""
    from rubdown.core.timeline import spoken_texts
    from rubdown.voice import CueAudioCache, SynthesisError, find_engine

    engine = find_engine(voice)
    if not engine.available():
        say("No speech engine found (install espeak-ng): going on silent, with text only.")
        return None
    cache = CueAudioCache(None, engine)
    texts = [*spoken_texts(plan), *CONTROL_PHRASES]
    missing = sum(not cache.path_for(text).is_file() for text in texts)
    if missing:
        say(f"Preparing the voice ({missing} new sentences)…")
    try:
        cache.prefetch(texts, workers=4)
    except (SynthesisError, OSError) as exc:
        say(f"Speech failed ({exc}): going on silent, with text only.")
        return None
    return cache


def make_sound(voice: str, ticks: bool, plan: Plan, say: Callable[[str], None]) -> Sound:
    """Voice and ticks for this plan, prepared now; says once what is missing."""
    if voice == "none" and not ticks:
        return SilentSound()
    from rubdown.voice import default_cache_root, find_player, write_ticks

    player = find_player()
    if not player.available():
        say("No audio device found: going on without sound.")
        return SilentSound()
    cache = _voice_cache(voice, plan, say) if voice != "none" else None
    tick_paths: dict[str, Path] = {}
    if ticks:
        try:
            tick_paths = write_ticks(default_cache_root().parent / "ticks")
        except OSError as exc:
            say(f"Cannot write the tick sounds ({exc.strerror}): going on without ticks.")
    return VoiceSound(player, cache, tick_paths)
