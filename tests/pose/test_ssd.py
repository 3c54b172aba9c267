"""MediaPipe's SSD decoding against hand-computed anchor maths (no network): offsets, sizes, keypoints, merging."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.models.pose import BLAZEFACE_ANCHORS, PALM_ANCHORS
from vision_core.models.tflite import ssd_anchors
from vision_core.pose.ssd import SsdHead, decode_ssd


def _outputs(rows: list[list[float]], logits: list[float]) -> list[np.ndarray]:
    return [np.array([rows], np.float32), np.array(logits, np.float32).reshape(1, -1, 1)]


def test_one_anchor_decoded_by_hand():
    head = SsdHead(side=192, keypoints=1)
    anchors = np.array([[0.5, 0.5, 1.0, 1.0]], np.float32)
    # centre offset (+19.2, −9.6) px, size 38.4 × 19.2 px, keypoint offset (−19.2, 0) px, on a 192-px input
    out = _outputs([[19.2, -9.6, 38.4, 19.2, -19.2, 0.0]], [2.0])
    (box, score, kps), = decode_ssd(out, anchors, head, 0.5, 5)
    # centre (0.5 + 0.1, 0.5 − 0.05) = (0.6, 0.45), size (0.2, 0.1) → xyxy (0.5, 0.4, 0.7, 0.5)
    np.testing.assert_allclose(box, [0.5, 0.4, 0.7, 0.5], atol=1e-6)
    assert score == pytest.approx(1 / (1 + np.exp(-2.0)))  # 0.8808
    np.testing.assert_allclose(kps, [[0.4, 0.5]], atol=1e-6)


def test_overlapping_boxes_merge_into_their_score_weighted_mean_and_low_scores_are_dropped():
    head = SsdHead(side=100, keypoints=1)
    anchors = np.array([[0.5, 0.5, 1, 1], [0.5, 0.5, 1, 1], [0.1, 0.1, 1, 1]], np.float32)
    out = _outputs([[0, 0, 20, 20, 0, 0], [2, 0, 20, 20, 10, 0], [0, 0, 10, 10, 0, 0]], [2.0, 1.0, -3.0])
    found = decode_ssd(out, anchors, head, 0.5, 5)
    assert len(found) == 1, "the third anchor's score is sigmoid(−3) = 0.047 < 0.5"
    box, score, kps = found[0]
    w1, w2 = 1 / (1 + np.exp(-2.0)), 1 / (1 + np.exp(-1.0))  # 0.8808, 0.7311; the two boxes overlap with IoU 0.82
    cx = (0.5 * w1 + 0.52 * w2) / (w1 + w2)
    np.testing.assert_allclose(box, [cx - 0.1, 0.4, cx + 0.1, 0.6], atol=1e-6)
    assert score == pytest.approx(w1)
    np.testing.assert_allclose(kps, [[(0.5 * w1 + 0.6 * w2) / (w1 + w2), 0.5]], atol=1e-6)


def test_anchor_counts_of_the_two_new_detectors():
    """16×16×2 + 8×8×6 = 896 (BlazeFace, 128 px) and 24×24×2 + 12×12×6 = 2016 (palms, 192 px)."""
    face, palm = ssd_anchors(BLAZEFACE_ANCHORS), ssd_anchors(PALM_ANCHORS)
    assert len(face) == 896 and len(palm) == 2016
    np.testing.assert_allclose(face[0], [0.5 / 16, 0.5 / 16, 1, 1])
    np.testing.assert_allclose(palm[1152], [0.5 / 12, 0.5 / 12, 1, 1]), "the first stride-16 anchor"
