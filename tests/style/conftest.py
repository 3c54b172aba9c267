"""Style fixtures: the embedded VGG-16 features and fast-style session on the CPU, Chelsea's face, the Hubble field."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from vision_core.io.samples import load_sample
from vision_core.models import get_model


@pytest.fixture(scope="package")
def vgg() -> torch.nn.Module:
    return get_model("vgg16_features", "cpu")


@pytest.fixture(scope="package")
def cat64() -> np.ndarray:
    """Chelsea's face, a 64×64 square."""
    crop = load_sample("chelsea")[0:300, 80:380]
    return np.asarray(Image.fromarray(crop).resize((64, 64), Image.Resampling.LANCZOS))


@pytest.fixture(scope="package")
def hubble() -> np.ndarray:
    return load_sample("hubble_deep_field")


@pytest.fixture(scope="package")
def sess26():
    return get_model("style_multistyle26", "cpu")
