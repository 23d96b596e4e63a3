"""bench/listen_train.py: the verifier's fit and its figures, on made-up features."""

from __future__ import annotations

import numpy as np

from bench.listen_train import CLASSES, Draw, fit, rates


def _draw(rng: np.random.Generator, n: int = 40) -> Draw:
    labels = np.arange(n) % len(CLASSES)
    centres = rng.normal(0, 4, (len(CLASSES), 384))
    features = centres[labels] + rng.normal(0, 0.5, (n, 384))
    return Draw(features, labels, labels == 0, int(np.sum(labels != 0)), 60.0)


def test_the_fit_separates_classes_that_are_apart() -> None:
    rng = np.random.default_rng(5)
    draw = _draw(rng)
    model = fit(draw.features, draw.labels)
    recall, false_accepts = rates(model, [draw], 0.5)
    assert recall == 1.0 and false_accepts == 0.0


def test_a_threshold_above_every_probability_takes_nothing() -> None:
    rng = np.random.default_rng(6)
    draw = _draw(rng)
    model = fit(draw.features, draw.labels, epochs=5)
    assert rates(model, [draw], 1.01) == (0.0, 0.0)
