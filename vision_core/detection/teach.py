"""The lecture's IoU and NMS made visible: boxes from percentage sliders, the IoU figure, greedy NMS round by round.

The arithmetic itself (``box_iou``, ``box_iou_parts``, ``nms``, ``nms_steps``) is written once in
``vision_core.ops.boxes``; this module lays it out for the page and draws it with ``ops.draw``.
Images are ``(H, W, 3)`` uint8 RGB; boxes ``xyxy`` pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from vision_core.checks import check_fraction, check_image, check_range
from vision_core.errors import BadInput
from vision_core.ops.boxes import NmsStep, box_iou_parts, nms, nms_steps
from vision_core.ops.draw import draw_boxes

from .results import Detections

__all__ = ["ALL_CLASSES", "NmsWalkthrough", "class_options", "draw_iou_figure", "draw_nms_step", "nms_walkthrough",
           "percent_box"]

ALL_CLASSES = "all classes"
"""The class choice that runs NMS once over every box (class-agnostic)."""


def percent_box(x_range: Sequence[float], y_range: Sequence[float], height: int, width: int) -> tuple[float, ...]:
    """The xyxy pixel box of a photo ``height`` × ``width`` given its left–right and top–bottom extents in %
    (``(10, 55)`` = from 10 % to 55 % of the side)."""
    for lo, hi in (x_range, y_range):
        check_range(lo, 0, 100, "A box edge (%)")
        check_range(hi, 0, 100, "A box edge (%)")
    return (x_range[0] * width / 100, y_range[0] * height / 100, x_range[1] * width / 100, y_range[1] * height / 100)


def draw_iou_figure(box_a: Sequence[float], box_b: Sequence[float], size: tuple[int, int] = (300, 400),
                    image: np.ndarray | None = None) -> np.ndarray:
    """Two boxes (A blue, B orange) and their intersection filled, on ``image`` or a white ``(H, W)`` canvas."""
    canvas = np.full((*size, 3), 255, np.uint8) if image is None else check_image(image)
    parts = box_iou_parts(box_a, box_b)
    out = canvas
    if parts.intersection is not None:
        out = draw_boxes(out, np.array([parts.intersection], np.float32), None, (120, 200, 120), width=1, fill=True)
    return draw_boxes(out, np.array([box_a, box_b], np.float32), ["A", "B"], [(0, 90, 220), (240, 120, 0)])


def class_options(labels: Sequence[str]) -> list[str]:
    """``ALL_CLASSES`` then every class present, most frequent first (ties in order of appearance)."""
    counts = {lab: 0 for lab in dict.fromkeys(labels)}
    for lab in labels:
        counts[lab] += 1
    return [ALL_CLASSES, *sorted(counts, key=lambda k: -counts[k])]


@dataclass(frozen=True)
class NmsWalkthrough:
    """Greedy NMS over ``boxes``/``scores``/``labels`` (the chosen class's candidates), one ``NmsStep`` per round.

    ``same_as_nms``: the boxes picked round by round equal ``ops.boxes.nms`` (torchvision) at the same threshold."""

    boxes: np.ndarray
    scores: np.ndarray
    labels: tuple[str, ...]
    steps: tuple[NmsStep, ...]
    iou_threshold: float
    same_as_nms: bool

    def rows(self) -> list[dict[str, Any]]:
        """One row per round: the kept box, its class and score, the boxes it suppressed with their IoU."""
        return [{"round": k + 1, "kept box": s.picked, "class": self.labels[s.picked],
                 "score": round(float(self.scores[s.picked]), 3),
                 "suppressed (IoU)": ", ".join(f"#{j} ({v:.2f})" for j, v in s.suppressed) or "–"}
                for k, s in enumerate(self.steps)]


def nms_walkthrough(det: Detections, iou_threshold: float, class_name: str = ALL_CLASSES) -> NmsWalkthrough:
    """NMS written out over ``det``'s candidates before NMS (``raw_*``), for one class or ``ALL_CLASSES``."""
    check_fraction(iou_threshold, "The NMS IoU threshold")
    if class_name != ALL_CLASSES and class_name not in det.raw_labels:
        raise BadInput(f"No candidate of class {class_name!r}; choose one of: {', '.join(class_options(det.raw_labels))}.")
    idx = [i for i, lab in enumerate(det.raw_labels) if class_name in (ALL_CLASSES, lab)]
    boxes, scores = det.raw_boxes[idx].reshape(-1, 4), det.raw_scores[idx]
    steps = tuple(nms_steps(boxes, scores, iou_threshold))
    same = [int(i) for i in nms(boxes, scores, iou_threshold)] == [s.picked for s in steps]
    return NmsWalkthrough(boxes, scores, tuple(det.raw_labels[i] for i in idx), steps, float(iou_threshold), same)


def draw_nms_step(image: np.ndarray, boxes: np.ndarray, steps: Sequence[NmsStep], upto: int) -> np.ndarray:
    """The NMS state after ``upto`` rounds (1-based): kept boxes green, the box picked in round ``upto``
    thick green, boxes it suppressed red, boxes still undecided grey; suppressed earlier boxes are hidden."""
    image = check_image(image)
    if not 1 <= upto <= len(steps):
        raise BadInput(f"Choose a round between 1 and {len(steps)}.")
    kept = [s.picked for s in steps[: upto - 1]]
    current = steps[upto - 1]
    rest = list(current.remaining)
    sel = rest + kept + [j for j, _ in current.suppressed] + [current.picked]
    colours = ([(160, 160, 160)] * len(rest) + [(40, 170, 60)] * len(kept)
               + [(220, 30, 30)] * len(current.suppressed) + [(0, 255, 60)])
    labels = ([""] * len(rest) + ["kept"] * len(kept)
              + [f"IoU {v:.2f}" for _, v in current.suppressed] + ["picked"])
    b = np.asarray(boxes, np.float32)
    out = draw_boxes(image, b[sel].reshape(-1, 4), labels, colours)
    return draw_boxes(out, b[[current.picked]], None, (0, 255, 60), width=max(4, round(max(image.shape[:2]) / 120)))
