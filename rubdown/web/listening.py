"""The player's "Listen" switch on the server: the page's microphone audio in, commands out.

The page streams 16 kHz 16-bit mono PCM in short chunks; each session has one recogniser
(rubdown.voice.listen) fed in order, and every command it hears is applied through the same
live-session path as the remote's presses, journaled by "voice". Audio is decoded in memory
and dropped: nothing is written anywhere.
"""

from __future__ import annotations

import threading
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rubdown.store.errors import Conflict
from rubdown.web.ratelimit import TokenBucket, retry_after

if TYPE_CHECKING:
    from rubdown.voice.commands import Heard
    from rubdown.voice.listen import Listener, Playback
    from rubdown.web.live import LiveSessions

SAMPLE_RATE = 16000
# One chunk is at most a second of audio; the page sends a tenth of a second at a time.
MAX_CHUNK_BYTES = 2 * SAMPLE_RATE
# Audio may run this far ahead of the wall clock (network bunching), never faster than speech.
AHEAD_SLACK_S = 3.0
# How many sessions may listen at once on one server.
MAX_LISTENING = 4
# A new stream costs a recogniser (~150 ms of CPU): a page may start this many at once, then
# one every NEW_STREAM_EVERY_S seconds (turning Listen off and on, the wake-word box).
NEW_STREAM_BURST = 4
NEW_STREAM_EVERY_S = 5.0
# Spoken command -> the live-session change it makes ("good" answers a check-in instead).
CHANGE_OF = {
    "lighter": "lighter",
    "firmer": "firmer",
    "more": "more",
    "skip": "skip",
    "back": "back",
    "pause": "pause",
    "resume": "resume",
    "stop": "stop",
}


class ListenRefused(Exception):
    """A chunk the server will not take: status, a message saying why, and when to try again."""

    def __init__(self, status: int, message: str, retry_after: str | None = None) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


@dataclass
class Stream:
    """One page's listening stream: its recogniser, when it began, what rubdown said over it."""

    stream_id: str
    listener: Listener
    began: float
    heard: list[Heard] = field(default_factory=list)
    spoken: list[Playback] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def playing(self, start_s: float, end_s: float) -> Playback | None:
        """What rubdown played over this stretch of the stream, if anything."""
        found = [p for p in self.spoken if p.start_s < end_s and start_s < p.end_s]
        return found[-1] if found else None


def new_listener(on_heard: Callable[[Heard], None], playing: Any, wake: bool) -> Listener:
    """A recogniser for one stream (MissingExtra without the listen extra)."""
    from rubdown.voice.listen import Listener

    return Listener(on_heard, wake=wake, playing=playing)


class WebListening:
    """The streams of every session listening now, and applying what they hear."""

    def __init__(self, live: LiveSessions, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.live, self.monotonic = live, monotonic
        self._streams: dict[int, Stream] = {}
        self._lock = threading.Lock()
        # The clock is read through self so that a test's clock set later is the one used.
        self.new_streams = TokenBucket(
            NEW_STREAM_BURST, NEW_STREAM_EVERY_S, lambda: self.monotonic()
        )

    def stream(self, session_id: int, stream_id: str, wake: bool = False) -> Stream:
        """The session's stream with this id, started afresh if the page began a new one
        (or changed its wake-word setting)."""
        with self._lock:
            found = self._streams.get(session_id)
            if found is not None and (found.stream_id, found.listener.wake) == (stream_id, wake):
                return found
            if found is None and len(self._streams) >= MAX_LISTENING:
                raise ListenRefused(429, "Too many sessions are listening on this server.")
        live = self.live.playable(session_id)
        if live.session.status not in ("running", "interrupted"):
            raise ListenRefused(409, f"Session {session_id} has ended: there is nothing to steer.")
        # Only after the checks: a missing or ended session must not make a bucket.
        self._may_start(session_id)
        box: list[Stream] = []
        listener = new_listener(
            lambda h: box[0].heard.append(h), lambda a, b: box[0].playing(a, b), wake
        )
        box.append(Stream(stream_id, listener, self.monotonic()))
        with self._lock:
            self._streams[session_id] = box[0]
        return box[0]

    def _may_start(self, session_id: int) -> None:
        """ListenRefused (429, Retry-After) when the session starts streams too often."""
        wait = self.new_streams.take(session_id)
        if wait > 0:
            again = retry_after(wait)
            raise ListenRefused(
                429,
                f"Listening was restarted too often for session {session_id}: "
                f"try again in {again} s.",
                again,
            )

    def stop(self, session_id: int, stream_id: str | None = None) -> None:
        """The page turned listening off: forget its stream (only that one, when named)."""
        with self._lock:
            found = self._streams.get(session_id)
            if found is not None and stream_id in (None, found.stream_id):
                del self._streams[session_id]

    def finished(self, session_id: int) -> None:
        """The session ended: forget its stream and its rate-limit bucket."""
        self.stop(session_id)
        self.new_streams.forget(session_id)

    def feed(
        self, session_id: int, stream_id: str, pcm: bytes, speaking: str | None, wake: bool = False
    ) -> list[dict[str, Any]]:
        """Decode one chunk; apply and describe each command it completed."""
        check_chunk(pcm)
        stream = self.stream(session_id, stream_id, wake)
        with stream.lock:
            start = stream.listener.position_s
            if start + len(pcm) / 2 / SAMPLE_RATE > self.monotonic() - stream.began + AHEAD_SLACK_S:
                raise ListenRefused(429, "Audio is arriving faster than anyone can speak.")
            if speaking:
                from rubdown.voice.listen import Playback

                end = start + len(pcm) / 2 / SAMPLE_RATE
                stream.spoken.append(Playback(start, end, speaking))
                del stream.spoken[:-50]
            stream.listener.feed(array("h", pcm))
            heard, stream.heard = stream.heard, []
        return [self.apply(session_id, stream_id, h) for h in heard]

    def apply(self, session_id: int, stream_id: str, heard: Heard) -> dict[str, Any]:
        """One command through the live session as the remote's press would go, by voice."""
        from rubdown.session.errors import NotACheckIn

        client_id = f"voice-{stream_id}-{heard.at_s:.2f}"
        base = {"command": heard.command, "phrase": heard.phrase, "at_s": round(heard.at_s, 2)}
        try:
            checked = self._check(session_id, heard, client_id)
            if checked is not None:
                live, outcome = checked
            elif heard.command == "good":
                live, outcome = self.live.answer(
                    session_id, "good", "voice", None, client_id=client_id
                )
            else:
                change = CHANGE_OF[heard.command]
                live, outcome = self.live.control(
                    session_id, change, "voice", None, client_id=client_id
                )
        except NotACheckIn:
            return {**base, "echo": f"{heard.phrase}: that answers a check-in; none is on now"}
        except Conflict as err:
            return {**base, "echo": f"{heard.phrase}: {err}"}
        note = outcome.note or "done"
        return {
            **base,
            "echo": f"{heard.phrase}: {note}",
            "message": self.live.message(live, outcome),
        }

    def _check(self, session_id: int, heard: Heard, client_id: str) -> Any:
        """At the pressure check, lighter, firmer and "that's good" answer it (less, more,
        right); None when the session is elsewhere or the check is over."""
        from rubdown.core.calibrate import SPOKEN_ANSWERS, NotAtThePressureCheck

        answer = SPOKEN_ANSWERS.get(heard.command)
        if answer is None or self.live.get(session_id).state()["kind"] != "calibrate":
            return None
        try:
            return self.live.answer(
                session_id, answer, "voice", None, client_id=client_id, to="check"
            )
        except NotAtThePressureCheck:
            return None


def check_chunk(pcm: bytes) -> None:
    """A chunk is whole 16-bit samples, at most a second of them."""
    if len(pcm) > MAX_CHUNK_BYTES:
        raise ListenRefused(413, f"A chunk is at most {MAX_CHUNK_BYTES} bytes (1 s of audio).")
    if len(pcm) % 2:
        raise ListenRefused(400, "A chunk is 16-bit samples: an even number of bytes.")
