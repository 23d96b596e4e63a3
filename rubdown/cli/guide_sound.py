"""The guide's voice, ticks and background: made in play order, mixed, played without blocking."""

from __future__ import annotations

import abc
import contextlib
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rubdown.cli.guide_runner import SilentSound, Sound
from rubdown.core.adjust import NEXT_STEP

if TYPE_CHECKING:
    from rubdown.core.models import Plan
    from rubdown.core.timeline import Cue
    from rubdown.voice import CueAudioCache, Player
    from rubdown.voice.capture import PlaybackLog
    from rubdown.voice.mix import MixSettings, Playing, StreamMixer
    from rubdown.voice.played import PlayedAudio

# Said in answer to keys; synthesised up front so the answer is instant.
CONTROL_PHRASES = ("Paused.", "Quit? Press q again to quit.", NEXT_STEP)


def wav_seconds(path: Path) -> float:
    """How long a WAV clip lasts (0 when it cannot be read)."""
    import wave

    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes() / max(1, wav.getframerate())
    except (OSError, wave.Error, EOFError):
        return 0.0


class TextOnly(SilentSound):
    """No sound at all, but the same cues (less talking included) on the screen."""

    def __init__(self, less: bool = False) -> None:
        self.less = less

    def cue_source(self, plan: Plan) -> list[Cue]:
        """The cues the guide shows, at their timeline times."""
        from rubdown.core.cuefit import plan_cues

        return plan_cues(plan, less=self.less)


class VoiceSound(TextOnly, abc.ABC):
    """Plays cached cue recordings and ticks; never synthesises on the session's clock."""

    def __init__(self, cache: CueAudioCache | None, less: bool = False) -> None:
        super().__init__(less)
        self.cache = cache

    def stop_making(self) -> None:
        """No more synthesis in the background once the session is over."""
        if self.cache is not None:
            self.cache.close()

    def cue_source(self, plan: Plan) -> list[Cue]:
        """The cues placed with their measured (or estimated) durations: none talks over another."""
        from rubdown.core.cuefit import plan_cues
        from rubdown.voice.prepare import durations

        if self.cache is None:
            return super().cue_source(plan)
        return plan_cues(plan, less=self.less, seconds=durations(self.cache))

    def speak(self, text: str) -> None:
        """Play the cue if its recording is ready; a missing one is skipped, never awaited."""
        if self.cache is not None:
            path = self.cache.path_for(text)
            if path.is_file():
                self._play(path, text)

    @abc.abstractmethod
    def _play(self, path: Path, label: str) -> None:
        """Start a recording; never raises."""

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
        except (SynthesisError, OSError, ValueError, RuntimeError):
            return
        if path is not None:
            self._play(path, text)

    def learn(self, plan: Plan) -> None:
        """Synthesise an adjusted plan's new sentences in the background, in play order."""
        if self.cache is not None:
            from rubdown.voice.prepare import plan_texts

            texts = plan_texts(plan, self.less)
            threading.Thread(target=self._prefetch, args=(texts,), daemon=True).start()

    def _prefetch(self, texts: Iterable[str]) -> None:
        """Synthesise texts; failures stay silent (speak() skips what is missing)."""
        assert self.cache is not None
        with contextlib.suppress(OSError, RuntimeError, ValueError):
            self.cache.prefetch(texts)


class PlayerSound(VoiceSound):
    """Each clip started as its own player process (paplay or sox's play): no mix, no ducking."""

    def __init__(
        self, player: Player, cache: CueAudioCache | None, ticks: dict[str, Path], less: bool
    ):
        super().__init__(cache, less)
        self.player, self.ticks = player, ticks
        # Set by `guide --listen`: what is played is logged so that it is never obeyed.
        self.playback: PlaybackLog | None = None
        # Also set by `guide --listen`: each clip's samples, the echo canceller's reference.
        self.tap: PlayedAudio | None = None
        # Background synthesis threads play too; the player's process list is not thread-safe.
        self._lock = threading.Lock()

    def _play(self, path: Path, label: str) -> None:
        """Start a clip; a player that vanished mid-session must not stop the session."""
        with self._lock, contextlib.suppress(OSError):
            self.player.play(path)
            if self.playback is not None:
                self.playback.played(wav_seconds(path), label)
            if self.tap is not None:
                self._tap(path)

    def _tap(self, path: Path) -> None:
        """Add the clip just started to the echo reference (one that cannot be read is not)."""
        import time

        from rubdown.voice.mix import read_wav

        assert self.tap is not None
        with contextlib.suppress(OSError, EOFError, ValueError):
            self.tap.add(time.monotonic(), read_wav(path, self.tap.rate) * 32768.0, self.tap.rate)

    def tick(self, kind: str) -> None:
        """Play the down or up tick."""
        path = self.ticks.get(kind)
        if path is not None:
            self._play(path, kind)

    def close(self) -> None:
        """Stop whatever is still playing, and the cues still being made."""
        with self._lock:
            self.player.stop()
        self.stop_making()


class MixedSound(VoiceSound):
    """Voice, ticks and background mixed into one stream: volume, balance and ducking apply."""

    def __init__(self, mixer: StreamMixer, cache: CueAudioCache | None, ticks: bool, less: bool):
        from rubdown.voice.mix import read_wav
        from rubdown.voice.ticks import TICK_KINDS, tick_samples

        super().__init__(cache, less)
        self.mixer = mixer
        self.ticks: dict[str, Any] = (
            {k: _floats(tick_samples(k)) for k in TICK_KINDS} if ticks else {}
        )
        self._read = read_wav
        self._clips: dict[Path, Any] = {}

    def _play(self, path: Path, label: str) -> None:
        """Mix a recording in now; a file that cannot be read is skipped."""
        samples = self._clips.get(path)
        if samples is None:
            try:
                samples = self._clips[path] = self._read(path, self.mixer.rate)
            except (OSError, EOFError, ValueError):
                return
        self.mixer.play(samples, "voice", label)

    def tick(self, kind: str) -> None:
        """Mix the down or up tick in now."""
        samples = self.ticks.get(kind)
        if samples is not None:
            self.mixer.play(samples, "tick", kind)

    def speaking(self) -> Playing | None:
        """The cue sounding right now, if any (for voice commands, which must not hear it)."""
        return self.mixer.speaking()

    def close(self) -> None:
        """Stop the stream, and the cues still being made."""
        self.mixer.close()
        self.stop_making()


def _floats(samples: Any) -> Any:
    """16-bit samples as floats in -1..1."""
    import numpy as np

    return np.asarray(samples, dtype=float) / 32768.0


def _voice_cache(
    settings: dict[str, Any], plan: Plan, say: Callable[[str], None]
) -> CueAudioCache | None:
    """A cache with the plan's first cues made (the rest coming in play order), or None."""
    from rubdown.voice.prepare import (
        ProgressNote,
        VoiceSettings,
        open_cache,
        plan_texts,
        synthesise,
    )

    wanted = VoiceSettings(settings["voice"], settings.get("rate_wpm", 150), "wav")
    cache, note = open_cache(wanted)
    if note:
        say(note)
    if not cache.engine_available():
        return None
    texts = [*plan_texts(plan, settings.get("less", False)), *CONTROL_PHRASES]
    missing = sum(not cache.path_for(text).is_file() for text in texts)
    if missing:
        say(f"Preparing the voice with {cache.engine.name} ({missing} new cues)…")
    # While the rest is made in the background, the terminal hears how far it has got.
    progress = ProgressNote(say)
    try:
        prep = synthesise(cache, texts, on_ready=progress if missing else None)
    except (OSError, RuntimeError, ValueError) as exc:
        say(f"Speech failed ({exc}): going on silent, with text only.")
        return None
    if not prep.done.is_set():
        progress.now(prep.ready, len(prep.texts))
    return cache


def _mixer(player: Player, mix: MixSettings) -> StreamMixer | None:
    """A live mixer on the player's ALSA device, when the player is aplay."""
    from rubdown.voice.mix import StreamMixer

    binary = getattr(player, "binary", None)
    if binary is None or Path(binary).name != "aplay":
        return None
    mixer = StreamMixer(mix, getattr(player, "device", None))
    return mixer if mixer.start() else None


def make_sound(settings: dict[str, Any], plan: Plan, say: Callable[[str], None]) -> Sound:
    """Voice, ticks and background for this plan, prepared now; says once what is missing."""
    from rubdown.voice.mix import MixSettings

    less = settings.get("less", False)
    mix = settings.get("mix") or MixSettings()
    if settings["voice"] == "none" and not settings["ticks"] and mix.background == "off":
        return TextOnly(less)
    from rubdown.voice import default_cache_root, find_player, write_ticks

    player = find_player()
    if not player.available():
        say("No audio device found: going on without sound.")
        return TextOnly(less)
    cache = _voice_cache(settings, plan, say) if settings["voice"] != "none" else None
    mixer = _mixer(player, mix)
    if mixer is not None:
        return MixedSound(mixer, cache, settings["ticks"], less)
    tick_paths: dict[str, Path] = {}
    if settings["ticks"]:
        try:
            tick_paths = write_ticks(default_cache_root().parent / "ticks")
        except OSError as exc:
            say(f"Cannot write the tick sounds ({exc.strerror}): going on without ticks.")
    return PlayerSound(player, cache, tick_paths, less)
