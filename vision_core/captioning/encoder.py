"""The encoder: a frozen, ImageNet-pretrained EfficientNet-Lite0 turns a scene into a grid of feature vectors.

Show, Attend and Tell's "annotation vectors" ``a_1 … a_L``: the output of one intermediate block,
``(N, D, h, w)``, read as ``L = h·w`` regions of ``D`` numbers each. For a 96×96 scene the default
block ``_blocks.10`` (the end of stage 5, stride 16) gives a 6×6 grid of 112-dimensional vectors,
region ``i`` covering the 16×16 pixels at row ``i // 6``, column ``i % 6`` (and, through its receptive
field, much more). The network is never trained here; its input is normalised as the registry says
for ``efficientnet_lite0`` (``(x − 127) / 128``), without resizing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import torch

from vision_core.checks import check_choice, check_int
from vision_core.errors import BadInput
from vision_core.models import get_spec
from vision_core.models.device import net_device
from vision_core.models.efficientnet_lite import activation_names, activations

__all__ = ["ENCODER", "ENCODER_LAYER", "Features", "encode_scenes", "encoder_input", "encoder_preprocessing"]

ENCODER = "efficientnet_lite0"
"""The registered model the captioner's encoder is."""
ENCODER_LAYER = "_blocks.10"
"""The block whose output is the feature grid (stage 5: 112 channels, stride 16)."""


@dataclass(frozen=True)
class Features:
    """``vectors`` ``(N, L, D)`` float32 on the CPU: scene ``n``'s region ``i`` (row-major over ``grid`` ``(h, w)``)."""

    vectors: torch.Tensor
    grid: tuple[int, int]
    layer: str

    @property
    def regions(self) -> int:
        return self.grid[0] * self.grid[1]

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[-1])


def encoder_preprocessing(side: int):
    """The registry's EfficientNet-Lite0 recipe with no resize or crop (a ``side``-pixel scene goes in as is)."""
    recipe = get_spec(ENCODER).preprocessing
    return replace(recipe, resize=side, crop=side)


def encoder_input(images: np.ndarray) -> torch.Tensor:
    """``(N, H, W, 3)`` uint8 RGB → ``(N, 3, H, W)`` float32, normalised with the encoder's mean and std."""
    arr = np.asarray(images)
    if arr.ndim == 3:
        arr = arr[None]
    if arr.ndim != 4 or arr.shape[-1] != 3 or arr.dtype != np.uint8 or len(arr) == 0:
        raise BadInput(f"Scenes must be (N, H, W, 3) uint8 RGB, got {arr.shape} {arr.dtype}.")
    recipe = get_spec(ENCODER).preprocessing
    mean = np.array(recipe.mean, np.float32)
    std = np.array(recipe.std, np.float32)
    x = (arr.astype(np.float32) - mean) / std
    return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))


def encode_scenes(images: np.ndarray, *, net: torch.nn.Module, layer: str = ENCODER_LAYER, batch: int = 50,
                  progress: Callable[[int, int], None] | None = None) -> Features:
    """The feature grid of every scene: ``(N, H, W, 3)`` uint8 → ``Features`` ``(N, h·w, D)``.

    ``net`` is the registry's ``efficientnet_lite0`` (required, never modified); ``progress(done, total)`` is
    called after each batch. Runs only as deep as ``layer``."""
    check_choice(layer, activation_names(net), "EfficientNet-Lite0 layer")
    batch = check_int(batch, 1, 1024, "The batch size")
    x = encoder_input(images)
    device = net_device(net)
    out: list[torch.Tensor] = []
    with torch.no_grad():  # not inference_mode: the decoder trains on these tensors
        for start in range(0, len(x), batch):
            a = activations(net, x[start : start + batch].to(device), layer)[layer].float()
            out.append(a.flatten(2).transpose(1, 2).cpu())
            if progress is not None:
                progress(min(start + batch, len(x)), len(x))
    grid = (int(a.shape[2]), int(a.shape[3]))
    return Features(torch.cat(out).contiguous(), grid, layer)
