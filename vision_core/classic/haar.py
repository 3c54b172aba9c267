"""Haar-like features on the integral image (Viola & Jones 2001), and how to draw them.

Grey images are ``(H, W)`` uint8; the integral image ``ii`` of an ``(H, W)`` image is ``(H+1, W+1)``
with ``ii[y, x]`` = sum of ``gray[:y, :x]``. A feature is placed by its box ``(x, y, w, h)``: top-left
corner, width and height in pixels of the window it is evaluated on.
"""

from __future__ import annotations

import cv2
import numpy as np

from vision_core.checks import check_choice, check_image
from vision_core.errors import BadInput
from vision_core.io.images import to_gray

__all__ = [
    "HAAR_DEMO",
    "HAAR_TYPES",
    "draw_haar_feature",
    "haar_feature_value",
    "haar_rects",
    "haar_window",
    "integral_image",
    "integral_image_view",
    "rect_sum",
]

HAAR_TYPES: dict[str, tuple[tuple[int, int], tuple[tuple[int, int, int, int, int], ...]]] = {
    "edge_horizontal": ((2, 1), ((0, 0, 1, 1, 1), (1, 0, 1, 1, -1))),
    "edge_vertical": ((1, 2), ((0, 0, 1, 1, 1), (0, 1, 1, 1, -1))),
    "line_horizontal": ((3, 1), ((0, 0, 1, 1, 1), (1, 0, 1, 1, -1), (2, 0, 1, 1, 1))),
    "line_vertical": ((1, 3), ((0, 0, 1, 1, 1), (0, 1, 1, 1, -1), (0, 2, 1, 1, 1))),
    "four_rectangle": ((2, 2), ((0, 0, 1, 1, 1), (1, 0, 1, 1, -1), (0, 1, 1, 1, -1), (1, 1, 1, 1, 1))),
}
"""Feature type → ((cells across, cells down), cells as (cx, cy, cw, ch, sign)); sign +1 white, −1 black.

``edge_horizontal``: white left, black right; ``edge_vertical``: white top, black bottom; ``line_*``:
white–black–white; ``four_rectangle``: a 2×2 checkerboard. Value = Σ white − Σ black pixels."""

HAAR_DEMO: dict[str, tuple[int, int, int, int]] = {
    "edge_horizontal": (2, 4, 20, 8),
    "edge_vertical": (2, 4, 20, 12),
    "line_horizontal": (3, 6, 18, 6),
    "line_vertical": (4, 6, 16, 12),
    "four_rectangle": (4, 4, 16, 16),
}
"""One placement (x, y, w, h) of each feature type on a 24×24 face window (eyes band, nose bridge …)."""


def integral_image(gray: np.ndarray) -> np.ndarray:
    """Summed-area table of ``(H, W)`` as ``(H+1, W+1)`` (int64 for integer input, float64 otherwise).

    ``ii[y, x]`` = sum of ``gray[:y, :x]``, so the sum of ``gray[y0:y1, x0:x1]`` is
    ``ii[y1, x1] − ii[y0, x1] − ii[y1, x0] + ii[y0, x0]`` (four look-ups, whatever the size).
    """
    gray = np.asarray(gray)
    if gray.ndim != 2 or min(gray.shape) < 1:
        raise BadInput(f"integral_image needs a 2-D grey image, got shape {gray.shape}.")
    dtype = np.int64 if np.issubdtype(gray.dtype, np.integer) else np.float64
    ii = np.zeros((gray.shape[0] + 1, gray.shape[1] + 1), dtype=dtype)
    np.cumsum(np.cumsum(gray.astype(dtype), axis=0), axis=1, out=ii[1:, 1:])
    return ii


def rect_sum(ii: np.ndarray, x: int, y: int, w: int, h: int) -> float:
    """Sum of the ``w``×``h`` rectangle with top-left (x, y), from the integral image ``ii`` in four look-ups."""
    return float(ii[y + h, x + w] - ii[y, x + w] - ii[y + h, x] + ii[y, x])


def haar_rects(kind: str, x: int, y: int, w: int, h: int) -> list[tuple[int, int, int, int, int]]:
    """The cells of feature ``kind`` in the box (x, y, w, h) as (x, y, w, h, sign), sign +1 white, −1 black."""
    check_choice(kind, HAAR_TYPES, "Haar feature type")
    (nx, ny), cells = HAAR_TYPES[kind]
    if w < nx or h < ny or w % nx or h % ny:
        raise BadInput(f"A {kind} feature needs a width divisible by {nx} and a height divisible by {ny}; got {w}×{h}.")
    cw, ch = w // nx, h // ny
    return [(x + cx * cw, y + cy * ch, cw, ch, sign) for cx, cy, _, _, sign in cells]


def haar_feature_value(ii: np.ndarray, kind: str, x: int, y: int, w: int, h: int) -> float:
    """Σ white − Σ black of Haar feature ``kind`` whose ``w``×``h`` box has its top-left at (x, y), from ``ii``."""
    if x < 0 or y < 0 or y + h >= ii.shape[0] or x + w >= ii.shape[1]:
        raise BadInput(f"The feature box ({x}, {y}, {w}×{h}) leaves the {ii.shape[1] - 1}×{ii.shape[0] - 1} image.")
    return sum(sign * rect_sum(ii, rx, ry, rw, rh) for rx, ry, rw, rh, sign in haar_rects(kind, x, y, w, h))


def draw_haar_feature(gray: np.ndarray, kind: str, x: int, y: int, w: int, h: int, zoom: int = 8) -> np.ndarray:
    """``(H·zoom, W·zoom, 3)`` uint8: the grey crop enlarged with the feature's white/black cells tinted over it
    and the feature's box outlined in red."""
    gray = np.asarray(gray, dtype=np.uint8)
    if gray.ndim != 2:
        raise BadInput("draw_haar_feature needs a 2-D grey crop.")
    big = cv2.resize(gray, (gray.shape[1] * zoom, gray.shape[0] * zoom), interpolation=cv2.INTER_NEAREST)
    rgb = np.repeat(big[..., None], 3, axis=2).astype(np.float32)
    for rx, ry, rw, rh, sign in haar_rects(kind, x, y, w, h):
        sl = np.s_[ry * zoom:(ry + rh) * zoom, rx * zoom:(rx + rw) * zoom]
        tint = np.array([255, 255, 255] if sign > 0 else [0, 0, 0], np.float32)
        rgb[sl] = 0.45 * rgb[sl] + 0.55 * tint
    out = np.clip(rgb, 0, 255).astype(np.uint8)
    cv2.rectangle(out, (x * zoom, y * zoom), ((x + w) * zoom - 1, (y + h) * zoom - 1), (255, 0, 0), 2)
    return out


def integral_image_view(gray: np.ndarray, zoom: int = 1) -> np.ndarray:
    """The integral image of ``(H, W)`` grey rescaled to uint8 for display (0 = 0, 255 = total sum), enlarged
    ``zoom`` times: ``(H·zoom, W·zoom)``."""
    ii = integral_image(np.asarray(gray, dtype=np.uint8))[1:, 1:].astype(np.float64)
    view = np.clip(np.rint(ii / max(ii[-1, -1], 1.0) * 255), 0, 255).astype(np.uint8)
    return cv2.resize(view, (view.shape[1] * zoom, view.shape[0] * zoom), interpolation=cv2.INTER_NEAREST)


def haar_window(image: np.ndarray, box: np.ndarray | tuple[int, int, int, int] | None = None, side: int = 24) -> np.ndarray:
    """The grey ``(side, side)`` uint8 window of ``box`` (xyxy; default: the central square half the short side),
    resized as the detector sees it."""
    gray = to_gray(check_image(image))
    h, w = gray.shape
    if box is None:
        s = max(min(h, w) // 2, 1)
        box = ((w - s) // 2, (h - s) // 2, (w + s) // 2, (h + s) // 2)
    x0, y0, x1, y1 = (int(v) for v in box)
    if not (0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h):
        raise BadInput(f"The box ({x0}, {y0}, {x1}, {y1}) is not inside the {w}×{h} image.")
    return cv2.resize(np.ascontiguousarray(gray[y0:y1, x0:x1]), (side, side), interpolation=cv2.INTER_AREA)
