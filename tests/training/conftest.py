"""The default LeNet-5 run (seed 0, 6 epochs), trained once for every test of the training package."""

from __future__ import annotations

import pytest

from vision_core.training import TrainConfig, train_lenet


@pytest.fixture(scope="session")
def run():
    """Every progress record of ``train_lenet(TrainConfig(seed=0))``."""
    return list(train_lenet(TrainConfig(seed=0)))
