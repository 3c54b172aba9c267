"""Two detectors matched box to box: the same weights at 416 and 608 pixels, hand-made detections."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core import detection as D


def _det(boxes, labels, scores=None) -> D.Detections:
    b = np.asarray(boxes, np.float32).reshape(-1, 4)
    s = np.asarray(scores if scores is not None else [0.9] * len(b), np.float32)
    return D.Detections(b, list(labels), s, "hand", (100, 100), 0.25, 0.45, b, list(labels), s, np.arange(len(b)))


def test_608_input_and_matching(scene, scene_det, yolo608):
    big = D.detect(scene, model="yolov3_tiny_608", net=yolo608)
    assert set(big.labels) == {"cat", "person"}
    agree = D.match_detections(scene_det, big, iou_threshold=0.5)
    assert len(agree.pairs) == 2 and 0.6 < agree.mean_iou < 0.99
    none = D.match_detections(scene_det, big.only(["person"]))
    assert none.only_a == (0,) and none.agreement == 0.5


def test_matching_by_hand():
    """A: two boxes; B: the first shifted by 1 px (IoU 9·10/(2·100 − 90) = 90/110), one other box, one of another class."""
    a = _det([[0, 0, 10, 10], [50, 50, 60, 60]], ["cat", "dog"])
    b = _det([[1, 0, 11, 10], [80, 80, 90, 90], [50, 50, 60, 60]], ["cat", "cat", "bird"])
    agree = D.match_detections(a, b)
    assert agree.pairs == ((0, 0, pytest.approx(90 / 110)),)
    assert agree.only_a == (1,) and agree.only_b == (1, 2)
    assert agree.agreement == pytest.approx(1 / 3) and agree.mean_iou == pytest.approx(90 / 110)
    anyclass = D.match_detections(a, b, same_label=False)
    assert [(i, j) for i, j, _ in anyclass.pairs] == [(1, 2), (0, 0)], "identical boxes first, whatever the class"
    assert D.match_detections(a, b, iou_threshold=0.9).pairs == ()
    rows = D.agreement_rows(a, b, agree)
    assert rows[0] == {"class": "cat", "score A": 0.9, "score B": 0.9, "IoU": round(90 / 110, 3)}
    assert [r["class"] for r in rows] == ["cat", "dog", "cat", "bird"] and rows[1]["score B"] is None
    empty = _det([], [])
    assert D.match_detections(empty, empty).agreement == 1.0


def test_matching_refuses_other_photos_and_bad_thresholds():
    a = _det([[0, 0, 10, 10]], ["cat"])
    b = D.Detections(a.boxes, a.labels, a.scores, "hand", (50, 50), 0.25, 0.45, a.boxes, a.labels, a.scores, a.keep)
    with pytest.raises(ValueError, match="different sizes"):
        D.match_detections(a, b)
    with pytest.raises(ValueError, match="between 0 and 1"):
        D.match_detections(a, a, iou_threshold=2.0)
