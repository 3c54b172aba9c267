"""vision_core.ops.boxes on hand-computed cases: IoU, the NMS variants, the step-by-step NMS against
torchvision's, letterboxing there and back."""

from __future__ import annotations

import numpy as np
import pytest
import torchvision
import torch

from vision_core.errors import BadInput
from vision_core.ops.boxes import (
    as_boxes,
    box_iou,
    box_iou_parts,
    clip_boxes,
    letterbox,
    nms,
    nms_steps,
    unletterbox_boxes,
    unletterbox_points,
    weighted_nms,
)


def test_iou_of_hand_drawn_boxes():
    # [0,0,2,2] and [1,1,3,3]: intersection 1, union 4 + 4 − 1 = 7
    assert box_iou([0, 0, 2, 2], [1, 1, 3, 3])[0, 0] == pytest.approx(1 / 7)
    # identical, disjoint, nested (area 4 inside area 16)
    m = box_iou([[0, 0, 2, 2]], [[0, 0, 2, 2], [5, 5, 6, 6], [-1, -1, 3, 3]])
    np.testing.assert_allclose(m, [[1.0, 0.0, 4 / 16]])
    parts = box_iou_parts((0, 0, 4, 3), (2, 1, 6, 5))  # 12 and 16, overlap 2×2
    assert (parts.area_a, parts.area_b, parts.inter_area, parts.union_area) == (12, 16, 4, 24)
    assert parts.iou == pytest.approx(4 / 24) and parts.intersection == (2, 1, 4, 3)
    assert box_iou_parts((0, 0, 1, 1), (2, 2, 3, 3)).intersection is None


def test_bad_boxes_are_explained():
    with pytest.raises(BadInput, match=r"\(N, 4\) xyxy boxes, got shape \(2, 3\)"):
        as_boxes(np.zeros((2, 3)))
    with pytest.raises(BadInput, match="x2 ≥ x1"):
        as_boxes([3, 0, 1, 2])
    with pytest.raises(BadInput, match="finite"):
        as_boxes([0, 0, np.nan, 1])
    with pytest.raises(BadInput, match="2 boxes but 3 scores"):
        nms([[0, 0, 1, 1], [0, 0, 1, 1]], [0.1, 0.2, 0.3])
    assert as_boxes([]).shape == (0, 4) and nms([], []).shape == (0,)


BOXES = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [21, 20, 31, 30], [0, 0, 9, 10]], np.float32)
SCORES = np.array([0.9, 0.8, 0.7, 0.95, 0.6], np.float32)


def test_greedy_nms_by_hand():
    # IoU(0,1) = 81 / 119 = 0.68; IoU(2,3) = 90 / 110 = 0.82; IoU(0,4) = 0.9; IoU(1,4) = 72/118 = 0.61
    assert nms(BOXES, SCORES, 0.5).tolist() == [3, 0]
    assert nms(BOXES, SCORES, 0.7).tolist() == [3, 0, 1]
    assert nms(BOXES, SCORES, 0.95).tolist() == [3, 0, 1, 2, 4]
    # per class: box 3 is another class, so it does not suppress box 2
    assert nms(BOXES, SCORES, 0.5, classes=["a", "a", "b", "c", "a"]).tolist() == [3, 0, 2]


def test_step_by_step_nms_equals_torchvision():
    rng = np.random.default_rng(0)
    for _ in range(20):
        xy = rng.uniform(0, 100, (30, 2))
        wh = rng.uniform(5, 40, (30, 2))
        b = np.concatenate([xy, xy + wh], 1).astype(np.float32)
        s = rng.uniform(0, 1, 30).astype(np.float32)
        for thr in (0.3, 0.5, 0.7):
            steps = nms_steps(b, s, thr)
            ref = torchvision.ops.nms(torch.from_numpy(b), torch.from_numpy(s), thr).tolist()
            assert [st.picked for st in steps] == ref
            assert sum(1 + len(st.suppressed) for st in steps) == 30


def test_min_overlap_nms_is_mtcnns_inclusive_intersection_over_the_smaller_box():
    # A 0..9 (10×10 pixels inclusive), B 5..9 × 0..9 (5×10): intersection 50 = all of B → overlap 1.0
    boxes = np.array([[0, 0, 9, 9], [5, 0, 9, 9], [20, 20, 29, 29]], np.float32)
    assert nms(boxes, [0.9, 0.8, 0.7], 0.7, overlap="min").tolist() == [0, 2]
    assert nms(boxes, [0.9, 0.8, 0.7], 0.7).tolist() == [0, 1, 2], "IoU is only 0.5"


def test_weighted_nms_averages_a_group_by_score():
    boxes = np.array([[0, 0, 10, 10], [2, 0, 12, 10], [50, 50, 60, 60]], np.float32)
    scores = np.array([0.75, 0.25, 0.5], np.float32)
    extra = np.array([[1.0], [5.0], [9.0]], np.float32)
    out = weighted_nms(boxes, scores, extra, 0.3)  # IoU(0,1) = 80/120
    assert len(out) == 2
    box, score, ex = out[0]
    np.testing.assert_allclose(box, [0.5, 0, 10.5, 10])  # 0.75·0 + 0.25·2 etc.
    assert score == pytest.approx(0.75) and ex[0] == pytest.approx(2.0)
    np.testing.assert_allclose(out[1][0], [50, 50, 60, 60])


def test_letterbox_fits_and_unletterbox_returns():
    image = np.zeros((100, 200, 3), np.uint8)
    image[:, :100] = 255
    x, lb = letterbox(image, 64, fill=0.5)
    assert x.shape == (64, 64, 3) and x.dtype == np.float32
    assert (lb.scale, lb.new_w, lb.new_h, lb.dx, lb.dy) == (0.32, 64, 32, 0, 16)
    assert x[0, 0, 0] == pytest.approx(0.5) and x[63, 63, 0] == pytest.approx(0.5), "grey borders top and bottom"
    assert x[20, 5, 0] == pytest.approx(1.0) and x[20, 60, 0] == pytest.approx(0.0)
    # the whole input square maps back to the whole image, clipped
    np.testing.assert_allclose(unletterbox_boxes([[0, 0, 64, 64]], lb), [[0, 0, 200, 100]], atol=1e-4)
    np.testing.assert_allclose(unletterbox_boxes([[0.5, 0.5, 0.25, 0.25]], lb, fmt="cxcywh", normalized=True),
                               [[75, 25, 125, 75]], atol=1e-4)
    np.testing.assert_allclose(unletterbox_points([[32, 32]], lb), [[100, 50]])
    np.testing.assert_allclose(clip_boxes([[-5, -5, 300, 50]], 100, 200), [[0, 0, 200, 50]])
