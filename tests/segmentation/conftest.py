"""Segmentation fixtures: the embedded selfie model on the CPU and its result on scikit-image's astronaut."""

from __future__ import annotations

import pytest

from vision_core import segmentation as S
from vision_core.models import get_model


@pytest.fixture(scope="package")
def selfie_net():
    return get_model("selfie", "cpu")


@pytest.fixture(scope="package")
def selfie(astronaut, selfie_net) -> S.SegmentationResult:
    return S.segment(astronaut, "selfie", net=selfie_net)
