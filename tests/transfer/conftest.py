"""The shared VGG-16 features model, loaded once for the transfer tests (and passed in, as pages do)."""

from __future__ import annotations

import pytest

from vision_core.models import get_model


@pytest.fixture(scope="session")
def vgg():
    return get_model("vgg16_features", "cpu")
