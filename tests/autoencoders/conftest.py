"""One short fixed-seed training of the page's networks, shared by every test of the autoencoders package.

``records``: every progress record of a 300-step run, seed 0 (the page's default settings otherwise);
``trained``: (twin autoencoder, denoiser) after the run; ``untrained``: the two as they were before the first step.
"""

from __future__ import annotations

import pytest

from tests.conftest import recorded_run
from vision_core.autoencoders import AutoencoderConfig, networks_from, train_autoencoders

STEPS = 300

records, trained = recorded_run(lambda: train_autoencoders(AutoencoderConfig(steps=STEPS, eval_every=100, seed=0)),
                                networks_from)


@pytest.fixture(scope="session")
def untrained(records):
    """(twin autoencoder, denoiser) as they were before the first step."""
    return networks_from(records[0])
