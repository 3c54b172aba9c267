"""vision_core.segmentation.agreement: mask IoU and per-class IoU on hand-made maps, the selfie model against GrabCut
in BlazePose's person box on the astronaut, and DeepLabV3 against FCN with stubbed (weights=None) downloads.

Measured on the astronaut (512×512): selfie person mask 142,862 px, GrabCut (3 iterations, one BlazePose box)
79,454 px, both 79,363 px: IoU 0.555 (GrabCut's mask lies almost entirely inside the selfie model's and covers
56 % of it).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torchvision

from vision_core import pose as P
from vision_core import segmentation as S
from vision_core.errors import BadInput
from vision_core.models import get_model, get_spec

pytestmark = pytest.mark.usefixtures("one_thread")


def test_mask_iou_hand_cases():
    a = np.zeros((4, 4), bool)
    b = np.zeros((4, 4), bool)
    a[:2, :2] = True  # 4 pixels
    b[1:3, 1:3] = True  # 4 pixels, overlapping a in pixel (1, 1)
    m = S.mask_iou(a, b)
    assert (m.intersection, m.union, m.only_a, m.only_b) == (1, 7, 3, 3) and m.iou == pytest.approx(1 / 7)
    assert S.mask_iou(a, a).iou == 1.0 and S.mask_iou(a, ~a).iou == 0.0
    assert math.isnan(S.mask_iou(np.zeros((3, 3)), np.zeros((3, 3))).iou), "two empty masks: nothing to compare"
    with pytest.raises(BadInput, match="same size"):
        S.mask_iou(a, b[:3])


def test_class_agreement_hand_case():
    """Class maps over (background, cat, dog):
    A = 0 0 1 1 / 0 1 1 1 / 0 0 2 2, B = 0 0 1 1 / 0 0 1 2 / 0 2 2 2.
    background: A 5, B 5, both 4 → 4/6; cat: A 5, B 3, both 3 → 3/5; dog: A 2, B 4, both 2 → 2/4.
    Mean IoU (4/6 + 3/5 + 2/4) / 3 = 0.5889; the same class at 4 + 3 + 2 = 9 of 12 pixels."""
    a = np.array([[0, 0, 1, 1], [0, 1, 1, 1], [0, 0, 2, 2]])
    b = np.array([[0, 0, 1, 1], [0, 0, 1, 2], [0, 2, 2, 2]])
    got = S.class_agreement(a, b, ("background", "cat", "dog"))
    assert got.names == ("background", "cat", "dog")
    assert [round(m.iou, 4) for m in got.per_class] == [round(4 / 6, 4), 0.6, 0.5]
    assert got.mean_iou == pytest.approx((4 / 6 + 0.6 + 0.5) / 3) and got.pixel_agreement == pytest.approx(9 / 12)
    assert got.iou("dog") == 0.5 and got.table()[1] == {"class": "cat", "IoU": 0.6, "pixels A": 5, "pixels B": 3,
                                                         "both": 3, "only A": 2, "only B": 0}
    no_bg = S.class_agreement(a, b, ("background", "cat", "dog"), include_background=False)
    assert no_bg.names == ("cat", "dog") and no_bg.mean_iou == pytest.approx(0.55)
    three = S.class_agreement(a, b, ("background", "cat", "dog", "bird"))
    assert "bird" not in three.names, "a class neither map uses is left out of the mean"
    with pytest.raises(BadInput, match="choose one of: background, cat, dog"):
        got.iou("bird")
    with pytest.raises(BadInput, match="outside the 2 classes"):
        S.class_agreement(a, b, ("background", "cat"))


def test_mask_agreement_picture_colours():
    image = np.full((8, 9, 3), 100, np.uint8)
    a = np.zeros((8, 9), bool)
    b = np.zeros((8, 9), bool)
    a[0, :2] = b[0, 1:3] = True
    pic = S.mask_agreement_picture(image, a, b, 1.0)
    assert pic[0, :3].tolist() == [[31, 119, 180], [46, 160, 67], [255, 127, 14]] and pic[1, 0].tolist() == [100] * 3
    half = S.mask_agreement_picture(image, a, b, 0.5)
    assert half[0, 1].tolist() == [73, 130, 83], "(100 + green) / 2, rounded down as blend_masks"
    assert S.union_mask(np.stack([a, b]), (8, 9))[0, :4].tolist() == [True, True, True, False]
    assert not S.union_mask(np.zeros((0, 8, 9), bool), (8, 9)).any()


def test_selfie_against_grabcut_on_the_astronaut(astronaut, selfie):
    poses = P.estimate_pose(astronaut, "blazepose", net=get_model("blazepose", "cpu"), max_people=5)
    h, w = astronaut.shape[:2]
    boxes, scores = S.boxes_around_keypoints([(*p.keypoints, *P.to_joints14(p)[13:]) for p in poses],
                                             [p.score for p in poses], h, w)
    assert len(boxes) == 1
    cut = S.grabcut_instances(astronaut, boxes, ("person",), scores, iterations=3)
    got = S.mask_iou(selfie.mask("person"), S.union_mask(cut.masks, (h, w)))
    assert 0 < got.iou <= 1
    assert got.iou == pytest.approx(0.555, abs=0.05), got
    assert got.pixels_a == (selfie.class_map == 1).sum() and got.intersection > 0.9 * got.pixels_b, \
        "GrabCut's person lies almost entirely inside the selfie model's"


def test_deeplabv3_against_fcn_with_stubbed_downloads(astronaut, hub, relaxed_hash):
    """Both VOC segmenters built with weights=None and saved where torch.hub caches the download: the registry
    loads them, both segment the astronaut and every class either finds gets an IoU."""
    torch.manual_seed(0)
    builders = {"deeplabv3": torchvision.models.segmentation.deeplabv3_mobilenet_v3_large,
                "fcn_resnet50": torchvision.models.segmentation.fcn_resnet50}
    results = {}
    for name, build in builders.items():
        spec = get_spec(name)
        spec.weights.cache_path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(build(weights=None, weights_backbone=None, aux_loss=True).state_dict(), spec.weights.cache_path)
        results[name] = S.segment(astronaut, name, net=get_model(name, "cpu"))
    a, b = results["deeplabv3"], results["fcn_resnet50"]
    assert a.class_names == b.class_names and len(a.class_names) == 21
    got = S.class_agreement(a.class_map, b.class_map, a.class_names)
    used = sorted(set(np.unique(a.class_map)) | set(np.unique(b.class_map)))
    assert got.names == tuple(a.class_names[c] for c in used)
    assert all(0 <= m.iou <= 1 for m in got.per_class) and 0 <= got.mean_iou <= 1
    assert got.pixel_agreement == pytest.approx(float((a.class_map == b.class_map).mean()))
    assert sum(m.pixels_a for m in got.per_class) == astronaut.shape[0] * astronaut.shape[1]
    same = S.class_agreement(a.class_map, a.class_map, a.class_names)
    assert same.mean_iou == 1.0 and same.pixel_agreement == 1.0
