"""Audio for the recogniser: recordings read from WAV files, converted to 16 kHz mono."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import wave
from array import array
from pathlib import Path

from rubdown.voice.segment import SAMPLE_RATE

MAX_RECORDING_S = 4 * 3600  # a long session is 90 minutes; refuse anything absurd
CONVERT_TIMEOUT_S = 120.0


class RecordingError(ValueError):
    """A recording that cannot be read, naming the file and what is wrong."""


def _read_pcm(path: Path) -> tuple[array[int], int, int]:
    """16-bit samples, rate and channels of a PCM WAV (RecordingError otherwise)."""
    try:
        with wave.open(str(path), "rb") as wav:
            width, rate, channels = wav.getsampwidth(), wav.getframerate(), wav.getnchannels()
            frames = wav.getnframes()
            if width != 2:
                raise RecordingError(f"{path}: {8 * width}-bit audio; rubdown reads 16-bit WAV")
            if frames > MAX_RECORDING_S * rate:
                raise RecordingError(f"{path}: longer than {MAX_RECORDING_S // 3600} hours")
            data = wav.readframes(frames)
    except FileNotFoundError as exc:
        raise RecordingError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise RecordingError(f"{path}: is a folder, not a WAV file") from exc
    except (wave.Error, EOFError) as exc:
        why = f" ({exc})" if str(exc) else ""  # an empty or cut-off file says nothing
        raise RecordingError(f"{path}: not a readable WAV file{why}") from exc
    except OSError as exc:
        raise RecordingError(f"{path}: cannot be read ({exc.strerror})") from exc
    samples = array("h")
    samples.frombytes(data[: len(data) - len(data) % 2])
    return samples, rate, channels


def _convert(path: Path) -> Path:
    """A 16 kHz mono copy made with sox (a temporary file the caller removes)."""
    sox = shutil.which("sox")
    if sox is None:
        raise RecordingError(f"{path}: not 16 kHz mono, and sox (to convert it) is not installed")
    fd, name = tempfile.mkstemp(prefix="rubdown-hear-", suffix=".wav")
    os.close(fd)
    cmd = [sox, str(path), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", name]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RecordingError(f"{path}: could not convert it ({exc})") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise RecordingError(f"{path}: could not convert it ({' '.join(detail)})")
    return Path(name)


def read_recording(path: Path) -> array[int]:
    """The recording as 16 kHz mono 16-bit samples, converting other rates and channels."""
    samples, rate, channels = _read_pcm(path)
    if rate == SAMPLE_RATE and channels == 1:
        return samples
    converted = _convert(path)
    try:
        samples, _, _ = _read_pcm(converted)
    finally:
        converted.unlink(missing_ok=True)
    return samples
