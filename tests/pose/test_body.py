"""vision_core.pose.body: BlazePose on scikit-image's astronaut (points inside the MTCNN face box, the letterbox and the
rotated crop follow the photo), MediaPipe's anchors, input checks, Keypoint R-CNN offline and with stubbed weights."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torchvision

from tests.pose.util import inside
from vision_core import pose as P
from vision_core.errors import BadInput
from vision_core.models import WeightsMissing, get_model, get_spec, missing_requirements
from vision_core.models.pose import BLAZEPOSE_INPUT
from vision_core.models.tflite import AnchorOptions, ssd_anchors

pytestmark = pytest.mark.usefixtures("one_thread")


def test_blazepose_nose_and_eyes_inside_the_mtcnn_face_box(pose, face):
    for name in ("nose", "left_eye", "right_eye"):
        k = pose.get(name)
        assert inside(k.x, k.y, face.box), (name, k, face.box)
        assert k.score > 0.9
    assert len(pose.keypoints) == 33 and pose.keypoints[0].name == "nose"
    ls, rs = pose.get("left_shoulder"), pose.get("right_shoulder")
    assert ls.x > face.box[2] and rs.x < face.box[0], "her left shoulder is on the image's right"
    assert min(ls.y, rs.y) > face.box[3], "shoulders below the face"


def test_letterbox_and_rotated_crop_follow_the_photo(astronaut, blazepose, pose):
    """Padding the photo shifts every landmark; rotating it by 90° rotates them (the ROI turns with the body)."""
    nose = pose.get("nose")
    wide = np.pad(astronaut, ((0, 0), (200, 200), (0, 0)))
    moved = P.estimate_pose(wide, net=blazepose)[0].get("nose")
    assert abs(moved.x - (nose.x + 200)) < 15 and abs(moved.y - nose.y) < 15
    turned = P.estimate_pose(np.rot90(astronaut).copy(), net=blazepose)
    assert len(turned) == 1
    rx, ry = nose.y, astronaut.shape[1] - 1 - nose.x
    assert np.hypot(turned[0].get("nose").x - rx, turned[0].get("nose").y - ry) < 15


def test_person_detector_box_and_keypoints(astronaut, blazepose, face):
    people = P.detect_people(astronaut, blazepose)
    assert len(people) >= 1 and 0.5 < people[0].score <= 1.0
    mid_hip, _, mid_shoulder, _ = people[0].keypoints
    assert mid_shoulder[1] < mid_hip[1], "shoulders above hips"
    assert face.box[3] < mid_shoulder[1] + 60
    x0, y0, x1, y1 = people[0].box
    assert 0 <= x0 < x1 <= 512 and 0 <= y0 < y1 <= 512, "the box is in the photo's pixels, clipped"


def test_the_recipe_is_what_the_networks_take(blazepose):
    """The page shows BLAZEPOSE_INPUT's text; these are the numbers the TFLite files expect."""
    assert BLAZEPOSE_INPUT["detector"].size == 224 and tuple(blazepose.detector.input_hw) == (224, 224)
    assert BLAZEPOSE_INPUT["landmarks"].side == 256 and tuple(blazepose.landmarks.input_hw) == (256, 256)
    text = get_spec("blazepose").preprocessing_text
    assert "letterbox to 224×224" in text and "[-1, 1]" in text and "rotated 256×256 crop, 1.25× the box" in text


def test_mediapipe_pose_anchors():
    anchors = ssd_anchors(AnchorOptions(224, 224, 5, 0.1484375, 0.75, (8, 16, 32, 32, 32)))
    assert anchors.shape == (2254, 4), "28²·2 + 14²·2 + 7²·6"
    np.testing.assert_allclose(anchors[0], [0.5 / 28, 0.5 / 28, 1, 1], rtol=1e-6)
    np.testing.assert_allclose(anchors[1568], [0.5 / 14, 0.5 / 14, 1, 1], rtol=1e-6)
    np.testing.assert_allclose(anchors[-1], [6.5 / 7, 6.5 / 7, 1, 1], rtol=1e-6)
    not_fixed = ssd_anchors(AnchorOptions(224, 224, 5, 0.1484375, 0.75, (8, 16, 32, 32, 32), fixed_anchor_size=False))
    assert not_fixed[0, 2] == pytest.approx(0.1484375)


def test_bad_inputs_are_explained(astronaut, blazepose):
    with pytest.raises(BadInput, match="Unknown pose model 'openpose'. Choose one of: blazepose, keypointrcnn"):
        P.estimate_pose(astronaut, "openpose", net=blazepose)
    with pytest.raises(BadInput, match="min_score"):
        P.estimate_pose(astronaut, net=blazepose, min_score=1.5)
    with pytest.raises(BadInput, match="max_people must be between 1 and 20"):
        P.estimate_pose(astronaut, net=blazepose, max_people=0)
    with pytest.raises(ValueError, match="shape"):
        P.estimate_pose(astronaut[..., 0], net=blazepose)
    with pytest.raises(TypeError):
        P.estimate_pose(astronaut)  # the network is required: vision_core never loads one itself
    empty = np.zeros((64, 64, 3), np.uint8)
    assert P.estimate_pose(empty, net=blazepose) == []


def test_keypoint_rcnn_offline_message_and_stubbed_weights(astronaut, hub):
    spec = get_spec("keypointrcnn")
    lines = missing_requirements(spec)
    assert len(lines) == 1 and "226 MB" in lines[0] and "download.pytorch.org" in lines[0]
    with pytest.raises(WeightsMissing, match="KeypointRCNN_ResNet50_FPN_Weights"):
        get_model("keypointrcnn")
    torch.manual_seed(0)
    net = torchvision.models.detection.keypointrcnn_resnet50_fpn(
        weights=None, weights_backbone=None, num_keypoints=17, min_size=160, max_size=200).eval()
    poses = P.estimate_pose(astronaut, "keypointrcnn", net=net, min_score=0.01, max_people=2)
    assert 1 <= len(poses) <= 2
    assert [k.name for k in poses[0].keypoints] == list(P.COCO_NAMES)
    assert len(P.to_joints14(poses[0])) == 14
    assert P.draw_poses(astronaut, poses, min_score=0.0).shape == astronaut.shape
