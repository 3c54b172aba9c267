"""MediaPipe's rotated square crops (the region of interest a landmark net sees), and the logistic sigmoid.

A crop is described by a 2×3 affine matrix ``m`` from crop pixels ``(u, v)`` to image pixels
``(x, y)``: ``[x, y] = m @ [u, v, 1]``. Points the landmark nets return in crop pixels map back
to the photo with the same matrix. Images are ``(H, W, 3)`` uint8 RGB; pixels outside the photo are black.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from vision_core.errors import BadInput

__all__ = ["check_input_side", "keypoint_rotation", "rotated_crop_matrix", "sigmoid", "to_image_points", "warp_crop"]


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + e^−x)`` elementwise, clipped to ±80 so large logits do not overflow."""
    return 1.0 / (1.0 + np.exp(-np.clip(x, -80.0, 80.0)))


def keypoint_rotation(start: np.ndarray, end: np.ndarray, target: float) -> float:
    """MediaPipe's crop rotation from two keypoints (``DetectionsToRectsCalculator``): the angle that turns the
    line ``start`` → ``end`` to ``target`` radians, ``target − atan2(−(y₁ − y₀), x₁ − x₀)``, wrapped to [−π, π)."""
    (x0, y0), (x1, y1) = start, end
    angle = target - math.atan2(-(y1 - y0), x1 - x0)
    return angle - 2 * math.pi * math.floor((angle + math.pi) / (2 * math.pi))


def rotated_crop_matrix(cx: float, cy: float, size: float, angle: float, out: int) -> np.ndarray:
    """2×3 affine map from crop pixels (``out``×``out``) to image pixels, for a square of side ``size``
    centred on (``cx``, ``cy``) and rotated by ``angle`` radians (MediaPipe's convention)."""
    c, s = math.cos(angle), math.sin(angle)
    k = size / out
    return np.array([[c * k, -s * k, cx - c * size / 2 + s * size / 2],
                     [s * k, c * k, cy - s * size / 2 - c * size / 2]], dtype=np.float64)


def warp_crop(image: np.ndarray, m: np.ndarray, out: int) -> np.ndarray:
    """The ``(out, out, 3)`` uint8 crop of ``image`` that ``m`` describes (bilinear, black outside the photo)."""
    return cv2.warpAffine(image, m, (out, out), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))


def to_image_points(points: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``(N, 2)`` crop pixels → ``(N, 2)`` image pixels through the crop matrix ``m``."""
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    return np.c_[p, np.ones(len(p))] @ m.T


def check_input_side(input_hw: tuple[int, int], side: int, what: str) -> None:
    """``BadInput`` unless the network's input is ``side`` × ``side`` (the recipe and the loaded file must agree)."""
    if tuple(input_hw) != (side, side):
        raise BadInput(f"{what} expects {input_hw[0]}×{input_hw[1]} inputs, but its preprocessing says {side}×{side}.")
