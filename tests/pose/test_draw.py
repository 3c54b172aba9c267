"""vision_core.pose.draw: skeletons, the 14-joint figure and face boxes change the pixels where they are drawn."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core import pose as P

pytestmark = pytest.mark.usefixtures("one_thread")


def test_drawing_changes_pixels_where_the_skeleton_is(astronaut, pose, face):
    out = P.draw_poses(astronaut, [pose])
    assert out.shape == astronaut.shape and (out != astronaut).any()
    nose = pose.get("nose")
    assert (out[int(nose.y), int(nose.x)] != astronaut[int(nose.y), int(nose.x)]).any()
    j14 = P.draw_joints14(astronaut, [pose])
    assert (j14 != astronaut).any()
    faces_img = P.draw_faces(astronaut, [face])
    top, mid = int(face.box[1]), int((face.box[0] + face.box[2]) / 2)
    assert (faces_img[top, mid] != astronaut[top, mid]).any()


def test_hidden_points_are_not_drawn_and_the_input_is_kept(astronaut, pose):
    before = astronaut.copy()
    none_visible = P.draw_poses(astronaut, [pose], min_score=1.0)
    np.testing.assert_array_equal(none_visible, astronaut)
    np.testing.assert_array_equal(astronaut, before)
    np.testing.assert_array_equal(P.draw_faces(astronaut, []), astronaut)


def test_mesh_points_are_drawn(astronaut, face):
    mesh = np.array([[100.0, 400.0, 0.0]], np.float32)
    out = P.draw_faces(astronaut, [face], [mesh])
    assert (out[400, 100] != astronaut[400, 100]).any()
