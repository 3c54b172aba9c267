"""Where objects might be: every sliding window, and Selective-Search-style region proposals.

``sliding_window_count`` / ``sliding_window_boxes``: the lecture's brute force, every position, size and
shape. ``region_proposals``: "blobby" regions likely to hold objects (Uijlings et al., IJCV 2013), with
OpenCV's Selective Search where opencv-contrib is installed, otherwise a re-implementation on
Felzenszwalb–Huttenlocher segments (scikit-image) grouped hierarchically. Images are ``(H, W, 3)`` uint8
RGB; boxes ``(N, 4)`` float32 xyxy pixels of the input image.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from vision_core.checks import check_image
from vision_core.errors import BadInput
from vision_core.ops.boxes import clip_boxes
from vision_core.ops.draw import draw_boxes

__all__ = ["Proposals", "draw_proposals", "region_proposals", "selective_search_available", "sliding_window_boxes",
           "sliding_window_count"]


def sliding_window_count(height: int, width: int, window_sizes: Sequence[int] = (64, 128, 256),
                         aspect_ratios: Sequence[float] = (0.5, 1.0, 2.0), stride_fraction: float = 0.25) -> int:
    """How many crops a sliding-window detector classifies: for each square size s and aspect ratio r
    (window s·√r wide, s/√r high) and stride = ``stride_fraction``·s, ``(⌊(W − w)/stride⌋ + 1)·(⌊(H − h)/stride⌋ + 1)``
    positions (windows larger than the image are skipped)."""
    if height < 1 or width < 1:
        raise BadInput("The image must have a positive size.")
    if not 0 < stride_fraction <= 1:
        raise BadInput("The stride must be a fraction of the window between 0 and 1.")
    total = 0
    for s in window_sizes:
        if s < 1:
            raise BadInput("Window sizes must be positive.")
        stride = max(1, round(s * stride_fraction))
        for r in aspect_ratios:
            ww, hh = round(s * r**0.5), round(s / r**0.5)
            if ww > width or hh > height:
                continue
            total += ((width - ww) // stride + 1) * ((height - hh) // stride + 1)
    return total


def sliding_window_boxes(height: int, width: int, size: int = 128, aspect_ratio: float = 1.0,
                         stride_fraction: float = 0.25) -> np.ndarray:
    """Every window of one size and aspect ratio, as ``(N, 4)`` xyxy pixels, row by row; N is the term of
    ``sliding_window_count`` for that size and ratio."""
    if size < 1 or aspect_ratio <= 0:
        raise BadInput("The window size and aspect ratio must be positive.")
    if not 0 < stride_fraction <= 1:
        raise BadInput("The stride must be a fraction of the window between 0 and 1.")
    stride = max(1, round(size * stride_fraction))
    ww, hh = round(size * aspect_ratio**0.5), round(size / aspect_ratio**0.5)
    if ww > width or hh > height:
        return np.zeros((0, 4), np.float32)
    ys, xs = np.meshgrid(np.arange(0, height - hh + 1, stride), np.arange(0, width - ww + 1, stride), indexing="ij")
    x, y = xs.ravel(), ys.ravel()
    return np.column_stack([x, y, x + ww, y + hh]).astype(np.float32)


@dataclass(frozen=True)
class Proposals:
    """Region proposals: ``boxes`` ``(N, 4)`` xyxy pixels of the input image, the method, the time it took."""

    boxes: np.ndarray
    method: str
    seconds: float
    scales: tuple[int, ...]

    @property
    def count(self) -> int:
        return int(len(self.boxes))


def selective_search_available() -> bool:
    """Whether OpenCV's contrib selective search (``cv2.ximgproc``) is installed (not in opencv-python-headless)."""
    import cv2

    return hasattr(cv2, "ximgproc")


def _hierarchical_grouping(seg: np.ndarray, image: np.ndarray) -> np.ndarray:
    """Selective Search's grouping: start from the segments of ``seg`` ``(h, w)`` int labels, repeatedly merge
    the most similar pair of *adjacent* regions (colour-histogram intersection + small size + good fill, each
    in [0, 1], as Uijlings et al.), and return the xyxy box of every region ever formed ``(2N − 1, 4)``."""
    import heapq

    h, w = seg.shape
    _, seg = np.unique(seg, return_inverse=True)
    seg = seg.reshape(h, w)
    n = int(seg.max()) + 1
    flat = seg.ravel()
    ys, xs = np.indices((h, w))
    boxes = np.zeros((n, 4))
    boxes[:, 0] = np.full(n, np.inf)
    boxes[:, 1] = np.full(n, np.inf)
    np.minimum.at(boxes[:, 0], flat, xs.ravel())
    np.minimum.at(boxes[:, 1], flat, ys.ravel())
    boxes[:, 2] = -1
    boxes[:, 3] = -1
    np.maximum.at(boxes[:, 2], flat, xs.ravel() + 1)
    np.maximum.at(boxes[:, 3], flat, ys.ravel() + 1)
    sizes = np.bincount(flat, minlength=n).astype(np.float64)
    bins = np.minimum(image.reshape(-1, 3).astype(np.int64) * 25 // 256, 24)
    hist = np.zeros((n, 75))
    for c in range(3):
        hist[:, c * 25 : (c + 1) * 25] = np.bincount(flat * 25 + bins[:, c], minlength=n * 25).reshape(n, 25)
    hist /= hist.sum(1, keepdims=True)
    pairs = set()
    for a, b in ((seg[:, 1:], seg[:, :-1]), (seg[1:, :], seg[:-1, :])):
        diff = a != b
        lo, hi = np.minimum(a[diff], b[diff]), np.maximum(a[diff], b[diff])
        pairs.update(zip(lo.tolist(), hi.tolist()))
    total = float(h * w)
    regions: dict[int, tuple[np.ndarray, float, np.ndarray]] = {i: (hist[i], sizes[i], boxes[i]) for i in range(n)}
    neighbours: dict[int, set[int]] = {i: set() for i in range(n)}
    for i, j in pairs:
        neighbours[i].add(j)
        neighbours[j].add(i)

    def similarity(i: int, j: int) -> float:
        hi, si, bi = regions[i]
        hj, sj, bj = regions[j]
        colour = float(np.minimum(hi, hj).sum()) / 3.0
        size = 1.0 - (si + sj) / total
        bw = max(bi[2], bj[2]) - min(bi[0], bj[0])
        bh = max(bi[3], bj[3]) - min(bi[1], bj[1])
        fill = 1.0 - (bw * bh - si - sj) / total
        return colour + size + fill

    heap = [(-similarity(i, j), i, j) for i, j in pairs]
    heapq.heapify(heap)
    out = [boxes]
    new_id = n
    merged: list[np.ndarray] = []
    while heap:
        _, i, j = heapq.heappop(heap)
        if i not in regions or j not in regions:
            continue
        hi, si, bi = regions.pop(i)
        hj, sj, bj = regions.pop(j)
        box = np.array([min(bi[0], bj[0]), min(bi[1], bj[1]), max(bi[2], bj[2]), max(bi[3], bj[3])])
        regions[new_id] = ((hi * si + hj * sj) / (si + sj), si + sj, box)
        merged.append(box)
        near = (neighbours.pop(i) | neighbours.pop(j)) - {i, j}
        neighbours[new_id] = near
        for k in near:
            neighbours[k] -= {i, j}
            neighbours[k].add(new_id)
            heapq.heappush(heap, (-similarity(k, new_id), k, new_id))
        new_id += 1
    if merged:
        out.append(np.array(merged))
    return np.concatenate(out)


def region_proposals(image: np.ndarray, scales: Sequence[int] = (50, 100, 200, 400), max_side: int = 320,
                     min_size: int = 20) -> Proposals:
    """"Blobby" regions likely to hold objects, Selective Search style (Uijlings et al., IJCV 2013).

    With OpenCV contrib (``cv2.ximgproc``), OpenCV's Selective Search (fast mode). Otherwise (the
    opencv-python-headless wheel has no ``ximgproc``): Felzenszwalb–Huttenlocher segments (scikit-image) at each
    of ``scales``, in RGB and in HSV, each grouped hierarchically by ``_hierarchical_grouping``; every region
    formed is a proposal. Computed on a copy whose long side is at most ``max_side``; duplicate boxes and boxes
    narrower or shorter than ``min_size`` pixels are dropped. Boxes come back in the input image's pixels."""
    image = check_image(image)
    if not scales or any(s <= 0 for s in scales):
        raise BadInput("Give at least one positive Felzenszwalb scale.")
    t0 = time.perf_counter()
    h, w = image.shape[:2]
    factor = min(1.0, max_side / max(h, w))
    small = image if factor == 1.0 else np.asarray(
        Image.fromarray(image).resize((max(8, round(w * factor)), max(8, round(h * factor))), Image.Resampling.BILINEAR))
    if selective_search_available():  # pragma: no cover - needs opencv-contrib
        import cv2

        ss = cv2.ximgproc.segmentation.createSelectiveSearchSegmentation()
        ss.setBaseImage(small[..., ::-1].copy())
        ss.switchToSelectiveSearchFast()
        rects = ss.process().astype(np.float32)
        boxes = np.column_stack([rects[:, 0], rects[:, 1], rects[:, 0] + rects[:, 2], rects[:, 1] + rects[:, 3]])
        method = "OpenCV Selective Search (fast)"
    else:
        from skimage.segmentation import felzenszwalb

        hsv = np.asarray(Image.fromarray(small).convert("HSV"))
        found: list[np.ndarray] = []
        for space in (small, hsv):
            for k in scales:
                seg = felzenszwalb(space, scale=float(k), sigma=0.8, min_size=max(10, int(k) // 4))
                found.append(_hierarchical_grouping(seg, space))
        boxes = np.unique(np.concatenate(found).round(), axis=0)
        method = (f"Selective Search re-implemented: Felzenszwalb segments (scikit-image) at {len(scales)} scales × "
                  "RGB and HSV, grouped by colour, size and fill similarity")
    boxes = boxes / factor
    keep = ((boxes[:, 2] - boxes[:, 0]) >= min_size) & ((boxes[:, 3] - boxes[:, 1]) >= min_size)
    boxes = clip_boxes(boxes[keep], h, w)
    return Proposals(boxes, method, time.perf_counter() - t0, tuple(int(s) for s in scales))


def draw_proposals(image: np.ndarray, proposals: Proposals | np.ndarray, limit: int = 300, seed: int = 0) -> np.ndarray:
    """Up to ``limit`` boxes (proposals, or any ``(N, 4)`` xyxy array such as sliding windows; a random subset
    chosen with ``seed``) drawn in random colours, 1 px lines."""
    image = check_image(image)
    boxes = proposals.boxes if isinstance(proposals, Proposals) else np.asarray(proposals, np.float32).reshape(-1, 4)
    rng = np.random.default_rng(seed)
    n = len(boxes)
    idx = np.sort(rng.choice(n, size=min(limit, n), replace=False)) if n else np.zeros(0, np.int64)
    colors = [tuple(int(c) for c in rng.integers(40, 256, 3)) for _ in idx]
    return draw_boxes(image, boxes[idx], None, colors, width=1)
