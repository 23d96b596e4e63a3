"""Web-path latency of voice commands: a real `rubdown serve`, fed as the player's Listen feeds it.

Generated command recordings (espeak-ng voices, trimmed to the speech) are streamed to
POST /api/sessions/{id}/listen in tenth-of-a-second chunks at real time, each chunk sent once its
last sample has been "spoken", as listen.js does. A second connection follows the session's
live stream (the server-sent events the player draws from). For every command the bench
prints the time from the end of the speech to (a) the listen reply that echoes it and (b) the
live message carrying the change: the moment the player shows it. Target: <= 600 ms.

    .venv/bin/python bench/listen_web.py [--rounds 3] [--voices en-us,en-gb] [--chunk-ms 100]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import RUBDOWN, percentile, serve  # bench/ is not a package: found via sys.path

RATE = 16000
CHUNK_MS = 100  # listen.js's chunk
LEAD_S, TAIL_S = 1.5, 2.0  # quiet before and after each command
TARGET_MS = 600.0
MATCH_S = 0.6  # a heard command is the one said whose speech ended this close to its at_s
# Commands that change a paused step every time (stop and pause would end or hold it).
COMMANDS = ("lighter", "firmer", "more here", "skip", "go back")


@dataclass
class Said:
    """One command in the stream: what, where its speech ends, and when things were seen."""

    phrase: str
    end_at: float  # position of the speech's last sample in the stream, seconds
    end_wall: float = 0.0
    replied: float | None = None
    shown: float | None = None
    version: int | None = None
    action: str | None = None


@dataclass
class Live:
    """The session's live messages by voice, with the time each one arrived."""

    arrived: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def spoken(text: str, voice: str, folder: Path) -> bytes:
    """`text` said by espeak-ng in this voice, 16 kHz mono, silence trimmed at both ends."""
    raw, out = folder / "raw.wav", folder / "cmd.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(raw), text], check=True)
    trim = ["silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse"]
    sox = ["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(out), *trim]
    subprocess.run(sox, check=True)
    with wave.open(str(out), "rb") as wav:
        return wav.readframes(wav.getnframes())


def quiet(seconds: float, seed: int) -> bytes:
    """Room noise at about -55 dBFS (a real microphone is never all zeros)."""
    import random

    rng = random.Random(seed)
    samples = [round(rng.gauss(0, 60)) for _ in range(round(seconds * RATE))]
    return b"".join(s.to_bytes(2, "little", signed=True) for s in samples)


def build(voices: list[str], rounds: int, folder: Path) -> tuple[bytes, list[Said]]:
    """The whole stream: each command in each voice, with quiet around it."""
    pcm, said = bytearray(quiet(LEAD_S, 0)), []
    for r in range(rounds):
        for i, phrase in enumerate(COMMANDS):
            speech = spoken(phrase, voices[(r + i) % len(voices)], folder)
            pcm += speech
            said.append(Said(phrase, len(pcm) / 2 / RATE))
            pcm += quiet(TAIL_S, r * 100 + i)
    return bytes(pcm), said


def paused_in_a_step(url: str) -> int:
    """A new session, paused a second into a massage step in its middle (as the player is)."""
    created = httpx.post(f"{url}/api/sessions", json={"minutes": 20}).json()
    segments = created["plan"]["segments"]
    steps = [i for i, s in enumerate(segments) if s["kind"] == "step"]
    i = steps[len(steps) // 2]
    event = {"kind": "paused", "clock_s": segments[i]["start_s"] + 1, "segment_index": i}
    httpx.post(f"{url}/api/sessions/{created['id']}/events", json=event).raise_for_status()
    return int(created["id"])


def follow(url: str, sid: int, live: Live, stop: threading.Event) -> None:
    """Read the session's server-sent events; keep each message said by voice."""
    with (
        httpx.Client(timeout=None) as client,
        client.stream("GET", f"{url}/api/sessions/{sid}/stream") as reply,
    ):
        for line in reply.iter_lines():
            if stop.is_set():
                return
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("by") == "voice":
                    with live.lock:
                        live.arrived.append((time.monotonic(), message))


def stream(url: str, sid: int, pcm: bytes, said: list[Said], chunk_ms: int) -> None:
    """Send the audio chunk by chunk at real time; note when each command's reply came."""
    path = f"{url}/api/sessions/{sid}/listen"
    params = {"stream": "bench"}
    with httpx.Client(timeout=10) as client:
        client.post(path, params=params, content=b"").raise_for_status()
        t0 = time.monotonic()
        for s in said:
            s.end_wall = t0 + s.end_at
        size = RATE * chunk_ms // 1000 * 2
        for at in range(0, len(pcm), size):
            chunk = pcm[at : at + size]
            ready = t0 + (at + len(chunk)) / 2 / RATE  # its last sample has been spoken
            time.sleep(max(0.0, ready - time.monotonic()))
            reply = client.post(path, params=params, content=chunk)
            reply.raise_for_status()
            now = time.monotonic()
            for heard in reply.json()["heard"]:
                note(said, heard, now)


def note(said: list[Said], heard: dict[str, Any], now: float) -> None:
    """Credit the command whose speech ends where the recogniser says this one ended."""
    for s in said:
        if s.phrase == heard["phrase"] and abs(s.end_at - heard["at_s"]) < MATCH_S:
            s.replied = now
            message = heard.get("message") or {}
            s.version, s.action = message.get("version"), message.get("action")


def match_shown(said: list[Said], live: Live) -> None:
    """Each command's live message: the one with the version its reply carried."""
    with live.lock:
        arrived = list(live.arrived)
    for s in said:
        times = [
            t
            for t, m in arrived
            if t >= s.end_wall and (m.get("version"), m.get("action")) == (s.version, s.action)
        ]
        s.shown = min(times) if times else None


def figures(label: str, values: list[float]) -> str:
    """Median, 95th percentile and worst of a list of milliseconds."""
    if not values:
        return f"{label}: none measured"
    p50, p95 = percentile(values, 50), percentile(values, 95)
    verdict = "meets" if p95 <= TARGET_MS else "misses"
    return (
        f"{label}: median {p50:.0f} ms, p95 {p95:.0f} ms, worst {max(values):.0f} ms "
        f"over {len(values)} ({verdict} the {TARGET_MS:.0f} ms target at p95)"
    )


def main() -> None:
    """Build the stream, serve, listen, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="Times through the commands.")
    parser.add_argument("--voices", default="en-us,en-gb,en-us+f3", help="espeak-ng voices.")
    parser.add_argument("--chunk-ms", type=int, default=CHUNK_MS, help="Audio per request.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pcm, said = build(args.voices.split(","), args.rounds, folder)
        env = {"RUBDOWN_DATA_DIR": str(folder), "RUBDOWN_CACHE_DIR": str(folder / "cache")}
        db = f"sqlite:///{folder / 'bench.sqlite3'}"
        command = [*RUBDOWN, "serve", "--voice", "espeak", "--db", db, "--port"]
        process, url = serve(lambda port: [*command, str(port)], {**os.environ, **env})
        try:
            run(url, pcm, said, args.chunk_ms)
        finally:
            process.terminate()
            process.wait(timeout=30)


def run(url: str, pcm: bytes, said: list[Said], chunk_ms: int) -> None:
    """Stream to the server at url and print what was seen, and when."""
    sid = paused_in_a_step(url)
    live, stop = Live(), threading.Event()
    follower = threading.Thread(target=follow, args=(url, sid, live, stop), daemon=True)
    follower.start()
    time.sleep(0.5)  # the live stream is open before the first word
    stream(url, sid, pcm, said, chunk_ms)
    time.sleep(1.0)  # the last live message arrives
    stop.set()
    match_shown(said, live)
    seconds = len(pcm) / 2 / RATE
    print(f"rubdown serve at {url}; {len(said)} commands in {seconds:.0f} s, {chunk_ms} ms chunks")
    for s in said:
        replied = f"{(s.replied - s.end_wall) * 1000:6.0f} ms" if s.replied else "   not heard"
        shown = f"{(s.shown - s.end_wall) * 1000:6.0f} ms" if s.shown else "     -"
        print(f"  {s.phrase:10s} echo {replied}   shown {shown}")
    heard = [s for s in said if s.replied is not None]
    print(f"heard {len(heard)} of {len(said)} commands")
    echoed = [ms(s.replied, s) for s in heard]
    shown = [ms(s.shown, s) for s in heard if s.shown is not None]
    print(figures("end of command -> echo (listen reply)", echoed))
    print(figures("end of command -> change on the live stream", shown))


def ms(at: float | None, s: Said) -> float:
    """Milliseconds from the end of the command to `at`."""
    assert at is not None
    return (at - s.end_wall) * 1000


if __name__ == "__main__":
    main()
