"""First-layer filters of the embedded networks, as RGB tiles (the lecture's "what the first layer learns")."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from torch import nn

from vision_core.checks import check_choice
from vision_core.ops.tiling import Grid, tile_grid

__all__ = ["VISUAL_MODELS", "FilterGrid", "first_layer_filters"]

VISUAL_MODELS: dict[str, str] = {
    "efficientnet_lite0": "EfficientNet-Lite0 (embedded)",
    "vgg16_features": "VGG-16 conv layers (embedded)",
}
"""Embedded networks whose filters and feature maps the page shows."""


@dataclass(frozen=True)
class FilterGrid:
    """First-layer filters. ``weights``: ``(N, 3, k, k)`` float32 in RGB order;
    ``grid``: each filter as an RGB tile scaled on its own (grey = 0, ±max → 0/255)."""

    model: str
    layer: str
    weights: np.ndarray
    grid: Grid


def first_layer_filters(model: str = "efficientnet_lite0", *, net: nn.Module, cell: int = 36, cols: int = 8) -> FilterGrid:
    """The first conv layer of ``model`` (``efficientnet_lite0``: 32 filters 3×3, stride 2;
    ``vgg16_features``: 64 filters 3×3, block1_conv1) as RGB tiles; ``net`` is that loaded network.

    VGG-16's weights expect BGR input (Keras/Caffe), so their channels are flipped to RGB.
    """
    check_choice(model, VISUAL_MODELS, "network")
    if model == "efficientnet_lite0":
        w = net._conv_stem.weight.detach().cpu().numpy()
        layer = "_conv_stem (stem conv, 3×3, stride 2)"
    else:
        w = net[0].weight.detach().cpu().numpy()[:, ::-1]
        layer = "block1_conv1 (3×3, stride 1)"
    w = np.ascontiguousarray(w, dtype=np.float32)
    peak = np.abs(w).reshape(len(w), -1).max(axis=1).clip(min=1e-12)
    scaled = w / peak[:, None, None, None]
    tiles = np.clip(np.rint(127.5 + 127.5 * scaled), 0, 255).astype(np.uint8).transpose(0, 2, 3, 1)
    return FilterGrid(model, layer, w, tile_grid(tiles, cols, cell, gap=3))
