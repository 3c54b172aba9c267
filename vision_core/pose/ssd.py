"""MediaPipe's SSD detection heads decoded by hand: BlazePose's person detector, BlazeFace and the palm detector.

A port of MediaPipe's ``TensorsToDetectionsCalculator`` (with ``reverse_output_order``: x before y) followed
by its WEIGHTED non-maximum suppression. The network returns, per anchor, one score logit and
``4 + 2·K`` numbers: box centre offset and size, then ``K`` keypoints, all in input pixels. With fixed-size
anchors (every MediaPipe detector here), a box centre is ``anchor centre + offset / input side``.

``decode_ssd`` returns *fractions of the network input* (the letterboxed square); ``detect_on_photo`` runs a
detector on a photo (letterbox, decode) and maps its boxes and keypoints back to photo pixels
(``vision_core.ops.boxes.unletterbox_boxes`` / ``unletterbox_points``). Boxes are ``xyxy``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from vision_core.ops.boxes import unletterbox_boxes, unletterbox_points, weighted_nms
from vision_core.pose.crops import check_input_side, sigmoid

__all__ = ["SsdHead", "decode_ssd", "detect_on_photo"]


@dataclass(frozen=True)
class SsdHead:
    """One detector's head: input ``side`` in pixels, ``keypoints`` per box, the weighted-NMS ``iou``
    and MediaPipe's ``score_clip`` (logits are clipped to ± this before the sigmoid)."""

    side: int
    keypoints: int
    iou: float = 0.3
    score_clip: float = 100.0


def decode_ssd(outputs: Sequence[np.ndarray], anchors: np.ndarray, head: SsdHead, min_score: float,
               limit: int) -> list[tuple[np.ndarray, float, np.ndarray]]:
    """``(box, score, keypoints)`` of at most ``limit`` detections with score > ``min_score``, best first.

    ``outputs`` are the TFLite outputs: ``(1, N, 4 + 2K)`` regressors and ``(1, N, 1)`` logits;
    ``anchors`` ``(N, 4)`` rows ``(x_centre, y_centre, w, h)`` in [0, 1]. ``box`` is ``(4,)`` xyxy and
    ``keypoints`` ``(K, 2)``, both in fractions of the input; overlapping boxes (IoU > ``head.iou``)
    are merged into their score-weighted mean, and ``score`` is the best score of the group.
    """
    coords = 4 + 2 * head.keypoints  # per anchor: the box (4), then K keypoints (x, y)
    raw = next(o for o in outputs if o.shape[-1] == coords)[0]
    logits = next(o for o in outputs if o.shape[-1] == 1)[0, :, 0]
    scores = sigmoid(np.clip(logits, -head.score_clip, head.score_clip))
    keep = scores > min_score
    if not keep.any():
        return []
    raw, scores, a = raw[keep], scores[keep], anchors[keep]
    side = float(head.side)
    cx = raw[:, 0] / side + a[:, 0]
    cy = raw[:, 1] / side + a[:, 1]
    bw, bh = np.maximum(raw[:, 2], 0) / side, np.maximum(raw[:, 3], 0) / side
    boxes = np.stack([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], 1)
    kps = raw[:, 4:coords].reshape(-1, head.keypoints, 2) / side + a[:, None, :2]
    merged = weighted_nms(boxes, scores, kps.reshape(len(kps), -1), head.iou)[:limit]
    return [(b.astype(np.float32), float(s), k.reshape(head.keypoints, 2).astype(np.float32)) for b, s, k in merged]


def detect_on_photo(image: np.ndarray, detector: Any, anchors: np.ndarray, pre: Any, head: SsdHead, min_score: float,
                    limit: int, what: str, *, clip: bool = True,
                    ) -> list[tuple[tuple[float, float, float, float], float, np.ndarray]]:
    """A MediaPipe SSD detector on an ``(H, W, 3)`` uint8 RGB photo: ``pre`` (a ``Letterboxed`` recipe, whose
    size must be the network's input side; ``what`` names the network in that error) letterboxes it, the
    outputs are decoded (``decode_ssd``) and mapped back to the photo. Each detection is ``(box, score,
    keypoints)``: ``box`` xyxy photo pixels (clipped to the photo when ``clip``), ``keypoints`` ``(K, 2)`` pixels."""
    check_input_side(detector.input_hw, pre.size, what)
    x, box = pre(image)
    found = decode_ssd(detector(x[None]), anchors, head, min_score, limit)
    out = []
    for b, score, kp in found:
        if clip:
            pixels = unletterbox_boxes(b, box, normalized=True)[0]
        else:
            pixels = unletterbox_points(b.reshape(2, 2), box, normalized=True).ravel()
        out.append((tuple(float(v) for v in pixels), score, unletterbox_points(kp, box, normalized=True)))
    return out
