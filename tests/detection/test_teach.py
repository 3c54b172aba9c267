"""IoU and NMS for the page: hand-computed IoU, NMS round by round against torchvision, the figures."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torchvision

from vision_core import detection as D


def test_iou_golden_by_hand():
    parts = D.box_iou_parts((50, 50, 200, 200), (100, 100, 300, 250))
    assert (parts.area_a, parts.area_b, parts.inter_area, parts.union_area) == (22500, 30000, 10000, 42500)
    assert parts.iou == pytest.approx(10000 / 42500)
    assert D.box_iou_parts((0, 0, 10, 10), (20, 20, 30, 30)).iou == 0.0
    assert D.box_iou_parts((0, 0, 10, 10), (0, 0, 10, 10)).iou == pytest.approx(1.0)
    # [0,0,2,2] and [1,1,3,3]: intersection 1, union 4 + 4 − 1 = 7; [0,0,4,4] holds [1,1,3,3]: 4 / 16
    m = D.box_iou([[0, 0, 2, 2], [0, 0, 4, 4]], [[1, 1, 3, 3], [10, 10, 12, 12]])
    np.testing.assert_allclose(m, [[1 / 7, 0.0], [4 / 16, 0.0]], rtol=1e-6)
    with pytest.raises(ValueError, match="xyxy"):
        D.box_iou([10, 10, 0, 0], [0, 0, 1, 1])


def test_percent_box():
    assert D.percent_box((10, 55), (15, 70), 480, 640) == (64.0, 72.0, 352.0, 336.0)
    with pytest.raises(ValueError, match="between 0 and 100"):
        D.percent_box((10, 120), (0, 50), 480, 640)


def test_nms_steps_equal_torchvision(scene_candidates):
    det = D.select(scene_candidates, score_threshold=0.005, iou_threshold=1.0)
    idx = [i for i, lab in enumerate(det.raw_labels) if lab == "cat"]
    boxes, scores = det.raw_boxes[idx], det.raw_scores[idx]
    assert len(idx) == 6
    for thr in (0.3, 0.45, 0.7):
        steps = D.nms_steps(boxes, scores, thr)
        expected = torchvision.ops.nms(torch.tensor(boxes), torch.tensor(scores), thr).tolist()
        assert [s.picked for s in steps] == expected == list(D.nms(boxes, scores, thr))
        decided = [s.picked for s in steps] + [j for s in steps for j, _ in s.suppressed]
        assert sorted(decided) == list(range(len(boxes)))
        assert all(v > thr for s in steps for _, v in s.suppressed)
    (only,) = D.nms_steps(boxes, scores, 0.45)
    assert only.picked == int(np.argmax(scores)) and len(only.suppressed) == 5 and only.remaining == ()
    assert [round(v, 2) for _, v in only.suppressed] == [0.9, 0.77, 0.75, 0.74, 0.68]


def test_nms_walkthrough_on_the_page_defaults(scene_candidates):
    """The page's NMS view: candidates ≥ 0.1, IoU 0.45; all classes (class-agnostic) and one class."""
    det = D.select(scene_candidates, 0.1, 1.0)
    options = D.class_options(det.raw_labels)
    assert options[0] == D.ALL_CLASSES and set(options[1:]) == set(det.raw_labels)
    walk = D.nms_walkthrough(det, 0.45)
    assert walk.same_as_nms and len(walk.boxes) == len(det.raw_labels)
    rows = walk.rows()
    assert [r["class"] for r in rows[:2]] == ["cat", "person"] and rows[0]["round"] == 1
    assert rows[0]["score"] == round(float(det.raw_scores[0]), 3)
    cats = D.nms_walkthrough(det, 0.45, "cat")
    assert set(cats.labels) == {"cat"} and len(cats.steps) == 1 and cats.same_as_nms
    with pytest.raises(ValueError, match="No candidate of class 'zebra'"):
        D.nms_walkthrough(det, 0.45, "zebra")


def test_class_options_by_count():
    assert D.class_options(["dog", "cat", "cat", "bird", "dog", "cat"]) == ["all classes", "cat", "dog", "bird"]
    assert D.class_options([]) == ["all classes"]


def test_figures(scene, scene_det):
    step = D.draw_nms_step(scene, scene_det.raw_boxes, D.nms_steps(scene_det.raw_boxes, scene_det.raw_scores), 1)
    assert step.shape == scene.shape and not np.array_equal(step, scene)
    with pytest.raises(ValueError, match="round between 1 and"):
        D.draw_nms_step(scene, scene_det.raw_boxes, D.nms_steps(scene_det.raw_boxes, scene_det.raw_scores), 0)
    iou_fig = D.draw_iou_figure((10, 10, 100, 100), (50, 50, 150, 150), size=(200, 200))
    r, g, b = (int(v) for v in iou_fig[75, 75])
    assert g > r + 20 and g > b + 20, "the intersection is filled green"
    assert tuple(iou_fig[30, 30]) == (255, 255, 255) and tuple(iou_fig[190, 20]) == (255, 255, 255)
