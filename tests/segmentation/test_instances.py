"""Instances: Mask R-CNN with stubbed weights, the offline substitutes fed with boxes, boxes from keypoints."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import torch
import torchvision

from vision_core import pose as P
from vision_core import segmentation as S
from vision_core.models import WeightsMissing, get_model, get_spec, missing_requirements

pytestmark = pytest.mark.usefixtures("one_thread")


def test_mask_rcnn_offline_message_then_stubbed_download(astronaut, hub):
    """Mask R-CNN with weights=None saved as the download, loaded by get_model; run at a small size to stay fast."""
    spec = get_spec("maskrcnn")
    assert "170 MB" in missing_requirements(spec)[0] and spec.classes[1] == "person"
    with pytest.raises(WeightsMissing, match="MaskRCNN_ResNet50_FPN_Weights"):
        get_model("maskrcnn")
    torch.manual_seed(0)
    stub = torchvision.models.detection.maskrcnn_resnet50_fpn(weights=None, weights_backbone=None)
    spec.weights.cache_path.parent.mkdir(parents=True)
    torch.save(stub.state_dict(), spec.weights.cache_path)
    del stub
    net = get_model("maskrcnn", "cpu")
    net.transform.min_size, net.transform.max_size = (128,), 160
    small = astronaut[::4, ::4].copy()
    res = S.mask_rcnn_instances(small, net, spec.classes, score_threshold=0.0)
    assert not res.substitute and res.method == "Mask R-CNN" and len(res) > 0
    assert res.masks.shape == (len(res), 128, 128) and res.boxes.shape == (len(res), 4) and len(res.labels) == len(res)
    assert set(res.labels) <= set(spec.classes)
    assert S.instance_overlay(small, res).shape == small.shape
    with pytest.raises(ValueError, match="between 0 and 1"):
        S.mask_rcnn_instances(small, net, spec.classes, score_threshold=1.5)


def test_grabcut_substitute_finds_the_astronaut(astronaut, selfie):
    people = P.detect_people(astronaut, get_model("blazepose", "cpu"))
    body = np.array([[60, 100, 380, 512]], np.float32)
    res = S.grabcut_instances(astronaut, body, scores=np.array([people[0].score]))
    assert res.substitute and "substitute" in res.method and "Mask R-CNN" not in res.method
    mask = res.masks[0]
    person = selfie.class_map == 1
    iou = (mask & person).sum() / (mask | person).sum()
    assert iou > 0.5, iou
    assert not mask[:, 400:].any(), "nothing outside the box"
    split = S.split_mask_by_boxes(person, np.array([[0, 0, 256, 512], [256, 0, 512, 512]]))
    assert len(split) == 2 and (split.masks[0] | split.masks[1]).sum() == person.sum()
    assert not (split.masks[0] & split.masks[1]).any()
    drawn = S.instance_overlay(astronaut, res)
    assert (drawn != astronaut).any()
    with pytest.raises(ValueError, match="iterations"):
        S.grabcut_instances(astronaut, body, iterations=0)
    with pytest.raises(ValueError, match="1 boxes but 2 labels"):
        S.grabcut_instances(astronaut, body, labels=("person", "cat"))


def test_split_mask_by_boxes_by_hand():
    """A 4×6 mask, two boxes overlapping on column 3: each pixel goes to the nearer box centre."""
    mask = np.ones((4, 6), bool)
    res = S.split_mask_by_boxes(mask, np.array([[0, 0, 4, 4], [3, 0, 6, 4]], np.float32), ("a", "b"), [0.9, 0.8])
    # centres x = 2 and 4.5: column 3 is 1 from the first, 1.5 from the second
    assert res.masks[0].sum() == 16 and res.masks[1].sum() == 8
    assert res.masks[0][:, 3].all() and not res.masks[1][:, 3].any()
    assert res.labels == ("a", "b") and res.scores.tolist() == pytest.approx([0.9, 0.8])
    with pytest.raises(ValueError, match=r"\(H, W\)"):
        S.split_mask_by_boxes(np.ones((2, 2, 2), bool), np.zeros((0, 4)))


def _pt(x, y, score=1.0):
    return SimpleNamespace(x=x, y=y, score=score)


def test_boxes_around_keypoints_by_hand():
    """Points spanning x 10–110, y 20–220, widened 10 % (10 px and 20 px) each side; a hidden point and a person
    with only two visible points do not count; boxes are clipped to the photo."""
    person = [_pt(10, 20), _pt(110, 220), _pt(60, 100), _pt(500, 500, 0.1)]
    few = [_pt(0, 0), _pt(5, 5), _pt(9, 9, 0.29)]
    edge = [_pt(0, 0), _pt(100, 0), _pt(100, 50)]
    boxes, scores = S.boxes_around_keypoints([person, few, edge], [0.9, 0.8, 0.7], 240, 300)
    np.testing.assert_allclose(boxes, [[0, 0, 120, 240], [0, 0, 110, 55]])
    assert scores.tolist() == pytest.approx([0.9, 0.7])
    boxes, _ = S.boxes_around_keypoints([person], [0.9], 400, 400)
    np.testing.assert_allclose(boxes, [[0, 0, 120, 240]])
    boxes, _ = S.boxes_around_keypoints([person], [0.9], 400, 400, margin=0.0)
    np.testing.assert_allclose(boxes, [[10, 20, 110, 220]])
    empty, none = S.boxes_around_keypoints([], [], 10, 10)
    assert empty.shape == (0, 4) and none.shape == (0,)
    with pytest.raises(ValueError, match="2 people but 1 scores"):
        S.boxes_around_keypoints([person, edge], [0.9], 10, 10)


def test_blazepose_box_on_the_astronaut(astronaut):
    """The page's BlazePose rule: landmarks with visibility ≥ 0.3 and the estimated head top, 10 % wider; the
    astronaut's box runs from the top of the photo to the bottom, x 65.8–332.4 (the numbers before the split)."""
    poses = P.estimate_pose(astronaut, "blazepose", net=get_model("blazepose", "cpu"), max_people=5)
    boxes, scores = S.boxes_around_keypoints([(*p.keypoints, *P.to_joints14(p)[13:]) for p in poses],
                                             [p.score for p in poses], 512, 512)
    np.testing.assert_allclose(boxes, [[65.79, 0.0, 332.41, 512.0]], atol=0.5)
    assert scores.tolist() == pytest.approx([0.818], abs=0.01)
