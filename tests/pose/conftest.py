"""Pose fixtures: the embedded BlazePose and MTCNN on the CPU, and their results on scikit-image's astronaut."""

from __future__ import annotations

import pytest

from vision_core import pose as P
from vision_core.models import get_model


@pytest.fixture(scope="package")
def mtcnn():
    return get_model("mtcnn", "cpu")


@pytest.fixture(scope="package")
def blazepose():
    return get_model("blazepose", "cpu")


@pytest.fixture(scope="package")
def face(astronaut, mtcnn) -> P.Face:
    faces = P.detect_faces(astronaut, mtcnn)
    assert len(faces) == 1, [f.box for f in faces]
    return faces[0]


@pytest.fixture(scope="package")
def pose(astronaut, blazepose) -> P.Pose:
    poses = P.estimate_pose(astronaut, net=blazepose)
    assert len(poses) == 1
    return poses[0]

