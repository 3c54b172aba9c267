"""Gatys et al.'s losses and the VGG feature networks they are measured on.

``J(G) = α·J_content(C, G) + β·J_style(S, G)`` with

- ``J_content = ¼·mean((a[l](C) − a[l](G))²)`` over one layer ``l``'s activations
  (the ``1/(4·n_H·n_W·n_C)`` normalisation of the course);
- ``J_style = Σ_l λ[l]·¼·mean((M[l](S) − M[l](G))²)`` where ``M[l] = F·Fᵀ / (n_H·n_W)``
  is the Gram ("style") matrix of layer ``l``'s ``(n_C, n_H·n_W)`` activations
  (equal to the course's ``1/(2·n_H·n_W·n_C)²`` weighting of the raw Gram matrix).

Layers are named Keras-style (``block4_conv2``); a ``convN`` name means the activation after
its ReLU, as in Keras where the activation is part of the conv layer. The feature networks are
VGG-16's conv layers from the asset store (``vgg16_features``, Caffe input: BGR, 0–255,
mean-subtracted) and torchvision's VGG-19 (``vgg19_features``, RGB, ImageNet mean/std); their
input recipes come from the registry, so ``to_network_input`` is what the page's caption says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from vision_core.checks import check_choice
from vision_core.errors import BadInput
from vision_core.models import get_spec
from vision_core.models.style import VGG19_LAYER_NAMES
from vision_core.models.vgg16 import LAYER_NAMES as VGG16_LAYER_NAMES

__all__ = [
    "DEFAULT_CONTENT_LAYER",
    "DEFAULT_STYLE_LAYERS",
    "NETWORKS",
    "activations",
    "check_network",
    "content_loss",
    "gram_matrix",
    "output_index",
    "style_loss",
    "style_weights",
    "to_network_input",
    "vgg_layer_names",
]

DEFAULT_CONTENT_LAYER = "block4_conv2"
DEFAULT_STYLE_LAYERS: dict[str, float] = {f"block{b}_conv1": 0.2 for b in range(1, 6)}

NETWORKS: dict[str, str] = {"vgg16": "vgg16_features", "vgg19": "vgg19_features"}
"""Feature network name → registered model name."""

_LAYERS: dict[str, tuple[str, ...]] = {"vgg16": VGG16_LAYER_NAMES, "vgg19": VGG19_LAYER_NAMES}


def check_network(network: str) -> str:
    """``network`` if it is one of ``NETWORKS``; otherwise ``BadInput`` listing them."""
    return check_choice(network, NETWORKS, "feature network")


def vgg_layer_names(network: str = "vgg16", convs_only: bool = True) -> tuple[str, ...]:
    """Keras-style layer names of ``network`` (``"vgg16"``/``"vgg19"``); only ``blockB_convN`` when ``convs_only``."""
    names = _LAYERS[check_network(network)]
    return tuple(n for n in names if "_conv" in n) if convs_only else names


def output_index(network: str, layer: str) -> int:
    """Index in the ``nn.Sequential`` whose output is ``layer``'s activation (after ReLU for ``convN``)."""
    names = _LAYERS[check_network(network)]
    if layer not in names:
        convs = ", ".join(vgg_layer_names(network))
        raise BadInput(f"{network.upper()} has no layer {layer!r}. Its conv layers: {convs}.")
    i = names.index(layer)
    return i + 1 if "_conv" in layer else i


def to_network_input(rgb01: torch.Tensor, network: str = "vgg16") -> torch.Tensor:
    """Differentiable preprocessing: ``(N, 3, H, W)`` RGB in ``[0, 1]`` → the network's input.

    ``vgg16``: Caffe/Keras (BGR, 0–255, minus ``BGR_MEAN``), equal to ``vision_core.models.vgg16.preprocess``
    on uint8 images. ``vgg19``: torchvision (RGB, ImageNet mean/std).
    """
    return get_spec(NETWORKS[check_network(network)]).preprocessing.from_unit(rgb01)


def activations(net: nn.Sequential, x: torch.Tensor, indices: Sequence[int]) -> dict[int, torch.Tensor]:
    """Run the frozen ``net`` module by module up to the deepest index; outputs at ``indices``.

    ReLUs are applied functionally (never in place), so a shared model with
    ``ReLU(inplace=True)`` (torchvision) is used without being changed.
    """
    wanted = set(indices)
    last = max(wanted)
    out: dict[int, torch.Tensor] = {}
    for i, module in enumerate(net):
        x = F.relu(x) if isinstance(module, nn.ReLU) else module(x)
        if i in wanted:
            out[i] = x
        if i >= last:
            break
    return out


def gram_matrix(features: torch.Tensor) -> torch.Tensor:
    """Style matrix of activations ``(C, H, W)`` or ``(1, C, H, W)``: ``F·Fᵀ / (H·W)``, shape ``(C, C)``.

    Entry ``(i, j)`` is the average over positions of channel ``i`` times channel ``j``:
    how strongly the two features fire together.
    """
    if features.dim() == 4:
        if features.shape[0] != 1:
            raise BadInput(f"gram_matrix takes one image's activations, got a batch of {features.shape[0]}.")
        features = features[0]
    if features.dim() != 3:
        raise BadInput(f"Activations must be (C, H, W) or (1, C, H, W), got shape {tuple(features.shape)}.")
    c, h, w = features.shape
    flat = features.reshape(c, h * w)
    return flat @ flat.t() / (h * w)


def content_loss(a_c: torch.Tensor, a_g: torch.Tensor) -> torch.Tensor:
    """``J_content = ¼·mean((a(C) − a(G))²)``: the course's ``‖a(C) − a(G)‖² / (4·n_H·n_W·n_C)``."""
    return 0.25 * torch.mean((a_c - a_g) ** 2)


def style_loss(gram_s: torch.Tensor, gram_g: torch.Tensor) -> torch.Tensor:
    """One layer's ``J_style = ¼·mean((M(S) − M(G))²)`` with ``M`` from ``gram_matrix``."""
    return 0.25 * torch.mean((gram_s - gram_g) ** 2)


def style_weights(style_layers: Mapping[str, float] | Sequence[str] | None) -> dict[str, float]:
    """``{layer: λ}`` from a mapping, a list of names (equal λ summing to 1) or ``None`` (Gatys' five layers)."""
    if style_layers is None:
        return dict(DEFAULT_STYLE_LAYERS)
    if isinstance(style_layers, Mapping):
        layers = {str(k): float(v) for k, v in style_layers.items()}
    else:
        names = list(style_layers)
        layers = {n: 1.0 / len(names) for n in names} if names else {}
    if not layers:
        raise BadInput("Choose at least one style layer.")
    if any(not np.isfinite(v) or v < 0 for v in layers.values()):
        raise BadInput("Style layer weights λ must be zero or positive.")
    if sum(layers.values()) <= 0:
        raise BadInput("At least one style layer needs a weight λ above zero.")
    return layers
