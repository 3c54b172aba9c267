"""Pose and faces: MTCNN and BlazePose on scikit-image's astronaut, MediaPipe anchors, the 14 joints, Keypoint R-CNN offline."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
import torch
import torchvision

from vision_core import pose as P
from vision_core.models.tflite import AnchorOptions, ssd_anchors
from vision_core.models import WeightsMissing, get_model, get_spec, missing_requirements


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Two shared cores: one torch thread avoids OpenMP oversubscription; restored afterwards."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def mtcnn():
    return get_model("mtcnn", "cpu")


@pytest.fixture(scope="module")
def blazepose():
    return get_model("blazepose", "cpu")


@pytest.fixture(scope="module")
def face(astronaut, mtcnn) -> P.Face:
    faces = P.detect_faces(astronaut, mtcnn)
    assert len(faces) == 1, [f.box for f in faces]
    return faces[0]


@pytest.fixture(scope="module")
def pose(astronaut, blazepose) -> P.Pose:
    poses = P.estimate_pose(astronaut, net=blazepose)
    assert len(poses) == 1
    return poses[0]


def _inside(x: float, y: float, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def test_mtcnn_finds_one_face_around_the_astronauts_face(face):
    x0, y0, x1, y1 = face.box
    assert face.score > 0.999
    assert 60 < x1 - x0 < 130 and 70 < y1 - y0 < 150, "a face-sized box, not the whole person"
    assert 200 < (x0 + x1) / 2 < 250 and 95 < (y0 + y1) / 2 < 140, "centred on Eileen Collins' face"
    lm = face.landmarks
    assert lm.shape == (5, 2)
    assert all(_inside(x, y, face.box) for x, y in lm)
    assert lm[0, 0] < lm[2, 0] < lm[1, 0], "eyes either side of the nose"
    assert lm[:2, 1].max() < lm[2, 1] < lm[3:, 1].min(), "eyes above the nose above the mouth"


def test_mtcnn_on_a_large_photo_searches_a_smaller_copy(astronaut, mtcnn, face):
    import cv2

    big = cv2.resize(astronaut, (1024, 1024), interpolation=cv2.INTER_CUBIC)
    faces = P.detect_faces(big, mtcnn, max_side=512)
    assert len(faces) == 1
    np.testing.assert_allclose(faces[0].box, 2 * np.array(face.box), atol=12)
    np.testing.assert_allclose(faces[0].landmarks, 2 * face.landmarks, atol=8)


def test_mtcnn_finds_no_face_on_a_brick_wall(mtcnn):
    from vision_core.io.samples import load_sample

    assert P.detect_faces(load_sample("brick"), mtcnn) == []


def test_blazepose_nose_and_eyes_inside_the_mtcnn_face_box(pose, face):
    for name in ("nose", "left_eye", "right_eye"):
        k = pose.get(name)
        assert _inside(k.x, k.y, face.box), (name, k, face.box)
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


def test_mediapipe_pose_anchors():
    anchors = ssd_anchors(AnchorOptions(224, 224, 5, 0.1484375, 0.75, (8, 16, 32, 32, 32)))
    assert anchors.shape == (2254, 4), "28²·2 + 14²·2 + 7²·6"
    np.testing.assert_allclose(anchors[0], [0.5 / 28, 0.5 / 28, 1, 1], rtol=1e-6)
    np.testing.assert_allclose(anchors[1568], [0.5 / 14, 0.5 / 14, 1, 1], rtol=1e-6)
    np.testing.assert_allclose(anchors[-1], [6.5 / 7, 6.5 / 7, 1, 1], rtol=1e-6)
    not_fixed = ssd_anchors(AnchorOptions(224, 224, 5, 0.1484375, 0.75, (8, 16, 32, 32, 32), fixed_anchor_size=False))
    assert not_fixed[0, 2] == pytest.approx(0.1484375)


def test_joints14_follow_the_lecture(pose):
    joints = P.to_joints14(pose)
    assert [j.name for j in joints] == [n for n, _ in P.JOINTS14]
    assert {"left foot", "right foot", "neck", "head top", "left hand", "right hand"} <= {j.name for j in joints}
    by = {j.name: j for j in joints}
    ls, rs = pose.get("left_shoulder"), pose.get("right_shoulder")
    assert by["neck"].x == pytest.approx((ls.x + rs.x) / 2) and by["neck"].y == pytest.approx((ls.y + rs.y) / 2)
    assert by["left hand"].x == pose.get("left_wrist").x
    assert by["head top"].y < pose.get("left_eye").y < by["neck"].y
    rows = list(csv.reader(io.StringIO(P.joints_csv([pose, pose]))))
    assert rows[0] == ["person", "joint", "x", "y", "score", "source"] and len(rows) == 1 + 28
    assert rows[13][1] == "neck" and float(rows[13][2]) == pytest.approx(by["neck"].x, abs=0.05)


def test_face_mesh_on_the_face(astronaut, face):
    mesh, score = P.face_mesh(astronaut, face, get_model("face_mesh"))
    assert mesh.shape == (468, 3) and score > 0.9
    x0, y0, x1, y1 = face.box
    inside = (mesh[:, 0] > x0 - 20) & (mesh[:, 0] < x1 + 20) & (mesh[:, 1] > y0 - 20) & (mesh[:, 1] < y1 + 20)
    assert inside.mean() > 0.95
    assert np.hypot(*(mesh[1, :2] - face.landmarks[2])) < 15, "mesh point 1 is the nose tip"


def test_drawing_changes_pixels_where_the_skeleton_is(astronaut, pose, face):
    out = P.draw_poses(astronaut, [pose])
    assert out.shape == astronaut.shape and (out != astronaut).any()
    nose = pose.get("nose")
    assert (out[int(nose.y), int(nose.x)] != astronaut[int(nose.y), int(nose.x)]).any()
    j14 = P.draw_joints14(astronaut, [pose])
    assert (j14 != astronaut).any()
    faces_img = P.draw_faces(astronaut, [face])
    assert (faces_img[int(face.box[1]), int((face.box[0] + face.box[2]) / 2)] != astronaut[int(face.box[1]), int((face.box[0] + face.box[2]) / 2)]).any()


def test_bad_inputs_are_explained(astronaut, blazepose):
    with pytest.raises(ValueError, match="Unknown pose model"):
        P.estimate_pose(astronaut, "openpose", net=blazepose)
    with pytest.raises(ValueError, match="min_score"):
        P.estimate_pose(astronaut, net=blazepose, min_score=1.5)
    with pytest.raises(ValueError, match="shape"):
        P.estimate_pose(astronaut[..., 0], net=blazepose)
    with pytest.raises(ValueError, match="smallest face"):
        P.detect_faces(astronaut, min_face=3)
    empty = np.zeros((64, 64, 3), np.uint8)
    assert P.estimate_pose(empty, net=blazepose) == []


def test_keypoint_rcnn_offline_message_and_stubbed_weights(astronaut, tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
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
