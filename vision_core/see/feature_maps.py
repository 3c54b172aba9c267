"""Feature maps of any layer of the embedded networks for a photo (Zeiler & Fergus's "what each layer sees").

The photo goes through EfficientNet-Lite0's resize and crop (256 → 224); VGG-16 then takes its own
BGR mean-subtracted input. Activations come from plain forward passes that stop at the chosen layer
(``efficientnet_lite.activations``, ``vgg16.features_at``): the shared network gets no hook.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import torch
from torch import nn

from vision_core.checks import check_choice, check_image
from vision_core.errors import BadInput
from vision_core.models.classification import classifier_input
from vision_core.models.device import net_device
from vision_core.models.efficientnet_lite import STAGES, activations
from vision_core.models.vgg16 import LAYER_NAMES, features_at
from vision_core.models.vgg16 import preprocess as vgg_preprocess
from vision_core.ops.draw import colourise
from vision_core.ops.tiling import Grid, tile_grid
from vision_core.see.filters import VISUAL_MODELS

__all__ = ["FeatureMaps", "LayerChoice", "channel_image", "feature_grid", "feature_layers", "feature_maps"]


@dataclass(frozen=True)
class LayerChoice:
    """A layer a student can pick: ``key`` (short, for URLs), the torch module name, and what it is."""

    key: str
    module: str
    description: str


def _efficientnet_layers() -> tuple[LayerChoice, ...]:
    out = [LayerChoice("stem", "_act_stem", "stem conv 3×3/2 + ReLU6: 32 × 112 × 112")]
    side, i = 112, 0
    for stage, (repeats, kernel, stride, _expand, c_out) in enumerate(STAGES, start=1):
        for r in range(repeats):
            if r == 0 and stride == 2:
                side //= 2
            out.append(LayerChoice(f"block{i}", f"_blocks.{i}", f"stage {stage}, MBConv {kernel}×{kernel}: {c_out} × {side} × {side}"))
            i += 1
    out.append(LayerChoice("head", "_act_head", "head conv 1×1 + ReLU6: 1280 × 7 × 7"))
    return tuple(out)


def _vgg_layers() -> tuple[LayerChoice, ...]:
    out: list[LayerChoice] = []
    channels = {1: 64, 2: 128, 3: 256, 4: 512, 5: 512}
    for idx, name in enumerate(LAYER_NAMES):
        block = int(name[5])
        side = 224 >> (block - 1)
        if "_relu" in name:
            key = name.replace("relu", "conv")
            out.append(LayerChoice(key, str(idx), f"conv 3×3 + ReLU: {channels[block]} × {side} × {side}"))
        elif name.endswith("_pool"):
            out.append(LayerChoice(name, str(idx), f"max-pool 2×2: {channels[block]} × {side // 2} × {side // 2}"))
    return tuple(out)


_LAYERS: dict[str, tuple[LayerChoice, ...]] = {"efficientnet_lite0": _efficientnet_layers(), "vgg16_features": _vgg_layers()}


def feature_layers(model: str) -> tuple[LayerChoice, ...]:
    """The layers of ``model`` whose feature maps can be shown, input to output (shapes at 224×224)."""
    check_choice(model, _LAYERS, "network")
    return _LAYERS[model]


def _layer(model: str, key: str) -> LayerChoice:
    for choice in feature_layers(model):
        if choice.key == key:
            return choice
    keys = ", ".join(c.key for c in feature_layers(model))
    raise BadInput(f"{VISUAL_MODELS[model]} has no layer {key!r}. Layers: {keys}.")


@dataclass(frozen=True)
class FeatureMaps:
    """Activations of one layer for one photo: ``maps`` ``(C, h, w)`` float32; ``crop`` the
    ``(224, 224, 3)`` uint8 input the network saw."""

    model: str
    layer: LayerChoice
    maps: np.ndarray
    crop: np.ndarray

    def ranked(self) -> np.ndarray:
        """Channel indices, strongest mean activation first."""
        return np.argsort(-self.maps.reshape(len(self.maps), -1).mean(axis=1), kind="stable")


def feature_maps(image: np.ndarray, model: str = "efficientnet_lite0", layer: str = "stem", *, net: nn.Module) -> FeatureMaps:
    """Feature maps of ``layer`` (a ``LayerChoice.key``) of ``model`` for ``(H, W, 3)`` uint8 RGB ``image``;
    ``net`` is that loaded network (``efficientnet_lite0`` or ``vgg16_features``)."""
    image = check_image(image)
    choice = _layer(model, layer)
    prepared = classifier_input("efficientnet_lite0")(image)
    dev = net_device(net)
    with torch.inference_mode():
        if model == "efficientnet_lite0":
            out = activations(net, prepared.tensor.to(dev), choice.module)[choice.module]
        else:
            out = features_at(net, vgg_preprocess(prepared.crop, dev), int(choice.module))
    return FeatureMaps(model, choice, out[0].float().cpu().numpy(), prepared.crop)


def feature_grid(fm: FeatureMaps, channels: Sequence[int] | None = None, *, cols: int = 8, cell: int = 72) -> Grid:
    """Channels of ``fm`` as viridis tiles (each scaled on its own); default: the 32 strongest."""
    idx = list(fm.ranked()[:32]) if channels is None else list(channels)
    if not idx or any(not 0 <= c < len(fm.maps) for c in idx):
        raise BadInput(f"Channels must be between 0 and {len(fm.maps) - 1}.")
    tiles = np.stack([colourise(fm.maps[c]) for c in idx])
    return tile_grid(tiles, cols, cell)


def channel_image(fm: FeatureMaps, channel: int, size: int = 336) -> np.ndarray:
    """One channel enlarged to ``(size, size, 3)`` uint8 (viridis, bilinear), for a close look."""
    if not 0 <= channel < len(fm.maps):
        raise BadInput(f"{fm.layer.key} has {len(fm.maps)} channels (0–{len(fm.maps) - 1}); got {channel}.")
    m = cv2.resize(fm.maps[channel], (size, size), interpolation=cv2.INTER_LINEAR)
    return colourise(m, float(fm.maps[channel].min()), float(fm.maps[channel].max()))
