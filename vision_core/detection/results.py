"""What detectors hand back: every raw candidate of one run (``Candidates``) and a thresholded result (``Detections``).

``Candidates`` is the expensive part, one network run per (photo, model): every box the detector
proposes before any threshold. ``Detections`` is what remains after a score threshold and class-wise NMS
(``vision_core.detection.detector.select``), cheap to recompute for another threshold.

Conventions: boxes ``(N, 4)`` float32 ``xyxy`` in pixels of the input image (x right, y down); scores
``(N,)`` float32 in [0, 1] sorted by decreasing score; labels are class names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vision_core.checks import check_image, check_int
from vision_core.errors import BadInput
from vision_core.ops.draw import colour_for, draw_boxes

__all__ = ["Candidates", "Detections", "draw_detections"]


@dataclass(frozen=True)
class Candidates:
    """Every candidate of one detector run on one photo, before any score threshold or NMS.

    ``boxes`` ``(N, 4)`` float32 xyxy pixels, ``labels`` N class names, ``scores`` ``(N,)`` float32, sorted by
    decreasing score (arrays read-only: a result may be shared by sessions). ``seconds``: the run's time, model
    loading excluded. ``candidate_floor``: the lowest score the detector itself reports (torchvision detectors drop
    lower-scoring candidates inside the model; 0 for YOLO, whose every cell × anchor is here).
    """

    boxes: np.ndarray
    labels: tuple[str, ...]
    scores: np.ndarray
    model: str
    image_size: tuple[int, int]
    seconds: float = 0.0
    candidate_floor: float = 0.0

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Detections:
    """What a detector found in one image.

    ``boxes`` ``(N, 4)`` float32 xyxy pixels of the input image, ``labels`` N class names,
    ``scores`` ``(N,)`` float32 in [0, 1], sorted by decreasing score (after NMS).
    ``raw_*`` are the candidates above ``score_threshold`` *before* NMS (same conventions);
    ``keep`` indexes ``raw_*`` rows that survived. ``seconds`` is the time of the detector run, model loading excluded.
    ``candidate_floor``: the lowest score the detector itself reports (torchvision detectors drop lower-scoring
    candidates inside the model; 0 for YOLO), so a ``score_threshold`` under it changes nothing.
    """

    boxes: np.ndarray
    labels: list[str]
    scores: np.ndarray
    model: str
    image_size: tuple[int, int]
    score_threshold: float
    iou_threshold: float
    raw_boxes: np.ndarray = field(repr=False)
    raw_labels: list[str] = field(repr=False)
    raw_scores: np.ndarray = field(repr=False)
    keep: np.ndarray = field(repr=False)
    seconds: float = 0.0
    candidate_floor: float = 0.0

    def __len__(self) -> int:
        return len(self.labels)

    def only(self, classes: Sequence[str]) -> Detections:
        """The same result restricted to ``classes`` (raw candidates too)."""
        wanted = set(classes)
        idx = [i for i, lab in enumerate(self.labels) if lab in wanted]
        ridx = [i for i, lab in enumerate(self.raw_labels) if lab in wanted]
        remap = {old: new for new, old in enumerate(ridx)}
        return Detections(
            self.boxes[idx].reshape(-1, 4), [self.labels[i] for i in idx], self.scores[idx], self.model, self.image_size,
            self.score_threshold, self.iou_threshold, self.raw_boxes[ridx].reshape(-1, 4),
            [self.raw_labels[i] for i in ridx], self.raw_scores[ridx],
            np.array([remap[int(k)] for k in self.keep if int(k) in remap], dtype=np.int64), self.seconds,
            self.candidate_floor,
        )

    def top(self, n: int) -> Detections:
        """The ``n`` best detections (all of them when there are fewer); raw candidates unchanged."""
        n = check_int(n, 0, None, "The number of boxes")
        return Detections(
            self.boxes[:n].reshape(-1, 4), self.labels[:n], self.scores[:n], self.model, self.image_size,
            self.score_threshold, self.iou_threshold, self.raw_boxes, self.raw_labels, self.raw_scores,
            self.keep[:n], self.seconds, self.candidate_floor,
        )

    def table(self) -> list[dict[str, Any]]:
        """One row per detection: label, score, x1, y1, x2, y2, width, height (pixels, rounded)."""
        return [
            {
                "label": lab, "score": round(float(s), 3),
                "x1": round(float(b[0]), 1), "y1": round(float(b[1]), 1),
                "x2": round(float(b[2]), 1), "y2": round(float(b[3]), 1),
                "width": round(float(b[2] - b[0]), 1), "height": round(float(b[3] - b[1]), 1),
            }
            for b, lab, s in zip(self.boxes, self.labels, self.scores)
        ]


def draw_detections(image: np.ndarray, det: Detections) -> np.ndarray:
    """``(H, W, 3)`` uint8 with every box and ``"label 0.93"`` drawn, one colour per class (``ops.draw``)."""
    image = check_image(image)
    if image.shape[:2] != det.image_size:
        raise BadInput("These detections belong to a photo of another size.")
    labels = [f"{lab} {s:.2f}" for lab, s in zip(det.labels, det.scores)]
    return draw_boxes(image, det.boxes, labels, [colour_for(lab) for lab in det.labels])
