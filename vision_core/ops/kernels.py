"""Kernels for the convolution playground: presets, typed kernels, display mappings, one conv layer on a photo.

Kernels are ``(kh, kw)`` float64 arrays (at most ``MAX_KERNEL`` × ``MAX_KERNEL``); photos are ``(H, W, 3)``
uint8 RGB; outputs stay in 0–255 units until ``to_display`` maps them to uint8 for the screen.
``KERNEL_PRESETS`` keeps the names the page's links use (``?conv_preset=Sobel x``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from vision_core.checks import check_choice
from vision_core.errors import BadInput
from vision_core.ops.conv import X_FILTERS, conv2d, pool2d

__all__ = [
    "DISPLAY_MODES",
    "KERNEL_PRESETS",
    "MAX_ABS_WEIGHT",
    "MAX_KERNEL",
    "LayerOutput",
    "apply_layer",
    "kernel_from_text",
    "kernel_to_text",
    "normalise_kernel",
    "parse_kernel",
    "preset_kernel",
    "start_kernel",
    "to_display",
]

MAX_KERNEL = 7
MAX_ABS_WEIGHT = 1e6
DISPLAY_MODES = ("clip", "stretch", "abs")

KERNEL_PRESETS: dict[str, np.ndarray] = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=np.float64),
    "box blur 1/9": np.full((3, 3), 1 / 9),
    "box blur 5×5": np.full((5, 5), 1 / 25),
    "Gaussian 3×3": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=np.float64) / 16,
    "Gaussian 5×5": np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]).astype(np.float64) / 256,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=np.float64),
    "edge (−1 … 8 … −1)": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], dtype=np.float64),
    "Sobel x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float64),
    "Sobel y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=np.float64),
    "Laplacian": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=np.float64),
    "emboss": np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], dtype=np.float64),
    # the lecture's X filters (ops.conv.X_FILTERS), under the names shared links already use
    **{name: k.astype(np.float64) for name, k in zip(("X diagonal ╲", "X centre ✕", "X diagonal ╱"), X_FILTERS)},
}
"""Named 3×3 and 5×5 kernels, in the order the page lists them."""


def kernel_to_text(kernel: np.ndarray) -> str:
    """A kernel as link text: cells joined by ``~``, rows by ``_`` (six significant digits), e.g. ``1~0~-1_2~0~-2_1~0~-1``."""
    k = np.asarray(kernel, dtype=np.float64)
    if k.ndim != 2 or not k.size:
        raise BadInput("A kernel is a non-empty 2-D grid of numbers.")
    return "_".join("~".join(f"{v:.6g}" for v in row) for row in k)


def kernel_from_text(text: str) -> np.ndarray:
    """The kernel written by ``kernel_to_text``; ``BadInput`` (naming the bad cell) for anything else."""
    if not isinstance(text, str) or not text.strip() or len(text) > 2000:
        raise BadInput("The kernel in the link is empty or too long.")
    return parse_kernel([row.split("~") for row in text.strip().split("_")])


def parse_kernel(cells: Sequence[Sequence[object]], max_abs: float = MAX_ABS_WEIGHT) -> np.ndarray:
    """Turn a grid of cells (numbers or text such as ``"1/9"``, ``"-0.5"``) into a float kernel.

    Raises ``BadInput`` naming the first bad cell (1-based row and column): empty, not a number,
    NaN, infinite or larger than ``max_abs`` in absolute value; or a grid that is not rectangular,
    empty or larger than 7×7.
    """
    rows = [list(r) for r in cells]
    if not rows or not rows[0]:
        raise BadInput("The kernel is empty: it needs at least one row and one column.")
    width = len(rows[0])
    if any(len(r) != width for r in rows):
        raise BadInput("Every kernel row must have the same number of cells.")
    if len(rows) > MAX_KERNEL or width > MAX_KERNEL:
        raise BadInput(f"Kernels here are at most {MAX_KERNEL}×{MAX_KERNEL}; this one is {width}×{len(rows)}.")
    out = np.zeros((len(rows), width), dtype=np.float64)
    for i, r in enumerate(rows):
        for j, cell in enumerate(r):
            where = f"Row {i + 1}, column {j + 1}"
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                raise BadInput(f"{where} is empty: type a number (0 if it should not count).")
            if isinstance(cell, str):
                text = cell.strip().replace("−", "-").replace(",", ".")
                try:
                    if "/" in text:
                        num, den = text.split("/", 1)
                        value = float(num) / float(den)
                    else:
                        value = float(text)
                except (ValueError, ZeroDivisionError):
                    raise BadInput(f"{where} holds {cell!r}, which is not a number.") from None
            else:
                try:
                    value = float(cell)  # type: ignore[arg-type]
                except (TypeError, ValueError):
                    raise BadInput(f"{where} holds {cell!r}, which is not a number.") from None
            if math.isnan(value):
                raise BadInput(f"{where} is empty or NaN: every weight must be a number.")
            if math.isinf(value):
                raise BadInput(f"{where} is infinite: every weight must be a finite number.")
            if abs(value) > max_abs:
                raise BadInput(f"{where} is {value:g}; weights here are limited to ±{max_abs:g}.")
            out[i, j] = value
    return out


def preset_kernel(name: str) -> np.ndarray:
    """A copy of the named preset kernel (see ``KERNEL_PRESETS``)."""
    check_choice(name, KERNEL_PRESETS, "kernel preset")
    return KERNEL_PRESETS[name].copy()


def start_kernel(preset: str, size: int = 3) -> np.ndarray:
    """The kernel the editor starts from: a copy of ``preset``, or for ``"custom"`` the ``size`` × ``size``
    identity (1 in the centre cell, 0 elsewhere)."""
    if preset != "custom":
        return preset_kernel(preset)
    if not 1 <= int(size) <= MAX_KERNEL:
        raise BadInput(f"A custom kernel is 1 to {MAX_KERNEL} cells wide, got {size}.")
    out = np.zeros((int(size), int(size)))
    out[int(size) // 2, int(size) // 2] = 1.0
    return out


def normalise_kernel(kernel: np.ndarray) -> np.ndarray:
    """Divide by the sum so the weights add up to 1 (brightness is kept); raises when the sum is 0."""
    total = float(np.sum(kernel))
    if abs(total) < 1e-12:
        raise BadInput("These weights add up to 0, so they cannot be normalised to sum 1 (edge filters are like that).")
    return np.asarray(kernel, dtype=np.float64) / total


def to_display(out: np.ndarray, mode: str = "clip") -> tuple[np.ndarray, str]:
    """Map a float output map to uint8 for display; returns the image and the sentence that states the mapping.

    ``clip``: values below 0 → 0 (black), above 255 → 255 (white). ``stretch``: min → 0, max → 255.
    ``abs``: |value|, clipped to 255 (edges of both signs show bright).
    """
    out = np.asarray(out, dtype=np.float64)
    lo, hi = float(out.min()), float(out.max())
    if mode == "clip":
        img = np.clip(np.rint(out), 0, 255)
        text = "values below 0 shown black, above 255 white, in between as they are"
    elif mode == "stretch":
        img = np.zeros_like(out) if hi <= lo else np.rint((out - lo) / (hi - lo) * 255)
        text = f"minimum {lo:.4g} → 0 (black), maximum {hi:.4g} → 255 (white), linear in between"
    elif mode == "abs":
        img = np.clip(np.rint(np.abs(out)), 0, 255)
        text = "absolute value |v|, clipped to 255: strong responses of either sign are bright"
    else:
        raise BadInput(f"Display mapping must be clip, stretch or abs, not {mode!r}.")
    return img.astype(np.uint8), text


@dataclass(frozen=True)
class LayerOutput:
    """One conv layer applied to a photo: ``raw`` is the conv output ``(H', W')`` or ``(H', W', 3)`` after bias
    (and ReLU when asked), ``output`` the same after pooling; ``display`` its uint8 picture and ``mapping``
    the sentence that says how values became 0–255."""

    input: np.ndarray
    raw: np.ndarray
    output: np.ndarray
    display: np.ndarray
    mapping: str
    low: float
    high: float


def apply_layer(
    image: np.ndarray,
    kernel: np.ndarray,
    *,
    grey: bool = True,
    stride: int = 1,
    padding: int | str = 0,
    dilation: int = 1,
    bias: float = 0.0,
    flip: bool = False,
    padding_mode: str = "zeros",
    relu: bool = False,
    pool: str = "none",
    pool_size: int = 2,
    pool_stride: int = 2,
    display: str = "clip",
) -> LayerOutput:
    """Conv (+ bias) → optional ReLU → optional max/average pooling on an ``(H, W, 3)`` uint8 photo.

    ``grey=True`` converts to BT.601 grey first (``(H, W)`` input); otherwise the 2-D kernel runs on each of
    R, G, B. Values stay in 0–255 units; ``display`` picks the mapping for the picture (see ``to_display``).
    """
    image = np.asarray(image)
    x = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2GRAY) if grey and image.ndim == 3 else image
    raw = conv2d(x, kernel, stride=stride, padding=padding, dilation=dilation, bias=bias, flip=flip, padding_mode=padding_mode)
    if relu:
        raw = np.maximum(raw, 0)
    out = raw if pool == "none" else pool2d(raw, pool_size, pool_stride, pool)
    shown, text = to_display(out, display)
    return LayerOutput(x, raw, out, shown, text, float(out.min()), float(out.max()))
