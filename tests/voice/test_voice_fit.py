"""With real synthesised durations, no cue of a random plan overruns its slot."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rubdown.core.catalogue import load_catalogue
from rubdown.core.cuefit import OPTIONAL_KINDS, overruns
from rubdown.core.models import PlanRequest
from rubdown.core.planner import plan_session
from rubdown.voice.cache import CueAudioCache, default_cache_root
from rubdown.voice.engines import choose_engine
from rubdown.voice.prepare import place, plan_texts

CAT = load_catalogue()
ENGINE, _ = choose_engine("auto")  # Piper where installed, else espeak-ng

pytestmark = pytest.mark.skipif(not ENGINE.available(), reason="no speech engine installed")


@pytest.fixture(scope="module")
def cache() -> CueAudioCache:
    """The shared cue cache (scripts/test.sh keeps it in .tmp/cache): reruns are warm."""
    return CueAudioCache(default_cache_root(), ENGINE, fmt="wav")


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    minutes=st.sampled_from([5, 10, 15, 20]),
    position=st.sampled_from(["any", "lying", "seated"]),
    vary=st.integers(0, 30),
    less=st.booleans(),
)
def test_no_cue_overruns_its_slot_with_measured_durations(
    cache: CueAudioCache, minutes: int, position: str, vary: int, less: bool
) -> None:
    plan = plan_session(CAT, PlanRequest(minutes=minutes, position=position, vary=vary))
    cache.prefetch(plan_texts(plan, less))
    placed = place(plan, cache, less)
    assert all(cache.seconds_for(c.text) == c.seconds for c in placed), "durations are measured"
    assert overruns(placed) == []
    for cue in placed:
        if cue.kind in OPTIONAL_KINDS:
            later = [c for c in placed if c.at_s > cue.at_s and c.kind not in OPTIONAL_KINDS]
            assert not later or cue.at_s + cue.seconds <= later[0].at_s
