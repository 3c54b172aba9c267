"""Where the decoder looked: each word's attention ``α_t`` over the ``h × w`` regions, upsampled onto the scene.

``attention_grid(alpha, grid)`` turns ``(L,)`` weights into the ``(h, w)`` map (row-major regions, as
``encoder.Features``). ``attention_overlays`` blends every step's map over the scene with
``ops.draw.overlay_heatmap`` (bilinear upsampling, viridis: yellow = most attention), and
``attention_strip`` lays them out with ``ops.tiling.tile_grid``. Images are ``(H, W, 3)`` uint8 RGB.
"""

from __future__ import annotations

import numpy as np

from vision_core.checks import check_fraction, check_image, check_int
from vision_core.errors import BadInput
from vision_core.ops.draw import overlay_heatmap
from vision_core.ops.tiling import Grid, tile_grid

__all__ = ["attention_grid", "attention_overlays", "attention_strip"]


def attention_grid(alpha: np.ndarray, grid: tuple[int, int]) -> np.ndarray:
    """``(L,)`` attention weights → the ``(h, w)`` float32 map of the regions they weigh (``L = h·w``)."""
    a = np.asarray(alpha, np.float32)
    h, w = (check_int(grid[0], 1, 1024, "The grid height"), check_int(grid[1], 1, 1024, "The grid width"))
    if a.shape != (h * w,):
        raise BadInput(f"Attention over a {h}×{w} grid has {h * w} weights, got shape {a.shape}.")
    return a.reshape(h, w)


def attention_overlays(image: np.ndarray, alphas: np.ndarray, grid: tuple[int, int], opacity: float = 0.6) -> np.ndarray:
    """``(T, H, W, 3)`` uint8: step ``t``'s attention map upsampled and blended over ``image``."""
    image = check_image(image)
    check_fraction(opacity, "Opacity")
    a = np.asarray(alphas, np.float32)
    if a.ndim != 2 or len(a) == 0:
        raise BadInput(f"Attention must be (steps, regions), got shape {a.shape}.")
    return np.stack([overlay_heatmap(image, attention_grid(row, grid), opacity) for row in a])


def attention_strip(image: np.ndarray, alphas: np.ndarray, grid: tuple[int, int], cols: int = 8, cell: int = 144,
                    opacity: float = 0.6) -> Grid:
    """Every step's overlay in a grid of ``cols`` columns, each ``cell`` pixels square (nearest-neighbour zoom)."""
    return tile_grid(attention_overlays(image, alphas, grid, opacity), cols, cell, gap=4)
