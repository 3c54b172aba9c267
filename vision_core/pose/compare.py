"""Comparing face detectors on one photo: their boxes, their times, and how far they agree.

A ``DetectorRun`` is one detector's answer on the photo (any detector: MTCNN, BlazeFace, a Haar cascade;
the page runs each and passes the boxes in, so this module imports no other topic). Two runs agree on a
face when their boxes match one-to-one with IoU ≥ a threshold (``vision_core.ops.boxes.match_boxes``,
greedy by highest IoU, as detection benchmarks pair detections with ground truth).

Boxes are ``(N, 4)`` float32 ``xyxy`` pixels of the photo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from vision_core.checks import check_fraction
from vision_core.errors import BadInput
from vision_core.ops.boxes import as_boxes, match_boxes

__all__ = ["Agreement", "DetectorRun", "agreement", "agreement_table", "runs_table"]


@dataclass(frozen=True)
class DetectorRun:
    """One detector on one photo: its ``name``, ``boxes`` ``(N, 4)`` float32 xyxy pixels, ``scores`` ``(N,)``
    (NaN where the detector gives none, as Haar cascades) and the wall time in ``seconds``."""

    name: str
    boxes: np.ndarray
    scores: np.ndarray
    seconds: float

    @classmethod
    def of(cls, name: str, boxes: Any, seconds: float, scores: Any = None) -> DetectorRun:
        """A run from any box array (validated) and optional scores."""
        b = as_boxes(boxes, f"{name}'s boxes")
        s = np.full(len(b), np.nan, np.float32) if scores is None else np.asarray(scores, np.float32).reshape(-1)
        if len(s) != len(b):
            raise BadInput(f"{name}: {len(b)} boxes but {len(s)} scores.")
        if not np.isfinite(seconds) or seconds < 0:
            raise BadInput(f"{name}: the time must be a non-negative number of seconds, got {seconds!r}.")
        return cls(name, b, s, float(seconds))


@dataclass(frozen=True)
class Agreement:
    """How two runs agree: ``matches`` ``(i, j, iou)`` (box ``i`` of ``a`` with box ``j`` of ``b``), and the boxes
    only one of them found (``only_a``, ``only_b``: indices)."""

    a: str
    b: str
    matches: tuple[tuple[int, int, float], ...]
    only_a: tuple[int, ...]
    only_b: tuple[int, ...]

    @property
    def mean_iou(self) -> float:
        """Mean IoU of the matched pairs (NaN when none matched)."""
        return float(np.mean([m[2] for m in self.matches])) if self.matches else float("nan")


def agreement(a: DetectorRun, b: DetectorRun, iou_threshold: float = 0.5) -> Agreement:
    """The one-to-one matches of ``a``'s and ``b``'s boxes with IoU ≥ ``iou_threshold``, and what each found alone."""
    iou_threshold = check_fraction(iou_threshold, "The IoU threshold")
    matches = tuple(match_boxes(a.boxes, b.boxes, iou_threshold))
    ia, ib = {m[0] for m in matches}, {m[1] for m in matches}
    return Agreement(a.name, b.name, matches, tuple(i for i in range(len(a.boxes)) if i not in ia),
                     tuple(j for j in range(len(b.boxes)) if j not in ib))


def agreement_table(runs: Sequence[DetectorRun], iou_threshold: float = 0.5) -> list[dict[str, Any]]:
    """One row per pair of runs (first, second): faces both found (matched), found by only one or the other, mean IoU (3 decimals)."""
    rows = []
    for a, b in combinations(runs, 2):
        g = agreement(a, b, iou_threshold)
        rows.append({"first": a.name, "second": b.name, "both found": len(g.matches), "only the first": len(g.only_a),
                     "only the second": len(g.only_b),
                     "mean IoU of matches": None if not g.matches else round(g.mean_iou, 3)})
    return rows


def runs_table(runs: Sequence[DetectorRun]) -> list[dict[str, Any]]:
    """One row per run: detector, faces found, time in milliseconds (1 decimal), best score (or none)."""
    return [{"detector": r.name, "faces": len(r.boxes), "time (ms)": round(1000 * r.seconds, 1),
             "best score": None if not len(r.scores) or np.isnan(r.scores).all() else round(float(np.nanmax(r.scores)), 3)}
            for r in runs]
