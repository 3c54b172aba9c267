"""One short fixed-seed training of the page's networks, shared by every test of the autoencoders package."""

from __future__ import annotations

import pytest

from vision_core.autoencoders import AutoencoderConfig, networks_from, train_autoencoders

STEPS = 300


@pytest.fixture(scope="session")
def records():
    """Every progress record of a 300-step run, seed 0 (the page's default settings otherwise)."""
    return list(train_autoencoders(AutoencoderConfig(steps=STEPS, eval_every=100, seed=0)))


@pytest.fixture(scope="session")
def trained(records):
    """(twin autoencoder, denoiser) after the run."""
    return networks_from(records[-1])


@pytest.fixture(scope="session")
def untrained(records):
    """(twin autoencoder, denoiser) as they were before the first step."""
    return networks_from(records[0])
