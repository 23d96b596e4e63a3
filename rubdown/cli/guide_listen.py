"""`rubdown guide --listen`: spoken commands reach the guide as if they were keys."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from rubdown.cli.guide_runner import VOICE, Keys, NoKeys

if TYPE_CHECKING:
    from rubdown.voice.capture import Microphone, PlaybackLog
    from rubdown.voice.commands import Heard
    from rubdown.voice.played import PlayedAudio

POLL_S = 0.05  # how often the keyboard wait looks at the spoken commands


class VoiceKeys:
    """Keys from the keyboard (if any) and spoken commands, whichever comes first."""

    def __init__(
        self,
        inner: Keys | None,
        heard: queue.Queue[Heard],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner or NoKeys()
        self.heard, self.clock = heard, clock

    def wait(self, timeout: float | None) -> str | None:
        """The next key or "voice:<command>", or None once timeout has passed."""
        deadline = None if timeout is None else self.clock() + timeout
        while True:
            try:
                return VOICE + self.heard.get_nowait().command
            except queue.Empty:
                pass
            left = POLL_S if deadline is None else min(POLL_S, deadline - self.clock())
            if left <= 0:
                return None
            key = self.inner.wait(left)
            if key is not None:
                return key


class MixerPlayback:
    """What the mixed sound stream is saying, asked the way the recogniser asks its log."""

    STEP_S = 0.1

    def __init__(self, speaking: Callable[[float], object | None]) -> None:
        self.speaking = speaking

    def overlapping(self, start: float, end: float) -> object | None:
        """A voice clip sounding at some moment between start and end (monotonic)."""
        t = start
        while t <= end:
            found = self.speaking(t)
            if found is not None:
                return found
            t += self.STEP_S
        return self.speaking(end)


def playback_of(sound: object) -> PlaybackLog | MixerPlayback:
    """How the recogniser learns what this sound is playing (a log it fills, or the mixer)."""
    from rubdown.voice.capture import PlaybackLog

    mixer = getattr(sound, "mixer", None)
    if mixer is not None:
        return MixerPlayback(lambda at: mixer.speaking(at))
    log = PlaybackLog()
    if hasattr(sound, "playback"):
        sound.playback = log
    return log


def reference_of(sound: object) -> PlayedAudio | None:
    """A record the sound fills with every sample it plays (None when it plays nothing)."""
    from rubdown.voice.played import PlayedAudio

    mixer = getattr(sound, "mixer", None)
    player = mixer if mixer is not None else sound
    if not hasattr(player, "tap"):
        return None
    audio = PlayedAudio()
    player.tap = audio
    return audio


def open_microphone(
    wake: bool,
    playback: PlaybackLog | MixerPlayback | None,
    reference: PlayedAudio | None = None,
) -> tuple[Microphone, queue.Queue[Heard]]:
    """Start listening; ListenError (or MissingExtra) says why it cannot."""
    from rubdown.voice.capture import Microphone

    heard: queue.Queue[Heard] = queue.Queue()
    mic = Microphone(heard.put, wake=wake, playback=playback, reference=reference)
    mic.start()
    return mic, heard
