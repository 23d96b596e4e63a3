"""Fire-and-forget WAV playback through whichever command-line player works here."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

AUDIO_DEVICE_ENV = "RUBDOWN_AUDIO_DEVICE"
# Tried in order: aplay (alsa-utils) talks to ALSA directly, paplay to PulseAudio, play is sox.
PLAYER_BINARIES: tuple[str, ...] = ("aplay", "paplay", "play")
PROBE_TIMEOUT_S = 2.0
PROBE_SECONDS = 0.01
PROBE_SAMPLE_RATE = 22050


class Player(Protocol):
    """Something that starts playing a WAV file and returns at once."""

    def available(self) -> bool:
        """Return whether sound can actually come out."""
        ...

    def play(self, wav: Path) -> subprocess.Popen[bytes] | None:
        """Start playing `wav` in the background."""
        ...

    def stop(self) -> None:
        """Stop everything this player started."""
        ...


def player_command(binary: str, wav: Path, device: str | None) -> list[str]:
    """Return the argument list that plays `wav` with `binary` on `device`."""
    name = Path(binary).name
    if name == "aplay":
        return [binary, "-q", *(["-D", device] if device else []), str(wav)]
    if name == "paplay":
        return [binary, *([f"--device={device}"] if device else []), str(wav)]
    # sox's play takes its device from AUDIODEV (see player_env), not from an option.
    return [binary, "-q", str(wav)]


def player_env(binary: str, device: str | None) -> dict[str, str] | None:
    """Return the environment for `binary`, or None to inherit ours unchanged."""
    if device and Path(binary).name == "play":
        return {**os.environ, "AUDIODEV": device}
    return None


def write_silence(path: Path, seconds: float = PROBE_SECONDS) -> None:
    """Write a short silent mono 16-bit WAV, used to probe the audio device."""
    frames = round(seconds * PROBE_SAMPLE_RATE)
    # Open the file first: a wave.Wave_write whose own open failed raises again when collected.
    with open(path, "wb") as handle, wave.open(handle, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(PROBE_SAMPLE_RATE)
        out.writeframes(b"\x00\x00" * frames)


class AudioPlayer:
    """Plays WAV files with aplay, paplay or sox's play, without blocking the caller."""

    def __init__(
        self,
        device: str | None = None,
        *,
        binaries: Sequence[str] = PLAYER_BINARIES,
    ) -> None:
        self.device = device if device is not None else os.environ.get(AUDIO_DEVICE_ENV) or None
        self.binaries = tuple(binaries)
        self._binary: str | None = None
        self._probed = False
        self._running: list[subprocess.Popen[bytes]] = []

    def installed(self) -> list[str]:
        """Return the paths of the candidate player binaries found on PATH."""
        found = (shutil.which(name) for name in self.binaries)
        return [path for path in found if path is not None]

    def _probe(self, binary: str, silence: Path) -> bool:
        """Return whether `binary` plays a silent clip successfully and quickly."""
        try:
            done = subprocess.run(
                player_command(binary, silence, self.device),
                env=player_env(binary, self.device),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=PROBE_TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
        return done.returncode == 0

    @property
    def binary(self) -> str | None:
        """Return the first installed player whose device works, probing once."""
        if not self._probed:
            self._probed = True
            with tempfile.TemporaryDirectory(prefix="rubdown-probe-") as tmp:
                silence = Path(tmp) / "silence.wav"
                write_silence(silence)
                self._binary = next((b for b in self.installed() if self._probe(b, silence)), None)
        return self._binary

    def available(self) -> bool:
        """Return whether a player binary exists and its audio device works."""
        return self.binary is not None

    def play(self, wav: Path) -> subprocess.Popen[bytes] | None:
        """Start playing `wav` in the background; None when no sound can come out."""
        binary = self.binary
        if binary is None:
            return None
        self._reap()
        process = subprocess.Popen(
            player_command(binary, wav, self.device),
            env=player_env(binary, self.device),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._running.append(process)
        return process

    def _reap(self) -> None:
        """Forget finished processes so they do not linger as zombies."""
        self._running = [p for p in self._running if p.poll() is None]

    def stop(self) -> None:
        """Stop every clip this player started that is still playing."""
        for process in self._running:
            if process.poll() is None:
                process.terminate()
        for process in self._running:
            try:
                process.wait(timeout=PROBE_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._running = []


class NullPlayer:
    """A player for machines without sound: plays nothing, never fails."""

    def available(self) -> bool:
        """Return False: nothing can be heard."""
        return False

    def play(self, wav: Path) -> subprocess.Popen[bytes] | None:  # noqa: ARG002 - the protocol
        """Do nothing and return None."""
        return None

    def stop(self) -> None:
        """Do nothing: nothing was started."""


def find_player(device: str | None = None) -> Player:
    """Return a working AudioPlayer, or a NullPlayer when no sound can come out."""
    player = AudioPlayer(device)
    return player if player.available() else NullPlayer()
