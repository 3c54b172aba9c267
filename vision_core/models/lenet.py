"""LeNet-5 as the lecture draws it, and the lecture's Keras variant (3×3 filters, average pooling).

Lecture (LeCun 1998, on MNIST): 32×32×1 → conv 5×5 → 28×28×6 → subsample → 14×14×6 →
conv 5×5 → 10×10×16 → subsample → 5×5×16 → FC 120 → FC 84 → 10.
Keras variant: Conv2D(6, 3×3, relu) → AveragePooling2D → Conv2D(16, 3×3, relu) →
AveragePooling2D → Flatten → Dense 120 relu → Dense 84 relu → Dense 10 (softmax in the loss).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import torch
from torch import nn

from vision_core.errors import BadInput

__all__ = ["LENET5_SHAPES", "digit_tensor", "lenet5", "pad_to_32"]

LENET5_SHAPES: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("input", (1, 32, 32)),
    ("conv1", (6, 28, 28)),
    ("subsample1", (6, 14, 14)),
    ("conv2", (16, 10, 10)),
    ("subsample2", (16, 5, 5)),
    ("fc1", (120,)),
    ("fc2", (84,)),
    ("output", (10,)),
)
"""The lecture's LeNet-5 shapes, (C, H, W) after each named stage."""


def lenet5(variant: Literal["lecture", "keras"] = "lecture", activation: Literal["relu", "tanh"] = "relu") -> nn.Sequential:
    """A fresh LeNet-5 for ``(N, 1, 32, 32)`` input (MNIST's 28×28 padded by 2), 10 logits out.

    Module names: ``conv1, act1, subsample1, conv2, act2, subsample2, flatten, fc1, act3, fc2, act4, output``.
    """
    if variant not in ("lecture", "keras"):
        raise ValueError(f"variant must be 'lecture' or 'keras', got {variant!r}.")
    if activation not in ("relu", "tanh"):
        raise ValueError(f"activation must be 'relu' or 'tanh', got {activation!r}.")
    act = nn.ReLU if activation == "relu" else nn.Tanh
    k = 5 if variant == "lecture" else 3
    flat = 16 * 5 * 5 if variant == "lecture" else 16 * 6 * 6
    return nn.Sequential(
        _named(
            conv1=nn.Conv2d(1, 6, k),
            act1=act(),
            subsample1=nn.AvgPool2d(2),
            conv2=nn.Conv2d(6, 16, k),
            act2=act(),
            subsample2=nn.AvgPool2d(2),
            flatten=nn.Flatten(),
            fc1=nn.Linear(flat, 120),
            act3=act(),
            fc2=nn.Linear(120, 84),
            act4=act(),
            output=nn.Linear(84, 10),
        )
    )


def _named(**modules: nn.Module) -> "dict[str, nn.Module]":
    from collections import OrderedDict

    return OrderedDict(modules)


def digit_tensor(digits: np.ndarray) -> torch.Tensor:
    """MNIST-style digits ``(N, 28, 28)`` or ``(28, 28)`` uint8 → ``(N, 1, 28, 28)`` float32 in 0–1."""
    arr = np.asarray(digits)
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3 or arr.shape[1:] != (28, 28):
        raise BadInput(f"Digits must be 28×28 images, got shape {arr.shape}.")
    return torch.from_numpy(arr.astype(np.float32) / 255.0)[:, None]


def pad_to_32(images: torch.Tensor) -> torch.Tensor:
    """``(N, 1, 28, 28)`` → ``(N, 1, 32, 32)`` with 2 zero pixels each side, as LeCun fed MNIST to LeNet-5."""
    if images.shape[-2:] != (28, 28):
        raise ValueError(f"expected 28×28 digits, got {tuple(images.shape[-2:])}.")
    return nn.functional.pad(images, (2, 2, 2, 2))
