"""Classic-CV fixtures: OpenCV's frontal-face and eye cascades, opened once for the package."""

from __future__ import annotations

import pytest

from vision_core import classic


@pytest.fixture(scope="package")
def face_cascade():
    return classic.open_cascade("frontalface_default")


@pytest.fixture(scope="package")
def eye_cascade():
    return classic.open_cascade("eye")


@pytest.fixture(scope="package")
def face_model() -> classic.CascadeModel:
    return classic.load_cascade("frontalface_default")


@pytest.fixture(scope="package")
def astronaut_face(astronaut, face_cascade):
    """Viola–Jones' one face on the astronaut, ``(4,)`` int64 xyxy."""
    return classic.haar_detect(astronaut, face_cascade)[0]
