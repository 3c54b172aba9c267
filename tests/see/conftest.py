"""Fixtures of the see tests: the embedded networks, a cat pasted on bricks, and model-untouched checks."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from vision_core.io.samples import load_sample
from vision_core.models import get_model

CAT_BOX = (40, 0, 365, 300)
"""The generous cat box on chelsea (see test_attributions' docstring)."""
TIGER_CAT = 282


@pytest.fixture(scope="module")
def lite0() -> torch.nn.Module:
    return get_model("efficientnet_lite0", "cpu")


@pytest.fixture(scope="module")
def vgg() -> torch.nn.Module:
    return get_model("vgg16_features", "cpu")


@pytest.fixture(scope="module")
def cat_on_bricks() -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A 512×512 brick wall with chelsea shrunk to 240×160 pasted at x 60–300, y 250–410."""
    canvas = load_sample("brick")[:512, :512].copy()
    canvas[250:410, 60:300] = np.asarray(Image.fromarray(load_sample("chelsea")).resize((240, 160)))
    return canvas, (60, 250, 300, 410)


def _inside(point: tuple[float, float], box: tuple[int, int, int, int]) -> bool:
    x, y = point
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _untouched(net: torch.nn.Module) -> bool:
    return all(not m._forward_hooks and not m._forward_pre_hooks and not m._backward_hooks for m in net.modules()) and \
        not any(p.requires_grad for p in net.parameters()) and not net.training
