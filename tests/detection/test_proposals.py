"""Sliding windows counted by hand, and Selective-Search-style proposals that cover the detected objects."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core import detection as D


def test_region_proposals_cover_the_objects(scene, scene_det):
    props = D.region_proposals(scene)
    assert not D.selective_search_available(), "opencv-python-headless has no ximgproc"
    assert 500 <= props.count <= 5000 and props.seconds > 0
    assert np.all(props.boxes[:, 2] <= 640) and np.all(props.boxes[:, 3] <= 480)
    assert D.box_iou(scene_det.boxes, props.boxes).max(1).min() > 0.8, "a proposal hugs each detected object"
    assert D.draw_proposals(scene, props, limit=50).shape == scene.shape
    with pytest.raises(ValueError, match="positive Felzenszwalb scale"):
        D.region_proposals(scene, scales=())


def test_sliding_window_count():
    assert D.sliding_window_count(128, 128, (64,), (1.0,), 0.5) == 9
    assert D.sliding_window_count(300, 451, (64, 128, 256), (0.5, 1.0, 2.0), 0.25) == 1292
    assert D.sliding_window_count(100, 100, (256,), (1.0,), 0.25) == 0
    boxes = D.sliding_window_boxes(300, 451, 128, 2.0, 0.25)
    assert len(boxes) == D.sliding_window_count(300, 451, (128,), (2.0,), 0.25) == 9 * 7
    assert tuple(boxes[0]) == (0, 0, 181, 91) and tuple(boxes[1]) == (32, 0, 213, 91)
    assert boxes[:, 2].max() <= 451 and boxes[:, 3].max() <= 300
    with pytest.raises(ValueError):
        D.sliding_window_count(100, 100, (64,), (1.0,), 0.0)
    drawn = D.draw_proposals(np.zeros((300, 451, 3), np.uint8), boxes, limit=5)
    assert drawn.any() and drawn.shape == (300, 451, 3)
