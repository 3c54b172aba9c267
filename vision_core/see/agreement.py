"""Do the attribution methods agree? Grad-CAM, occlusion and saliency maps of one photo compared on a common grid:
Spearman's rank correlation and the top-k % overlap, per pair.

Maps are ``(H, W)`` float arrays (the ``Attribution.heat`` maps are ``(224, 224)`` on the classifier's crop),
larger = more important. Each map is area-averaged to a ``grid`` × ``grid`` map first (``pool_to_grid``;
14 × 14 = 16-pixel cells of the 224 crop), so a method's pixel-level texture (saliency is speckled, Grad-CAM
smooth) does not decide the comparison. Spearman's ρ is ``scipy.stats.spearmanr`` of the two pooled maps'
cells (1: same order, −1: reversed, NaN: a constant map has no order); the top-k % overlap is the share of
the k % highest cells of one map that are also among the k % highest of the other (1: the same cells).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np

from vision_core.checks import check_int, check_range
from vision_core.errors import BadInput

__all__ = ["MapAgreement", "agreement", "overlap_picture", "pool_to_grid", "spearman", "top_cells", "top_k_overlap"]


def _heat(x: np.ndarray, name: str = "map") -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or min(x.shape) < 1:
        raise BadInput(f"The {name} must be a 2-D map (H, W), got shape {x.shape}.")
    if not np.all(np.isfinite(x)):
        raise BadInput(f"The {name} contains NaN or infinite values.")
    return x


def pool_to_grid(heat: np.ndarray, grid: int = 14) -> np.ndarray:
    """``heat`` ``(H, W)`` area-averaged to ``(grid, grid)`` (OpenCV INTER_AREA: the exact block mean when
    ``grid`` divides the sides, as 14 does 224)."""
    heat = _heat(heat)
    grid = check_int(grid, 2, min(heat.shape), "The comparison grid")
    return cv2.resize(heat, (grid, grid), interpolation=cv2.INTER_AREA).astype(np.float64)


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation of two maps of the same shape, cell by cell (``scipy.stats.spearmanr``, ties
    get their mean rank); NaN when either map is constant (it has no order)."""
    from scipy.stats import spearmanr

    a, b = _heat(a, "first map"), _heat(b, "second map")
    if a.shape != b.shape:
        raise BadInput(f"The maps must have the same shape, got {a.shape} and {b.shape}.")
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    return float(spearmanr(a.ravel(), b.ravel()).statistic)


def top_cells(heat: np.ndarray, percent: float) -> np.ndarray:
    """``(H, W)`` bool: the ⌈percent % of the cells⌉ highest cells of ``heat`` (at least one; equal values are
    taken in reading order, so exactly that many cells are marked)."""
    heat = _heat(heat)
    percent = check_range(percent, 1, 100, "The top-k share (%)")
    k = max(1, int(np.ceil(heat.size * percent / 100 - 1e-9)))
    order = np.argsort(-heat.ravel(), kind="stable")[:k]
    mask = np.zeros(heat.size, bool)
    mask[order] = True
    return mask.reshape(heat.shape)


def top_k_overlap(a: np.ndarray, b: np.ndarray, percent: float = 10) -> float:
    """The share of the top ``percent`` % cells of ``a`` that are also in the top ``percent`` % of ``b``
    (both sets have the same size, so the measure is symmetric): 1 = the same cells, 0 = none in common."""
    a, b = _heat(a, "first map"), _heat(b, "second map")
    if a.shape != b.shape:
        raise BadInput(f"The maps must have the same shape, got {a.shape} and {b.shape}.")
    ta, tb = top_cells(a, percent), top_cells(b, percent)
    return float((ta & tb).sum() / ta.sum())


@dataclass(frozen=True)
class MapAgreement:
    """Pairwise agreement of attribution maps: ``names`` (method per row/column), ``pooled`` (each map on the
    ``grid`` × ``grid`` grid), ``spearman`` and ``overlap`` ``(n, n)`` matrices (diagonal 1; ``overlap`` for the
    top ``percent`` % cells)."""

    names: tuple[str, ...]
    grid: int
    percent: float
    pooled: tuple[np.ndarray, ...]
    spearman: np.ndarray
    overlap: np.ndarray

    def pair(self, a: str, b: str) -> tuple[float, float]:
        """(Spearman ρ, top-k overlap) of methods ``a`` and ``b``."""
        for name in (a, b):
            if name not in self.names:
                raise BadInput(f"Unknown method {name!r}. Choose one of: {', '.join(self.names)}.")
        i, j = self.names.index(a), self.names.index(b)
        return float(self.spearman[i, j]), float(self.overlap[i, j])


def agreement(maps: Mapping[str, np.ndarray], grid: int = 14, percent: float = 10) -> MapAgreement:
    """Pool every map of ``maps`` (method name → ``(H, W)`` map, all the same shape) to ``grid`` × ``grid`` and
    compare every pair: Spearman's ρ and the top ``percent`` % overlap."""
    if len(maps) < 2:
        raise BadInput(f"Agreement needs at least two maps, got {len(maps)}.")
    shapes = {np.shape(m) for m in maps.values()}
    if len(shapes) != 1:
        raise BadInput(f"The maps must all have the same shape, got {sorted(shapes)}.")
    names = tuple(maps)
    pooled = tuple(pool_to_grid(maps[n], grid) for n in names)
    n = len(names)
    rho, overlap = np.eye(n), np.eye(n)
    for i in range(n):
        for j in range(i + 1, n):
            rho[i, j] = rho[j, i] = spearman(pooled[i], pooled[j])
            overlap[i, j] = overlap[j, i] = top_k_overlap(pooled[i], pooled[j], percent)
    for m in (*pooled, rho, overlap):
        m.setflags(write=False)
    return MapAgreement(names, int(grid), float(percent), pooled, rho, overlap)


_BOTH, _ONLY_A, _ONLY_B = (46, 160, 67), (31, 119, 180), (255, 127, 14)


def overlap_picture(crop: np.ndarray, a: np.ndarray, b: np.ndarray, percent: float = 10, alpha: float = 0.5) -> np.ndarray:
    """The crop ``(H, W, 3)`` uint8 with the top ``percent`` % cells of two pooled maps painted at opacity ``alpha``:
    green where both put them, blue only the first, orange only the second. ``(H, W, 3)`` uint8."""
    crop = np.asarray(crop)
    if crop.ndim != 3 or crop.shape[2] != 3 or crop.dtype != np.uint8:
        raise BadInput(f"The crop must be (H, W, 3) uint8, got {crop.dtype} {crop.shape}.")
    alpha = check_range(alpha, 0, 1, "Opacity")
    ta, tb = top_cells(a, percent), top_cells(b, percent)
    if ta.shape != tb.shape:
        raise BadInput(f"The maps must have the same shape, got {ta.shape} and {tb.shape}.")
    h, w = crop.shape[:2]
    paint = np.zeros(ta.shape + (3,), np.float32)
    paint[ta & tb], paint[ta & ~tb], paint[~ta & tb] = _BOTH, _ONLY_A, _ONLY_B
    big = cv2.resize(paint, (w, h), interpolation=cv2.INTER_NEAREST)
    hit = cv2.resize((ta | tb).astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)
    out = crop.astype(np.float32)
    out[hit] = (1 - alpha) * out[hit] + alpha * big[hit]
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)
