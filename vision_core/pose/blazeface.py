"""BlazeFace: MediaPipe's short-range face detector (TFLite), decoded by hand in numpy.

The photo is letterboxed to 128×128 with black borders, values in [-1, 1] (``BLAZEFACE_INPUT``); the
network regresses 896 SSD anchors (``BLAZEFACE_ANCHORS``: 16×16×2 + 8×8×6), each a box and 6 keypoints
(``BLAZEFACE_KEYPOINT_NAMES``), decoded by ``vision_core.pose.ssd`` and merged with weighted NMS at IoU 0.3,
as MediaPipe's ``face_detection_short_range`` graph does. "Short range" means faces within about two
metres of a phone camera: faces that fill a good part of the photo.

Boxes are ``xyxy`` pixels of the photo (clipped to it); images are ``(H, W, 3)`` uint8 RGB.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from vision_core.checks import check_fraction, check_image, check_int
from vision_core.models.pose import BLAZEFACE_INPUT, BLAZEFACE_KEYPOINT_NAMES, BlazeFace
from vision_core.pose.ssd import SsdHead, detect_on_photo

__all__ = ["BLAZEFACE_KEYPOINT_NAMES", "FaceBox", "blazeface_detect", "blazeface_table"]

BLAZEFACE_IOU = 0.3
"""MediaPipe's weighted-NMS overlap for BlazeFace."""


@dataclass(frozen=True)
class FaceBox:
    """A BlazeFace face: ``box`` xyxy pixels, ``score``, ``keypoints`` ``(6, 2)`` pixels in
    ``BLAZEFACE_KEYPOINT_NAMES`` order."""

    box: tuple[float, float, float, float]
    score: float
    keypoints: np.ndarray


def blazeface_detect(image: np.ndarray, net: BlazeFace, min_score: float = 0.5, max_faces: int = 10) -> list[FaceBox]:
    """Faces found by BlazeFace with score > ``min_score``, best first (at most ``max_faces``)."""
    image = check_image(image)
    min_score = check_fraction(min_score, "The face score threshold")
    max_faces = check_int(max_faces, 1, 100, "The number of faces")
    pre = BLAZEFACE_INPUT
    found = detect_on_photo(image, net.detector, net.anchors, pre, SsdHead(pre.size, 6, BLAZEFACE_IOU), min_score,
                            max_faces, "BlazeFace")
    return [FaceBox(*face) for face in found]


def blazeface_table(faces: list[FaceBox]) -> list[dict[str, Any]]:
    """One row per face: number, score (3 decimals), the box and each keypoint in whole pixels."""
    return [
        {"face": i + 1, "score": round(f.score, 3), "box (x0, y0, x1, y1)": ", ".join(f"{v:.0f}" for v in f.box)}
        | {name: f"({x:.0f}, {y:.0f})" for name, (x, y) in zip(BLAZEFACE_KEYPOINT_NAMES, f.keypoints)}
        for i, f in enumerate(faces)
    ]
