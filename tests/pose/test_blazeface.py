"""BlazeFace on real photos: one face on the astronaut overlapping MTCNN's, keypoints where a face has them."""

from __future__ import annotations

import numpy as np
import pytest

from tests.pose.util import inside
from vision_core import pose as P
from vision_core.errors import BadInput
from vision_core.models import get_model
from vision_core.ops.boxes import box_iou


@pytest.fixture(scope="module")
def blazeface():
    return get_model("blazeface", "cpu")


def test_one_face_on_the_astronaut_that_overlaps_mtcnn(astronaut, blazeface, face):
    faces = P.blazeface_detect(astronaut, blazeface)
    assert len(faces) == 1
    f = faces[0]
    iou = float(box_iou([f.box], [face.box])[0, 0])
    print(f"BlazeFace {f.score:.3f} {np.round(f.box)}; MTCNN {np.round(face.box)}; IoU {iou:.3f}")
    assert f.score > 0.8 and iou >= 0.5
    assert f.keypoints.shape == (6, 2)
    right_eye, left_eye, nose, mouth = f.keypoints[:4]
    for x, y in (right_eye, left_eye, nose, mouth):
        assert inside(x, y, f.box)
    assert right_eye[0] < left_eye[0], "the person's right eye is on the image's left"
    assert max(right_eye[1], left_eye[1]) < nose[1] < mouth[1], "eyes above the nose above the mouth"
    # MTCNN's eyes (image left, image right) are BlazeFace's right and left eye, within 10 px
    assert np.linalg.norm(face.landmarks[0] - right_eye) < 10 and np.linalg.norm(face.landmarks[1] - left_eye) < 10


def test_no_face_on_the_cat_and_the_coffee(chelsea, coffee, blazeface):
    assert P.blazeface_detect(chelsea, blazeface) == []
    assert P.blazeface_detect(coffee, blazeface) == []


def test_table_and_bad_settings(astronaut, blazeface):
    rows = P.blazeface_table(P.blazeface_detect(astronaut, blazeface))
    assert rows[0]["face"] == 1 and set(P.BLAZEFACE_KEYPOINT_NAMES) <= set(rows[0])
    with pytest.raises(BadInput, match="score threshold"):
        P.blazeface_detect(astronaut, blazeface, min_score=-0.1)
