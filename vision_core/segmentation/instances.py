"""Instance segmentation: one mask per object, by Mask R-CNN or by an offline substitute fed with a detector's boxes.

- ``mask_rcnn_instances``: torchvision's Mask R-CNN (a download), its soft masks above 0.5.
- The offline substitutes, never called Mask R-CNN: ``grabcut_instances`` (OpenCV GrabCut inside each box) and
  ``split_mask_by_boxes`` (a semantic person mask cut between the boxes). Their boxes come from the caller:
  the page takes them from the pose or detection topic, so segmentation imports neither.
  ``boxes_around_keypoints`` turns people's keypoints into boxes (the BlazePose rule).
- ``instance_overlay``: every instance in its own colour, with its box and label.

Conventions: images ``(H, W, 3)`` uint8 RGB; masks ``(N, H, W)`` bool; boxes ``(N, 4)`` float32 xyxy pixels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np
import torch

from vision_core.checks import check_fraction, check_image, check_int
from vision_core.errors import BadInput
from vision_core.models.device import net_device
from vision_core.models.transforms import ToUnitTensor
from vision_core.ops.boxes import clip_boxes
from vision_core.ops.draw import PALETTE, draw_boxes

from .semantic import blend_masks

__all__ = [
    "BOX_SOURCES", "InstanceResult", "ScoredPoint", "boxes_around_keypoints", "grabcut_instances", "instance_overlay",
    "mask_rcnn_instances", "split_mask_by_boxes",
]

BOX_SOURCES: tuple[str, ...] = ("BlazePose", "YOLOv3-tiny")
"""Where the page takes the substitute's boxes from: BlazePose's people, or every object of YOLOv3-tiny."""

KEYPOINT_MIN_SCORE = 0.3
"""Keypoints less visible than this do not count for a person's box."""
BOX_MARGIN = 0.1
"""A person's box is widened by this fraction of its width (height) on each side."""


@dataclass(frozen=True)
class InstanceResult:
    """Object instances: ``masks`` ``(N, H, W)`` bool, ``boxes`` ``(N, 4)`` xyxy, ``labels``, ``scores`` ``(N,)``.

    ``method`` names how they were made; ``substitute`` is True for the offline
    stand-in (never Mask R-CNN).
    """

    masks: np.ndarray
    boxes: np.ndarray
    labels: tuple[str, ...]
    scores: np.ndarray
    method: str
    substitute: bool

    def __len__(self) -> int:
        return int(self.masks.shape[0])


@torch.inference_mode()
def mask_rcnn_instances(image: np.ndarray, net: torch.nn.Module, classes: tuple[str, ...],
                        score_threshold: float = 0.5) -> InstanceResult:
    """Mask R-CNN instances above ``score_threshold``; masks are its soft masks > 0.5."""
    image = check_image(image)
    check_fraction(score_threshold, "The score threshold")
    out = net([ToUnitTensor()(image, net_device(net))])[0]
    keep = out["scores"] >= score_threshold
    masks = (out["masks"][keep][:, 0] > 0.5).cpu().numpy()
    labels = tuple(classes[int(i)] if int(i) < len(classes) else str(int(i)) for i in out["labels"][keep].cpu())
    return InstanceResult(masks.astype(bool), out["boxes"][keep].float().cpu().numpy(), labels,
                          out["scores"][keep].float().cpu().numpy(), "Mask R-CNN", False)


def _labels_and_scores(labels: Sequence[str] | None, scores: Sequence[float] | np.ndarray | None,
                       n: int) -> tuple[tuple[str, ...], np.ndarray]:
    """The caller's labels and scores for ``n`` boxes ("person" and 1.0 by default), checked against ``n``."""
    labels = tuple(labels) if labels is not None else ("person",) * n
    sc = np.asarray(scores, dtype=np.float32).reshape(-1) if scores is not None else np.ones(n, np.float32)
    if len(labels) != n or len(sc) != n:
        raise BadInput(f"Got {n} boxes but {len(labels)} labels and {len(sc)} scores.")
    return labels, sc


def grabcut_instances(image: np.ndarray, boxes: np.ndarray, labels: tuple[str, ...] | None = None,
                      scores: np.ndarray | None = None, iterations: int = 3, work_side: int = 400) -> InstanceResult:
    """The offline substitute: OpenCV GrabCut inside each box (xyxy pixels), one mask per box.

    GrabCut runs on a copy whose long side is ``work_side`` pixels; masks are
    scaled back to the image. Boxes thinner than 4 working pixels give empty masks.
    """
    image = check_image(image)
    check_int(iterations, 1, 10, "GrabCut iterations")
    h, w = image.shape[:2]
    boxes = clip_boxes(boxes, h, w)
    n = len(boxes)
    s = min(1.0, work_side / max(h, w))
    small = cv2.resize(image, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA) if s < 1 else image
    bgr = np.ascontiguousarray(small[..., ::-1])
    sh, sw = bgr.shape[:2]
    masks = np.zeros((n, h, w), dtype=bool)
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        rx0, ry0 = int(math.floor(x0 * s)), int(math.floor(y0 * s))
        rx1, ry1 = min(sw, int(math.ceil(x1 * s))), min(sh, int(math.ceil(y1 * s)))
        if rx1 - rx0 < 4 or ry1 - ry0 < 4:
            continue
        if rx0 <= 0 and ry0 <= 0 and rx1 >= sw and ry1 >= sh:
            rx0, ry0, rx1, ry1 = 1, 1, sw - 1, sh - 1
        gc = np.zeros((sh, sw), np.uint8)
        bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
        cv2.grabCut(bgr, gc, (rx0, ry0, rx1 - rx0, ry1 - ry0), bgd, fgd, iterations, cv2.GC_INIT_WITH_RECT)
        fg = ((gc == cv2.GC_FGD) | (gc == cv2.GC_PR_FGD)).astype(np.uint8)
        masks[i] = cv2.resize(fg, (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)
    labels, sc = _labels_and_scores(labels, scores, n)
    return InstanceResult(masks, boxes, labels, sc, "boxes + GrabCut (offline substitute)", True)


def split_mask_by_boxes(mask: np.ndarray, boxes: np.ndarray, labels: tuple[str, ...] | None = None,
                        scores: np.ndarray | None = None) -> InstanceResult:
    """The offline substitute: a semantic person mask ``(H, W)`` bool cut into one instance per box.

    A pixel inside several boxes goes to the box whose centre is nearest.
    """
    mask = np.asarray(mask, dtype=bool)
    if mask.ndim != 2:
        raise BadInput(f"The mask must be (H, W), got shape {mask.shape}.")
    h, w = mask.shape
    boxes = clip_boxes(boxes, h, w)
    n = len(boxes)
    yy, xx = np.mgrid[0:h, 0:w]
    owner = np.full((h, w), -1, np.int64)
    best = np.full((h, w), np.inf)
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        inside = (xx >= x0) & (xx < x1) & (yy >= y0) & (yy < y1)
        d = (xx - (x0 + x1) / 2) ** 2 + (yy - (y0 + y1) / 2) ** 2
        take = inside & (d < best)
        owner[take], best[take] = i, d[take]
    masks = np.stack([mask & (owner == i) for i in range(n)]) if n else np.zeros((0, h, w), bool)
    labels, sc = _labels_and_scores(labels, scores, n)
    return InstanceResult(masks, boxes, labels, sc, "selfie mask split by person boxes (offline substitute)", True)


class ScoredPoint(Protocol):
    """A keypoint: pixel ``x``, ``y`` and a ``score`` (visibility) in [0, 1], such as the pose topic's keypoints."""

    x: float
    y: float
    score: float


def boxes_around_keypoints(people: Sequence[Sequence[ScoredPoint]], scores: Sequence[float], height: int, width: int,
                           min_score: float = KEYPOINT_MIN_SCORE, margin: float = BOX_MARGIN,
                           min_points: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """One box per person around their keypoints scoring at least ``min_score``, widened by ``margin`` of its
    size on each side and clipped to the ``height`` × ``width`` photo: ``(boxes (N, 4) xyxy, scores (N,))``.

    People with fewer than ``min_points`` such points get no box. BlazePose's rule: its 33 landmarks plus the
    estimated head top (which the pose topic derives), visibility ≥ 0.3, 10 % margin."""
    check_fraction(min_score, "The keypoint score")
    check_fraction(margin, "The box margin")
    if len(people) != len(scores):
        raise BadInput(f"Got {len(people)} people but {len(scores)} scores.")
    rows, kept = [], []
    for points, score in zip(people, scores):
        pts = np.array([[p.x, p.y] for p in points if p.score >= min_score], np.float32).reshape(-1, 2)
        if len(pts) < min_points:
            continue
        (x0, y0), (x1, y1) = pts.min(0), pts.max(0)
        mx, my = margin * (x1 - x0), margin * (y1 - y0)
        rows.append([max(0, x0 - mx), max(0, y0 - my), min(width, x1 + mx), min(height, y1 + my)])
        kept.append(score)
    return np.array(rows, np.float32).reshape(-1, 4), np.array(kept, np.float32)


def instance_overlay(image: np.ndarray, result: InstanceResult, alpha: float = 0.5) -> np.ndarray:
    """Each instance in its own colour at opacity ``alpha`` (``blend_masks``), with its box and label (``ops.draw``)."""
    image = check_image(image)
    alpha = check_fraction(alpha, "Opacity")
    if len(result) == 0:
        return image.copy()
    if result.masks.shape[1:] != image.shape[:2]:
        raise BadInput(f"The masks are {result.masks.shape[1:]}, the image {image.shape[:2]}: they must match.")
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(result))]
    painted = blend_masks(image, result.masks, colours, alpha)
    names = [f"{lab} {s:.2f}" if not result.substitute else f"{lab} #{i + 1}"
             for i, (lab, s) in enumerate(zip(result.labels, result.scores))]
    return draw_boxes(painted, result.boxes, names, colours, width=max(2, round(max(image.shape[:2]) / 300)))
