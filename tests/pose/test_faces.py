"""vision_core.pose.faces: MTCNN finds Eileen Collins' face (and none on a brick wall), large photos are searched at a
smaller size, the face mesh sits on the face, and the cascade refuses bad settings."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests.pose.util import inside
from vision_core import pose as P
from vision_core.errors import BadInput
from vision_core.io.samples import load_sample
from vision_core.models import get_model, get_spec
from vision_core.models.pose import FACE_MESH_INPUT, MTCNN_INPUT

pytestmark = pytest.mark.usefixtures("one_thread")


def test_mtcnn_finds_one_face_around_the_astronauts_face(face):
    x0, y0, x1, y1 = face.box
    assert face.score > 0.999
    assert 60 < x1 - x0 < 130 and 70 < y1 - y0 < 150, "a face-sized box, not the whole person"
    assert 200 < (x0 + x1) / 2 < 250 and 95 < (y0 + y1) / 2 < 140, "centred on Eileen Collins' face"
    lm = face.landmarks
    assert lm.shape == (5, 2)
    assert all(inside(x, y, face.box) for x, y in lm)
    assert lm[0, 0] < lm[2, 0] < lm[1, 0], "eyes either side of the nose"
    assert lm[:2, 1].max() < lm[2, 1] < lm[3:, 1].min(), "eyes above the nose above the mouth"


def test_mtcnn_on_a_large_photo_searches_a_smaller_copy(astronaut, mtcnn, face):
    big = cv2.resize(astronaut, (1024, 1024), interpolation=cv2.INTER_CUBIC)
    faces = P.detect_faces(big, mtcnn, max_side=512)
    assert len(faces) == 1
    np.testing.assert_allclose(faces[0].box, 2 * np.array(face.box), atol=12)
    np.testing.assert_allclose(faces[0].landmarks, 2 * face.landmarks, atol=8)


def test_mtcnn_finds_no_face_on_a_brick_wall(mtcnn):
    assert P.detect_faces(load_sample("brick"), mtcnn) == []


def test_the_pyramid_is_mtcnn_input():
    """12-pixel windows from 12 / min_face, × 0.709 while the short side stays ≥ 12: 512 px, min_face 20 → 10 levels
    (307.2 × 0.709⁹ ≈ 13.9 ≥ 12 > 9.9)."""
    scales = MTCNN_INPUT.scales(512, 20)
    assert scales[0] == pytest.approx(0.6) and len(scales) == 10
    assert scales[-1] == pytest.approx(0.6 * 0.709 ** 9)
    assert 512 * scales[-1] >= 12 > 512 * scales[-1] * 0.709
    np.testing.assert_array_equal(MTCNN_INPUT.normalise(np.array([0, 127.5, 255])), [-127.5 / 128, 0, 127.5 / 128])
    assert "(v − 127.5) / 128" in get_spec("mtcnn").preprocessing_text


def test_faces_table(face):
    rows = P.faces_table([face])
    assert list(rows[0])[:3] == ["face", "score", "box (x0, y0, x1, y1)"] and rows[0]["face"] == 1
    assert rows[0]["box (x0, y0, x1, y1)"] == ", ".join(f"{v:.0f}" for v in face.box)
    nose = face.landmarks[2]
    assert rows[0]["nose"] == f"({nose[0]:.0f}, {nose[1]:.0f})"


def test_face_mesh_on_the_face(astronaut, face):
    mesh_net = get_model("face_mesh", "cpu")
    assert tuple(mesh_net.input_hw) == (FACE_MESH_INPUT.side,) * 2 == (192, 192)
    mesh, score = P.face_mesh(astronaut, face, mesh_net)
    assert mesh.shape == (468, 3) and score > 0.9
    x0, y0, x1, y1 = face.box
    inside_box = (mesh[:, 0] > x0 - 20) & (mesh[:, 0] < x1 + 20) & (mesh[:, 1] > y0 - 20) & (mesh[:, 1] < y1 + 20)
    assert inside_box.mean() > 0.95
    assert np.hypot(*(mesh[1, :2] - face.landmarks[2])) < 15, "mesh point 1 is the nose tip"


def test_bad_settings_are_explained(astronaut, mtcnn):
    with pytest.raises(BadInput, match="smallest face"):
        P.detect_faces(astronaut, mtcnn, min_face=3)
    with pytest.raises(BadInput, match="pyramid factor must be between 0.3 and 0.95"):
        P.detect_faces(astronaut, mtcnn, factor=0.99)
    with pytest.raises(BadInput, match="max_side"):
        P.detect_faces(astronaut, mtcnn, max_side=10)
