"""Image sizes and tensors for the style modules: long-side fitting, centre squares, uint8 ↔ ``[0, 1]`` tensors.

Images are ``(H, W, 3)`` uint8 RGB; sizes given as ``(W, H)`` follow PIL. Tensors are
``(1, 3, H, W)`` float32 RGB in ``[0, 1]``. Resizing uses PIL's Lanczos filter (antialiased).
"""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

__all__ = ["center_square", "fit_side", "resize_to", "to_image", "to_tensor", "unit_to_uint8"]


def resize_to(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``(H, W, 3)`` uint8 → ``(size[1], size[0], 3)`` with an antialiased filter; ``size`` is ``(W, H)``."""
    if (image.shape[1], image.shape[0]) == size:
        return np.ascontiguousarray(image)
    return np.asarray(Image.fromarray(np.ascontiguousarray(image)).resize(size, Image.Resampling.LANCZOS))


def fit_side(image: np.ndarray, side: int) -> np.ndarray:
    """Scale ``(H, W, 3)`` so its long side is ``side`` (up or down), keeping the aspect ratio (sides ≥ 8)."""
    h, w = image.shape[:2]
    scale = side / max(h, w)
    return resize_to(image, (max(8, round(w * scale)), max(8, round(h * scale))))


def center_square(image: np.ndarray, side: int) -> np.ndarray:
    """The centre square of ``(H, W, 3)`` uint8, resized to ``side`` × ``side``."""
    h, w = image.shape[:2]
    s = min(h, w)
    top, left = (h - s) // 2, (w - s) // 2
    return resize_to(image[top : top + s, left : left + s], (side, side))


def to_tensor(image: np.ndarray, device: torch.device) -> torch.Tensor:
    """``(H, W, 3)`` uint8 → ``(1, 3, H, W)`` float32 in ``[0, 1]`` on ``device``."""
    return torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1))).float().div(255.0)[None].to(device)


def to_image(x: torch.Tensor) -> np.ndarray:
    """``(1, 3, H, W)`` in ``[0, 1]`` → ``(H, W, 3)`` uint8 (clamped, rounded)."""
    arr = x.detach()[0].clamp(0, 1).mul(255.0).round().to(torch.uint8).permute(1, 2, 0).cpu().numpy()
    return np.ascontiguousarray(arr)


def unit_to_uint8(arr: np.ndarray) -> np.ndarray:
    """``(H, W, 3)`` float in ``[0, 1]`` → uint8, rounded half up (values outside are clipped)."""
    return np.ascontiguousarray((np.clip(arr, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8))
