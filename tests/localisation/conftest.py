"""One short fixed-seed training of the localiser, shared by every test of the localisation package."""

from __future__ import annotations

import pytest

from vision_core.localisation import LocalisationConfig, localiser_from, train_localiser

STEPS = 400


@pytest.fixture(scope="session")
def records():
    """Every progress record of a 400-step run, seed 0 (the page's defaults otherwise: λ = 10, L2)."""
    return list(train_localiser(LocalisationConfig(steps=STEPS, eval_every=100, seed=0)))


@pytest.fixture(scope="session")
def trained(records):
    """The localiser after the run."""
    return localiser_from(records[-1])
