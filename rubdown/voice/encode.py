"""Compressed cue audio: MP3 at a speech bit rate, encoded by Debian's `lame`, plays on every phone.

WAV stays available for local players (aplay) that cannot decode MP3.
"""

from __future__ import annotations

import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

ENCODE_TIMEOUT_S = 60.0


class EncodeError(RuntimeError):
    """Raised when a cue cannot be encoded."""


@dataclass(frozen=True)
class AudioFormat:
    """A file format cue audio is kept in."""

    name: str
    suffix: str
    media_type: str
    tool: str | None  # the command that encodes it, None when WAV is written as is


# MP3 (MPEG-2 layer III): an average 20 kbit/s mono at 16 kHz keeps speech clear at about
# 2.5 KB a second (ABR spends fewer bits on the pauses than a constant 24 kbit/s did);
# every browser, iOS Safari included, decodes it.
MP3_BITRATE_KBPS = 20
MP3_SAMPLE_RATE_KHZ = 16
FORMATS: dict[str, AudioFormat] = {
    "mp3": AudioFormat("mp3", ".mp3", "audio/mpeg", "lame"),
    "wav": AudioFormat("wav", ".wav", "audio/wav", None),
}


def audio_format(name: str) -> AudioFormat:
    """Return the named format, or raise ValueError naming the choices."""
    try:
        return FORMATS[name]
    except KeyError:
        choices = ", ".join(FORMATS)
        raise ValueError(f"unknown audio format {name!r}; choose one of: {choices}") from None


def can_encode(fmt: AudioFormat) -> bool:
    """Return whether this machine has the encoder the format needs."""
    return fmt.tool is None or shutil.which(fmt.tool) is not None


def lame_command(source: Path, out: Path) -> list[str]:
    """The lame call that turns a mono WAV into a speech-rate MP3."""
    return [
        "lame",
        "--quiet",
        "-m",
        "m",
        "--abr",
        str(MP3_BITRATE_KBPS),
        "--resample",
        str(MP3_SAMPLE_RATE_KHZ),
        str(source),
        str(out),
    ]


def encode(source: Path, out: Path, fmt: AudioFormat) -> None:
    """Write the WAV `source` to `out` in `fmt`."""
    if fmt.tool is None:
        shutil.copyfile(source, out)
        return
    try:
        done = subprocess.run(
            lame_command(source, out), capture_output=True, timeout=ENCODE_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EncodeError(f"{fmt.tool} could not run: {exc}") from exc
    if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        detail = done.stderr.decode("utf-8", "replace").strip()
        raise EncodeError(f"{fmt.tool} exited {done.returncode}: {detail}")


def wav_seconds(path: Path) -> float:
    """The duration of a WAV file."""
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()
