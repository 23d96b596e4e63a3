"""`bench/listen.py --tune`: per-command thresholds fitted on scored utterances, stored as data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.listen_tune import RATIO_GRID, Choice, Feature, fit, store
from rubdown.voice.commands import command_names
from rubdown.voice.listen import FITTED_PATH, Tuning, fitted

TALK_S = 600.0  # ten minutes of conversation: one feature there is one false accept per 10 min


def features(command: str, ratios: list[float], seconds: float = 0.5) -> list[Feature]:
    """Scored utterances of one command."""
    return [Feature(command, float(i), r, seconds, False) for i, r in enumerate(ratios)]


def test_each_command_gets_the_threshold_that_separates_its_own_hits_from_talk() -> None:
    # "lighter" is heard well above any talk; "firmer" scores low but talk never says it.
    hits = features("lighter", [-44.0, -46.0]) + features("firmer", [-56.0, -58.0])
    talk = features("lighter", [-52.0, -55.0])
    choice = fit(hits, talk, n_items=4, talk_s=TALK_S, cost=0.05)
    assert -52.0 < choice.per_command["lighter"] <= -46.0
    assert choice.per_command["firmer"] <= -58.0
    assert choice.recall == 1.0 and choice.false_accepts == 0.0


@pytest.mark.parametrize(("cost", "kept"), [(0.9, False), (0.001, True)])
def test_a_hit_is_given_up_only_when_talk_costs_more_than_it(cost: float, kept: bool) -> None:
    hits = features("pause", [-55.0])
    talk = features("pause", [-47.0, -50.0])  # talk scores above the one hit
    choice = fit(hits, talk, n_items=1, talk_s=TALK_S, cost=cost)
    assert (choice.recall == 1.0) is kept
    assert (choice.per_command["pause"] <= -55.0) is kept


def test_talk_the_language_model_pass_rejects_costs_nothing() -> None:
    hits = features("skip", [-50.0])
    talk = [Feature("skip", 1.0, -46.0, 0.8, True)]
    choice = fit(hits, talk, n_items=1, talk_s=TALK_S, cost=0.5)
    assert choice.recall == 1.0 and choice.false_accepts == 0.0


def test_the_stored_fit_is_what_tuning_reads(tmp_path: Path) -> None:
    choice = Choice(0.8, {"lighter": -47.5, "firmer": -55.0}, 0.9, 2.0)
    path = tmp_path / "fitted.json"
    store(choice, Tuning(fillers=50, filler_weight=1e-12), {"voices": ["en-us"]}, path)
    data = json.loads(path.read_text())
    assert data["per_command"] == {"lighter": -47.5, "firmer": -55.0}
    assert (data["max_s"], data["fillers"], data["filler_weight"]) == (0.8, 50, 1e-12)
    assert data["about"] == {"voices": ["en-us"]}


def test_the_shipped_fit_names_every_command_and_only_grid_thresholds() -> None:
    data = json.loads(FITTED_PATH.read_text())
    assert set(data["per_command"]) == set(command_names())
    assert set(data["per_command"].values()) <= set(RATIO_GRID)
    assert Tuning().per_command == tuple(sorted(fitted()["per_command"].items()))
    assert all(Tuning().threshold(c) == t for c, t in data["per_command"].items())
