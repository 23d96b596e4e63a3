"""`rubdown guide --listen`: spoken commands from a (fake) ALSA microphone steer the session."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rubdown.core.catalogue import load_catalogue
from rubdown.core.models import PlanRequest
from rubdown.core.planner import plan_session
from rubdown.store.db import Store
from rubdown.store.repos import SessionsRepo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "voice"))
from test_listen import recording

SPEED = 5.0
CAT = load_catalogue()
GUIDE = [
    sys.executable,
    "-c",
    "from rubdown.cli.main import main; main()",
    "guide",
    "--minutes",
    "10",
    "--voice",
    "none",
    "--no-ticks",
    "--listen",
    "--speed",
    str(SPEED),
]


def fake_microphone(tmp: Path, wav: Path) -> dict[str, str]:
    """An environment whose ALSA default capture device reads the recording (raw PCM)."""
    raw = tmp / "mic.raw"
    subprocess.run(
        [
            "sox",
            str(wav),
            "-t",
            "raw",
            "-r",
            "16000",
            "-c",
            "1",
            "-b",
            "16",
            "-e",
            "signed",
            str(raw),
        ],
        check=True,
    )
    conf = tmp / "asoundrc"
    device = f'type file slave.pcm "quiet" file "/dev/null" infile "{raw}" format "raw"'
    conf.write_text(f"pcm.quiet {{ type null }}\npcm.!default {{ {device} }}\n")
    return {**os.environ, "ALSA_CONFIG_PATH": str(conf)}


def run_until(env: dict[str, str], wanted: str, limit_s: float = 60.0) -> str:
    """Run the guide until it prints `wanted` (then stop it as interrupted); its output."""
    proc = subprocess.Popen(
        GUIDE, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert proc.stdout is not None
    lines, deadline = [], time.monotonic() + limit_s
    for line in proc.stdout:
        lines.append(line)
        if wanted in line or time.monotonic() > deadline:
            break
    proc.terminate()
    rest, _ = proc.communicate(timeout=30)
    return "".join(lines) + rest


def test_spoken_commands_are_applied_when_said_and_journaled_by_voice(
    tmp_path: Path, store: Store
) -> None:
    # "lighter" must come once the first step has begun (in the oil pause there is nothing to
    # lighten): after the opening, however long the plan makes it.
    first = next(s for s in plan_session(CAT, PlanRequest(minutes=10)).segments if s.kind == "step")
    gap_s = max(3.0, first.start_s / SPEED + 1.0)
    wav, ends = recording(["lighter", "pause", "go on"], tmp_path, gap_s=gap_s)
    out = run_until(fake_microphone(tmp_path, wav), "Heard “resume”")
    assert "Listening: say" in out and "nothing is recorded or sent" in out
    assert "Heard “lighter”: Lighter on the" in out
    sessions = SessionsRepo(store)
    session = sessions.history(limit=1)[0]
    voiced = [e for e in sessions.events(session.id) if e.data and e.data.get("by") == "voice"]
    assert [e.kind for e in voiced] == ["lighter", "paused", "resumed"]
    assert voiced[0].data["pressure"] >= 1
    # Heard when said (bench/listen.py measures the latency; here a loaded machine gets slack):
    # each lands within a few seconds of audio after the end of the word; the
    # session clock stands still while paused, so "go on" resumes where "pause" stopped.
    for event, end in zip(voiced[:2], ends[:2], strict=True):
        assert (end - 1.0) * SPEED <= event.clock_s <= (end + 2.5) * SPEED
    assert voiced[2].clock_s == pytest.approx(voiced[1].clock_s, abs=0.5)
    stood = voiced[2].at - voiced[1].at
    assert ends[2] - ends[1] - 2.5 <= stood.total_seconds() <= ends[2] - ends[1] + 2.5


def test_listen_without_a_microphone_says_why_and_how(tmp_path: Path, store: Store) -> None:
    conf = tmp_path / "asoundrc"
    conf.write_text("pcm.!default { type hw card 9 }\n")
    env = {**os.environ, "ALSA_CONFIG_PATH": str(conf)}
    done = subprocess.run(GUIDE, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "cannot listen: no microphone could be opened" in done.stderr
    assert "RUBDOWN_CAPTURE_DEVICE" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert SessionsRepo(store).history(limit=1) == []


@pytest.mark.parametrize("flag", ["--wake"])
def test_wake_needs_listen_to_mean_anything(flag: str) -> None:
    done = subprocess.run([*GUIDE[:4], "--help"], capture_output=True, text=True, timeout=60)
    assert flag in done.stdout
