"""Two detectors on one photo: which boxes agree (one-to-one matching by IoU), and the table the page shows.

Boxes are ``(N, 4)`` float32 xyxy pixels; IoU comes from ``vision_core.ops.boxes.box_iou``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from vision_core.checks import check_fraction
from vision_core.errors import BadInput
from vision_core.ops.boxes import box_iou

from .results import Detections

__all__ = ["Agreement", "agreement_rows", "match_detections"]


@dataclass(frozen=True)
class Agreement:
    """Two detectors compared: ``pairs`` ``(i, j, IoU)`` of matched boxes (A index, B index),
    the unmatched indices of each, and ``agreement`` = matched / max(N_A, N_B) (1.0 when both are empty)."""

    pairs: tuple[tuple[int, int, float], ...]
    only_a: tuple[int, ...]
    only_b: tuple[int, ...]
    agreement: float
    mean_iou: float


def match_detections(a: Detections, b: Detections, iou_threshold: float = 0.5, same_label: bool = True) -> Agreement:
    """Greedy one-to-one matching by decreasing IoU (≥ ``iou_threshold``), optionally only between equal labels."""
    check_fraction(iou_threshold, "The matching IoU threshold")
    if a.image_size != b.image_size:
        raise BadInput("The two detections come from images of different sizes; compare them on the same photo.")
    pairs: list[tuple[int, int, float]] = []
    if len(a) and len(b):
        m = box_iou(a.boxes, b.boxes)
        if same_label:
            m = m * np.array([[la == lb for lb in b.labels] for la in a.labels], dtype=np.float32)
        used_a: set[int] = set()
        used_b: set[int] = set()
        for flat in np.argsort(-m, axis=None, kind="stable"):
            i, j = divmod(int(flat), m.shape[1])
            if m[i, j] < iou_threshold or m[i, j] <= 0:
                break
            if i in used_a or j in used_b:
                continue
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j, float(m[i, j])))
    only_a = tuple(i for i in range(len(a)) if i not in {p[0] for p in pairs})
    only_b = tuple(j for j in range(len(b)) if j not in {p[1] for p in pairs})
    biggest = max(len(a), len(b))
    agreement = len(pairs) / biggest if biggest else 1.0
    mean_iou = float(np.mean([p[2] for p in pairs])) if pairs else 0.0
    return Agreement(tuple(pairs), only_a, only_b, agreement, mean_iou)


def agreement_rows(a: Detections, b: Detections, agree: Agreement) -> list[dict[str, Any]]:
    """One row per matched pair (class, both scores, IoU), then the boxes only A found, then those only B found."""
    rows = [{"class": a.labels[i], "score A": round(float(a.scores[i]), 3), "score B": round(float(b.scores[j]), 3),
             "IoU": round(v, 3)} for i, j, v in agree.pairs]
    rows += [{"class": a.labels[i], "score A": round(float(a.scores[i]), 3), "score B": None, "IoU": None}
             for i in agree.only_a]
    rows += [{"class": b.labels[j], "score A": None, "score B": round(float(b.scores[j]), 3), "IoU": None}
             for j in agree.only_b]
    return rows
