"""Do two segmenters agree? Mask IoU (intersection over union of two masks), per class for two class maps with
the mean IoU over the classes either map uses, and a picture of where they agree.

The one mask IoU of the app (box IoU is ``ops.boxes``): IoU = |A ∩ B| / |A ∪ B|, 1 = the same pixels, 0 = none
in common, NaN when both masks are empty (nothing to compare; such classes are left out of the mean).

Conventions: masks ``(H, W)`` bool; class maps ``(H, W)`` integer indices into ``class_names``; images
``(H, W, 3)`` uint8 RGB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from vision_core.checks import check_fraction, check_image
from vision_core.errors import BadInput

from .semantic import blend_masks

__all__ = ["AGREE_COLOURS", "ClassAgreement", "MaskAgreement", "class_agreement", "mask_agreement_picture",
           "mask_iou", "union_mask"]

AGREE_COLOURS: dict[str, tuple[int, int, int]] = {"both": (46, 160, 67), "only A": (31, 119, 180),
                                                   "only B": (255, 127, 14)}
"""How ``mask_agreement_picture`` paints the pixels: in both masks green, only the first blue, only the second orange."""


@dataclass(frozen=True)
class MaskAgreement:
    """Two masks compared: pixel counts of each, of their intersection and union, and ``iou`` = intersection /
    union (NaN when both are empty)."""

    pixels_a: int
    pixels_b: int
    intersection: int
    union: int

    @property
    def iou(self) -> float:
        return self.intersection / self.union if self.union else float("nan")

    @property
    def only_a(self) -> int:
        return self.pixels_a - self.intersection

    @property
    def only_b(self) -> int:
        return self.pixels_b - self.intersection


def _masks(a: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim != 2 or a.shape != b.shape:
        raise BadInput(f"The two masks must be (H, W) of the same size, got {a.shape} and {b.shape}.")
    return a.astype(bool, copy=False), b.astype(bool, copy=False)


def mask_iou(a: Any, b: Any) -> MaskAgreement:
    """Intersection over union of two ``(H, W)`` masks (anything non-zero counts as inside)."""
    a, b = _masks(a, b)
    inter = int(np.count_nonzero(a & b))
    pa, pb = int(np.count_nonzero(a)), int(np.count_nonzero(b))
    return MaskAgreement(pa, pb, inter, pa + pb - inter)


def union_mask(masks: Any, shape: Sequence[int]) -> np.ndarray:
    """The union of instance masks ``(N, H, W)`` as one ``(H, W)`` bool mask (all False for N = 0)."""
    masks = np.asarray(masks, dtype=bool)
    h, w = (int(v) for v in shape)
    if masks.ndim != 3 or (len(masks) and masks.shape[1:] != (h, w)):
        raise BadInput(f"Instance masks must be (N, {h}, {w}), got {masks.shape}.")
    return masks.any(axis=0) if len(masks) else np.zeros((h, w), bool)


@dataclass(frozen=True)
class ClassAgreement:
    """Two class maps compared class by class: ``names`` are the classes either map uses (in class order),
    ``per_class`` their ``MaskAgreement``; ``mean_iou`` the mean IoU over them; ``pixel_agreement`` the share of
    pixels both maps give the same class."""

    names: tuple[str, ...]
    per_class: tuple[MaskAgreement, ...]
    mean_iou: float
    pixel_agreement: float

    def iou(self, name: str) -> float:
        """The IoU of class ``name`` (which either map must use)."""
        if name not in self.names:
            raise BadInput(f"Neither map has {name!r}; choose one of: {', '.join(self.names)}.")
        return self.per_class[self.names.index(name)].iou

    def table(self) -> list[dict[str, Any]]:
        """One row per class: IoU and pixel counts (for a page's table)."""
        return [{"class": n, "IoU": round(m.iou, 3), "pixels A": m.pixels_a, "pixels B": m.pixels_b,
                 "both": m.intersection, "only A": m.only_a, "only B": m.only_b}
                for n, m in zip(self.names, self.per_class)]


def class_agreement(map_a: Any, map_b: Any, class_names: Sequence[str], include_background: bool = True) -> ClassAgreement:
    """Per-class IoU of two ``(H, W)`` class maps over the same ``class_names`` (index 0 = background, left out
    when ``include_background`` is False), the mean IoU over the classes either map uses, and pixel agreement."""
    a, b = np.asarray(map_a), np.asarray(map_b)
    if a.ndim != 2 or a.shape != b.shape:
        raise BadInput(f"The two class maps must be (H, W) of the same size, got {a.shape} and {b.shape}.")
    if not (np.issubdtype(a.dtype, np.integer) and np.issubdtype(b.dtype, np.integer)):
        raise BadInput("Class maps hold whole-number class indices.")
    n = len(class_names)
    if a.size and (min(a.min(), b.min()) < 0 or max(a.max(), b.max()) >= n):
        raise BadInput(f"A class index lies outside the {n} classes.")
    a64, b64 = a.astype(np.int64).ravel(), b.astype(np.int64).ravel()
    confusion = np.bincount(a64 * n + b64, minlength=n * n).reshape(n, n)
    in_a, in_b, inter = confusion.sum(1), confusion.sum(0), np.diag(confusion)
    used = [c for c in range(n) if (in_a[c] or in_b[c]) and (include_background or c != 0)]
    per = tuple(MaskAgreement(int(in_a[c]), int(in_b[c]), int(inter[c]), int(in_a[c] + in_b[c] - inter[c])) for c in used)
    mean = float(np.mean([m.iou for m in per])) if per else float("nan")
    return ClassAgreement(tuple(class_names[c] for c in used), per, mean, float(inter.sum() / max(a.size, 1)))


def mask_agreement_picture(image: np.ndarray, a: Any, b: Any, alpha: float = 0.55) -> np.ndarray:
    """The photo with two masks painted at opacity ``alpha`` (``blend_masks``) in ``AGREE_COLOURS``: green where
    both say yes, blue only the first, orange only the second. ``(H, W, 3)`` uint8."""
    image = check_image(image)
    alpha = check_fraction(alpha, "Opacity")
    a, b = _masks(a, b)
    if a.shape != image.shape[:2]:
        raise BadInput(f"The masks are {a.shape}, the image {image.shape[:2]}: they must match.")
    parts = np.stack([a & b, a & ~b, ~a & b])
    return blend_masks(image, parts, list(AGREE_COLOURS.values()), alpha)
