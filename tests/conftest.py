"""Shared fixtures: the shipped catalogue, loaded once."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from rubdown.core.catalogue import load_catalogue
from rubdown.core.models import Catalogue


@pytest.fixture(scope="session")
def cat() -> Catalogue:
    """The shipped catalogue."""
    return load_catalogue()


# Property tests run 300 examples by default; HYPOTHESIS_PROFILE=thorough runs many more.
settings.register_profile("default", max_examples=300)
settings.register_profile("thorough", max_examples=5000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
