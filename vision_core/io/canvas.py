"""Reading a drawing from the browser canvas: ``(H, W, 4)`` uint8 RGBA → ink, a ±1 grid, an MNIST digit.

Two canvases exist in the course: dark ink on white paper (the convolution page's X) and white
ink on black (the train-a-CNN page's digits, drawn like MNIST). ``ink`` turns either into a
``(H, W)`` float32 map in [0, 1], 1 = full ink; everything else reads that map.
"""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

from vision_core.checks import check_choice, check_int, check_range
from vision_core.errors import BadInput

__all__ = ["INKS", "canvas_to_digit", "canvas_to_grid", "has_ink", "ink"]

Ink = Literal["dark", "light"]
INKS: tuple[str, ...] = ("dark", "light")


def _rgba(rgba: object) -> np.ndarray:
    arr = np.asarray(rgba)
    if arr.ndim != 3 or arr.shape[2] not in (3, 4) or arr.shape[0] < 8 or arr.shape[1] < 8:
        raise BadInput(f"A drawing must be an (H, W, 4) RGBA image of at least 8×8 pixels, got shape {arr.shape}.")
    return arr


def ink(rgba: np.ndarray, kind: Ink = "dark") -> np.ndarray:
    """How much ink each pixel holds, ``(H, W)`` float32 in [0, 1].

    ``dark``: ink is dark paint on light paper (1 − luma), ``light``: white ink on black (luma); either way
    weighted by the alpha channel when there is one (transparent = no ink). Luma is BT.601.
    """
    arr = _rgba(rgba)
    check_choice(kind, INKS, "ink")
    lum = arr[..., :3].astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32) / 255.0
    amount = lum if kind == "light" else 1.0 - lum
    if arr.shape[2] == 4:
        amount = amount * (arr[..., 3].astype(np.float32) / 255.0)
    return np.clip(amount, 0.0, 1.0).astype(np.float32)


def has_ink(rgba: np.ndarray, kind: Ink = "dark", level: float = 0.5) -> bool:
    """True when some pixel of the drawing holds at least ``level`` ink (False for anything that is not a drawing)."""
    try:
        return bool((ink(rgba, kind) >= level).any())
    except BadInput:
        return False


def canvas_to_grid(rgba: np.ndarray, size: int = 9, kind: Ink = "dark", threshold: float = 0.25) -> np.ndarray:
    """The drawing reduced to ``(size, size)`` float32 cells: +1 where a cell's mean ink is at least
    ``threshold`` × the inkiest cell's, −1 elsewhere (the lecture's ±1 pixel convention)."""
    check_int(size, 3, 64, "The grid size")
    check_range(threshold, 0.0, 1.0, "The ink threshold")
    amount = ink(rgba, kind)
    if amount.max() <= 0.1:
        raise BadInput("The canvas is empty: draw something first.")
    small = cv2.resize(amount, (size, size), interpolation=cv2.INTER_AREA)
    return np.where(small >= threshold * small.max(), 1.0, -1.0).astype(np.float32)


def canvas_to_digit(rgba: np.ndarray, kind: Ink = "light") -> np.ndarray:
    """A drawn digit → ``(28, 28)`` uint8 prepared like MNIST: the ink's bounding box scaled to fit
    20×20 (aspect kept), then shifted so its centre of mass is at the centre of the 28×28 field."""
    amount = ink(rgba, kind)
    mask = amount > 0.1
    if mask.sum() < 4:
        raise BadInput("The canvas is empty: draw a digit first.")
    ys, xs = np.nonzero(mask)
    crop = amount[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = crop.shape
    scale = 20.0 / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    small = cv2.resize(crop, (nw, nh), interpolation=cv2.INTER_AREA)
    field = np.zeros((28, 28), np.float32)
    top, left = (28 - nh) // 2, (28 - nw) // 2
    field[top : top + nh, left : left + nw] = small
    total = field.sum()
    cy = (field.sum(1) * np.arange(28)).sum() / total
    cx = (field.sum(0) * np.arange(28)).sum() / total
    shift = np.float32([[1, 0, 13.5 - cx], [0, 1, 13.5 - cy]])
    field = cv2.warpAffine(field, shift, (28, 28), flags=cv2.INTER_LINEAR, borderValue=0)
    return np.clip(np.rint(field * 255), 0, 255).astype(np.uint8)
