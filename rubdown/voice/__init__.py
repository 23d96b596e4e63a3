"""Spoken cues and rhythm ticks for hands-free coaching, all offline."""

from __future__ import annotations

from rubdown.voice.cache import CueAudioCache, default_cache_root
from rubdown.voice.engines import (
    EspeakEngine,
    SilentEngine,
    SpeechEngine,
    SynthesisError,
    engine_names,
    find_engine,
)
from rubdown.voice.player import AudioPlayer, NullPlayer, Player, find_player
from rubdown.voice.ticks import TickKind, render_tick, tick_times, write_ticks

__all__ = [
    "AudioPlayer",
    "CueAudioCache",
    "EspeakEngine",
    "NullPlayer",
    "Player",
    "SilentEngine",
    "SpeechEngine",
    "SynthesisError",
    "TickKind",
    "default_cache_root",
    "engine_names",
    "find_engine",
    "find_player",
    "render_tick",
    "tick_times",
    "write_ticks",
]
