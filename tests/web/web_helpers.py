"""Helpers for the web tests (a plain module: conftest is not importable by name)."""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Any

import pytest

DOUBLE_QUOTE = '"'


class QuickEngine:
    """A speech engine that writes a short silent WAV at once, so tests need no espeak-ng."""

    name = "quick"
    voice = "test"

    def __init__(self) -> None:
        self.spoken: list[str] = []

    def available(self) -> bool:
        """Always ready."""
        return True

    def synthesize(self, text: str, out: Path, *, rate_wpm: int = 150) -> None:
        """Write 0.1 s of silence and remember the text."""
        self.spoken.append(text)
        with wave.open(str(out), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(22050)
            wav.writeframes(b"\x00\x00" * 2205)


def first_step(plan: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The index and segment of the plan's first massage step."""
    for i, seg in enumerate(plan["segments"]):
        if seg["kind"] == "step":
            return i, seg
    raise AssertionError("the plan has no step")


def step_sequence(plan: dict[str, Any]) -> list[tuple[str, str]]:
    """(region, technique) of each step in order, repeats in a row merged."""
    out: list[tuple[str, str]] = []
    for seg in plan["segments"]:
        pair = (seg["region"], seg["technique"])
        if seg["kind"] == "step" and (not out or out[-1] != pair):
            out.append(pair)
    return out


def all_no() -> dict[str, bool]:
    """Answers to the red-flag screen with no flag raised."""
    from rubdown.core.screen import RED_FLAGS

    return {flag.id: False for flag in RED_FLAGS}


# Every test in a module marked with this runs on SQLite and on PostgreSQL (conftest's db_url).
BOTH_DATABASES = pytest.mark.parametrize(
    "db_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
