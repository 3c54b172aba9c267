"""Boxes, written once: validation, IoU, NMS (greedy, step by step, weighted, by smaller area), letterboxing.

Conventions: boxes are ``(N, 4)`` float32 ``xyxy`` in pixels (x right, y down, x2 ≥ x1, y2 ≥ y1);
a single box may be given as 4 numbers. IoU and NMS run on ``torchvision.ops``; the step-by-step
NMS the detection page shows is checked against it in the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import torch
from PIL import Image

from vision_core.checks import check_fraction, check_image, check_int
from vision_core.errors import BadInput

__all__ = [
    "BoxIoU",
    "Letterbox",
    "NmsStep",
    "as_boxes",
    "box_iou",
    "box_iou_parts",
    "clip_boxes",
    "letterbox",
    "match_boxes",
    "nms",
    "nms_steps",
    "unletterbox_boxes",
    "unletterbox_points",
    "weighted_nms",
]


def as_boxes(boxes: Any, name: str = "boxes") -> np.ndarray:
    """``boxes`` as a ``(N, 4)`` float32 xyxy array; ``BadInput`` for another shape, NaN or reversed corners."""
    try:
        b = np.asarray(boxes, dtype=np.float32)
    except (TypeError, ValueError):
        raise BadInput(f"{name} must be numbers: (N, 4) xyxy boxes.") from None
    if b.ndim == 1 and b.size == 4:
        b = b[None]
    if b.ndim == 1 and b.size == 0:
        b = b.reshape(0, 4)
    if b.ndim != 2 or b.shape[1] != 4:
        raise BadInput(f"{name} must be (N, 4) xyxy boxes, got shape {tuple(b.shape)}.")
    if not np.isfinite(b).all():
        raise BadInput(f"{name} must be finite numbers (no NaN or infinity).")
    if b.size and bool(((b[:, 2] < b[:, 0]) | (b[:, 3] < b[:, 1])).any()):
        raise BadInput(f"{name} must have x2 ≥ x1 and y2 ≥ y1 (xyxy order).")
    return np.ascontiguousarray(b)


def _scores(scores: Any, n: int) -> np.ndarray:
    s = np.asarray(scores, dtype=np.float32).reshape(-1)
    if s.size != n:
        raise BadInput(f"Got {n} boxes but {s.size} scores.")
    return s


def box_iou(boxes1: Any, boxes2: Any) -> np.ndarray:
    """IoU matrix ``(N, M)``: intersection area / union area of every pair (``torchvision.ops.box_iou``)."""
    import torchvision  # here, not at the top: importing torchvision loads all of it (~165 MiB)

    a, b = as_boxes(boxes1, "boxes1"), as_boxes(boxes2, "boxes2")
    return torchvision.ops.box_iou(torch.from_numpy(a), torch.from_numpy(b)).numpy()


def match_boxes(boxes1: Any, boxes2: Any, iou_threshold: float = 0.5) -> list[tuple[int, int, float]]:
    """One-to-one matches ``(i, j, iou)`` between two box sets, greedy by highest IoU first, each with IoU ≥
    ``iou_threshold`` (how detection benchmarks pair a detection with a ground-truth box); sorted by ``i``."""
    check_fraction(iou_threshold, "The IoU threshold")
    a, b = as_boxes(boxes1, "boxes1"), as_boxes(boxes2, "boxes2")
    if not len(a) or not len(b):
        return []
    ious = box_iou(a, b)
    pairs = sorted(((float(ious[i, j]), i, j) for i in range(len(a)) for j in range(len(b))
                    if ious[i, j] >= iou_threshold and ious[i, j] > 0), key=lambda t: (-t[0], t[1], t[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for iou, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j, iou))
    return sorted(out)


def _min_overlap(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Intersection / smaller area of ``box`` with each of ``boxes``, in MTCNN's inclusive pixel convention (+1)."""
    x0, y0 = np.maximum(box[0], boxes[:, 0]), np.maximum(box[1], boxes[:, 1])
    x1, y1 = np.minimum(box[2], boxes[:, 2]), np.minimum(box[3], boxes[:, 3])
    inter = np.clip(x1 - x0 + 1, 0, None) * np.clip(y1 - y0 + 1, 0, None)
    area = (box[2] - box[0] + 1) * (box[3] - box[1] + 1)
    areas = (boxes[:, 2] - boxes[:, 0] + 1) * (boxes[:, 3] - boxes[:, 1] + 1)
    return inter / np.minimum(area, areas)


def nms(boxes: Any, scores: Any, iou_threshold: float = 0.45, *, overlap: Literal["union", "min"] = "union",
        classes: Any | None = None) -> np.ndarray:
    """Indices of the boxes that greedy non-maximum suppression keeps, best score first.

    ``overlap="union"``: a box is suppressed when its IoU with a kept box exceeds ``iou_threshold``
    (``torchvision.ops.nms``; with ``classes`` only boxes of the same class suppress each other,
    ``torchvision.ops.batched_nms``). ``overlap="min"``: intersection over the smaller area (MTCNN's last step).
    """
    check_fraction(iou_threshold, "The IoU threshold")
    b = as_boxes(boxes)
    s = _scores(scores, len(b))
    if len(b) == 0:
        return np.zeros(0, dtype=np.int64)
    if overlap == "union":
        import torchvision  # here, not at the top: importing torchvision loads all of it (~165 MiB)

        tb, ts = torch.from_numpy(b), torch.from_numpy(s)
        if classes is None:
            return torchvision.ops.nms(tb, ts, float(iou_threshold)).numpy()
        c = np.asarray(classes).reshape(-1)
        if c.size != len(b):
            raise BadInput(f"Got {len(b)} boxes but {c.size} class labels.")
        ids = {lab: k for k, lab in enumerate(dict.fromkeys(c.tolist()))}
        return torchvision.ops.batched_nms(tb, ts, torch.tensor([ids[x] for x in c.tolist()]), float(iou_threshold)).numpy()
    if overlap != "min":
        raise BadInput(f"Unknown overlap {overlap!r}. Choose one of: union, min.")
    order = np.argsort(-s, kind="stable")
    keep: list[int] = []
    while order.size:
        i = int(order[0])
        keep.append(i)
        rest = order[1:]
        order = rest[_min_overlap(b[i], b[rest]) <= iou_threshold]
    return np.asarray(keep, dtype=np.int64)


@dataclass(frozen=True)
class NmsStep:
    """One round of greedy NMS: the highest-scoring remaining box is ``picked`` (index into the input);
    every remaining box whose IoU with it is above the threshold is ``suppressed`` (pairs ``(index, IoU)``);
    ``remaining`` are still undecided afterwards."""

    picked: int
    suppressed: tuple[tuple[int, float], ...]
    remaining: tuple[int, ...]


def nms_steps(boxes: Any, scores: Any, iou_threshold: float = 0.45) -> list[NmsStep]:
    """Greedy NMS written out round by round; the picked indices equal ``nms(boxes, scores, iou_threshold)``."""
    check_fraction(iou_threshold, "The IoU threshold")
    b = as_boxes(boxes)
    s = _scores(scores, len(b))
    ious = box_iou(b, b) if len(b) else np.zeros((0, 0), np.float32)
    order = [int(i) for i in np.argsort(-s, kind="stable")]
    steps: list[NmsStep] = []
    while order:
        top, rest = order[0], order[1:]
        gone = tuple((j, float(ious[top, j])) for j in rest if ious[top, j] > iou_threshold)
        gone_set = {j for j, _ in gone}
        order = [j for j in rest if j not in gone_set]
        steps.append(NmsStep(top, gone, tuple(order)))
    return steps


def weighted_nms(boxes: Any, scores: Any, extra: np.ndarray, iou_threshold: float) -> list[tuple[np.ndarray, float, np.ndarray]]:
    """MediaPipe's WEIGHTED suppression: each group of boxes overlapping the best remaining one (IoU >
    ``iou_threshold``) becomes one box, the score-weighted mean of the group (``extra`` rows, e.g.
    keypoints, are averaged the same way). Returns ``(box, best score, extra)`` per group, best first."""
    check_fraction(iou_threshold, "The IoU threshold")
    b = as_boxes(boxes)
    s = _scores(scores, len(b))
    extra = np.asarray(extra, dtype=np.float32).reshape(len(b), -1)
    order = np.argsort(-s, kind="stable")
    b, s, extra = b[order], s[order], extra[order]
    ious = box_iou(b, b) if len(b) else np.zeros((0, 0), np.float32)
    alive = np.ones(len(b), bool)
    out = []
    for i in range(len(b)):
        if not alive[i]:
            continue
        group = alive & (ious[i] > iou_threshold)
        group[i] = True
        w = s[group][:, None]
        out.append(((b[group] * w).sum(0) / w.sum(), float(s[i]), (extra[group] * w).sum(0) / w.sum()))
        alive &= ~group
    return out


@dataclass(frozen=True)
class BoxIoU:
    """IoU of two boxes with its parts (areas in square pixels); ``intersection`` is xyxy or ``None``."""

    iou: float
    area_a: float
    area_b: float
    inter_area: float
    union_area: float
    intersection: tuple[float, float, float, float] | None


def box_iou_parts(a: Sequence[float], b: Sequence[float]) -> BoxIoU:
    """IoU = intersection / union of two xyxy boxes, with the parts shown on the page."""
    ta, tb = as_boxes(a, "box A")[0].astype(np.float64), as_boxes(b, "box B")[0].astype(np.float64)
    area_a = float((ta[2] - ta[0]) * (ta[3] - ta[1]))
    area_b = float((tb[2] - tb[0]) * (tb[3] - tb[1]))
    x1, y1 = max(ta[0], tb[0]), max(ta[1], tb[1])
    x2, y2 = min(ta[2], tb[2]), min(ta[3], tb[3])
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)
    union = area_a + area_b - inter
    value = inter / union if union > 0 else 0.0
    return BoxIoU(float(value), area_a, area_b, float(inter), float(union),
                  (float(x1), float(y1), float(x2), float(y2)) if inter > 0 else None)


def clip_boxes(boxes: Any, height: int, width: int) -> np.ndarray:
    """``(N, 4)`` xyxy boxes clipped to an image of ``height`` × ``width`` pixels."""
    b = as_boxes(boxes).copy()
    b[:, [0, 2]] = b[:, [0, 2]].clip(0, width)
    b[:, [1, 3]] = b[:, [1, 3]].clip(0, height)
    return b


@dataclass(frozen=True)
class Letterbox:
    """How an image was fitted into a square network input: scaled by ``scale``, then offset by ``(dx, dy)`` pixels."""

    size: int
    scale: float
    dx: int
    dy: int
    new_w: int
    new_h: int
    orig_w: int
    orig_h: int


def letterbox(image: np.ndarray, size: int, fill: float = 0.5) -> tuple[np.ndarray, Letterbox]:
    """Fit ``(H, W, 3)`` uint8 RGB into ``size`` × ``size`` keeping its aspect: ``(size, size, 3)`` float32
    in [0, 1], the photo resized bilinearly (PIL) and centred, borders filled with ``fill`` (Darknet: 0.5 grey;
    MediaPipe: 0 black)."""
    image = check_image(image)
    check_int(size, 8, 4096, "The input size")
    check_fraction(fill, "The border value")
    h, w = image.shape[:2]
    scale = min(size / w, size / h)
    new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    resized = np.asarray(Image.fromarray(image).resize((new_w, new_h), Image.Resampling.BILINEAR), dtype=np.float32) / 255.0
    canvas = np.full((size, size, 3), fill, dtype=np.float32)
    dx, dy = (size - new_w) // 2, (size - new_h) // 2
    canvas[dy : dy + new_h, dx : dx + new_w] = resized
    return canvas, Letterbox(size, scale, dx, dy, new_w, new_h, w, h)


def unletterbox_boxes(boxes: np.ndarray, box: Letterbox, *, fmt: Literal["xyxy", "cxcywh"] = "xyxy",
                      normalized: bool = False) -> np.ndarray:
    """Boxes on the letterboxed input → ``(N, 4)`` xyxy pixels of the original image, clipped to it.

    ``fmt`` is the layout of ``boxes`` (``cxcywh``: centre and size); ``normalized``: coordinates are
    fractions of the input side (YOLO and SSD heads) rather than input pixels."""
    b = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    if normalized:
        b = b * box.size
    if fmt == "cxcywh":
        b = np.stack([b[:, 0] - b[:, 2] / 2, b[:, 1] - b[:, 3] / 2, b[:, 0] + b[:, 2] / 2, b[:, 1] + b[:, 3] / 2], axis=1)
    elif fmt != "xyxy":
        raise BadInput(f"Unknown box format {fmt!r}. Choose one of: xyxy, cxcywh.")
    b = (b - np.array([box.dx, box.dy, box.dx, box.dy])) / box.scale
    b[:, [0, 2]] = b[:, [0, 2]].clip(0, box.orig_w)
    b[:, [1, 3]] = b[:, [1, 3]].clip(0, box.orig_h)
    return b.astype(np.float32)


def unletterbox_points(points: np.ndarray, box: Letterbox, *, normalized: bool = False) -> np.ndarray:
    """``(N, 2)`` points ``(x, y)`` on the letterboxed input → pixels of the original image (not clipped)."""
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if normalized:
        p = p * box.size
    return ((p - np.array([box.dx, box.dy])) / box.scale).astype(np.float32)
