"""Image grids, written once: tiles in rows and columns on white, and float maps scaled to grey tiles.

``tile_grid`` lays out ``(N, h, w, 3)`` uint8 tiles (filters, feature maps, GAN faces, patches);
``maps_to_tiles`` turns ``(N, h, w)`` float maps (activations, kernels) into uint8 tiles, each
scaled on its own. ``Grid.index_at`` maps a click on the grid back to a tile.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision_core.checks import check_int
from vision_core.errors import BadInput

__all__ = ["Grid", "maps_to_tiles", "tile_grid", "tile_maps"]


@dataclass(frozen=True)
class Grid:
    """Tiles laid out in rows: ``image`` ``(H, W, 3)`` uint8; tile ``i`` sits at row ``i // cols``,
    column ``i % cols``, each cell ``cell`` pixels wide plus ``gap`` (and ``border`` around the whole)."""

    image: np.ndarray
    cols: int
    cell: int
    gap: int
    count: int
    border: int = 0

    def index_at(self, x: float, y: float) -> int | None:
        """The tile under pixel ``(x, y)`` of ``image`` (None on a gap or outside)."""
        x, y = x - self.border, y - self.border
        step = self.cell + self.gap
        col, row = int(x // step), int(y // step)
        if x < 0 or y < 0 or col >= self.cols or x - col * step >= self.cell or y - row * step >= self.cell:
            return None
        i = row * self.cols + col
        return i if i < self.count else None


def tile_grid(tiles: np.ndarray, cols: int, cell: int | None = None, gap: int = 2, *, border: int = 0,
              background: int = 255) -> Grid:
    """Lay ``(N, h, w, 3)`` (or ``(N, h, w)`` grey) uint8 tiles in a grid of ``cols`` columns on ``background``,
    each upscaled to ``cell`` × ``cell`` pixels with nearest neighbours (default: the tiles' own size, kept)."""
    t = np.asarray(tiles)
    if t.ndim == 3:
        t = np.repeat(t[..., None], 3, axis=3)
    if t.ndim != 4 or t.shape[-1] != 3 or len(t) == 0 or t.dtype != np.uint8:
        raise BadInput(f"tiles must be (N, h, w, 3) uint8 with N ≥ 1, got {t.shape} {t.dtype}.")
    check_int(cols, 1, None, "The number of columns")
    check_int(gap, 0, None, "The gap")
    check_int(border, 0, None, "The border")
    n, th, tw = t.shape[:3]
    ch, cw = (th, tw) if cell is None else (check_int(cell, 1, 4096, "The cell size"),) * 2
    cols = min(cols, n)
    rows = -(-n // cols)
    out = np.full((rows * (ch + gap) - gap + 2 * border, cols * (cw + gap) - gap + 2 * border, 3), background, np.uint8)
    for i, tile in enumerate(t):
        r, c = divmod(i, cols)
        big = tile if (th, tw) == (ch, cw) else cv2.resize(np.ascontiguousarray(tile), (cw, ch), interpolation=cv2.INTER_NEAREST)
        y, x = border + r * (ch + gap), border + c * (cw + gap)
        out[y : y + ch, x : x + cw] = big
    return Grid(out, cols, cw, gap, n, border)


def maps_to_tiles(maps: np.ndarray, symmetric: bool = False) -> np.ndarray:
    """``(N, h, w)`` float maps → ``(N, h, w)`` uint8, each scaled on its own: min → 0, max → 255, or with
    ``symmetric`` 0 → mid-grey and ±max|v| → 0/255 (for signed kernels)."""
    m = np.nan_to_num(np.asarray(maps, np.float32))
    if m.ndim != 3 or len(m) == 0:
        raise BadInput(f"Expected a (N, h, w) stack of maps, got shape {m.shape}.")
    flat = m.reshape(len(m), -1)
    if symmetric:
        peak = np.abs(flat).max(1)
        peak[peak == 0] = 1.0
        norm = (m / peak[:, None, None] + 1) / 2
    else:
        lo, hi = flat.min(1)[:, None, None], flat.max(1)[:, None, None]
        span = np.where(hi > lo, hi - lo, 1.0)
        norm = np.where(hi > lo, (m - lo) / span, 0.0)
    return (np.clip(norm, 0, 1) * 255).astype(np.uint8)


def tile_maps(maps: np.ndarray, columns: int = 8, cell: int = 56, gap: int = 4, symmetric: bool = False) -> np.ndarray:
    """A grey grid image ``(H, W)`` uint8 of ``(N, h, w)`` float maps (``maps_to_tiles``), each shown at ``cell``
    pixels (nearest), white gaps between cells."""
    return tile_grid(maps_to_tiles(maps, symmetric), columns, cell, gap).image[..., 0].copy()
