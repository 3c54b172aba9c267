"""Detection fixtures: the embedded YOLOv3-tiny (torch, 608 and OpenCV runtimes) on the CPU and the composite scene."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core import detection as D
from vision_core.models import get_model

CAT_REGION = (20, 255, 340, 460)
"""Where ``composite_scene`` pastes Chelsea (320 × 213 px, lower left)."""
PERSON_REGION = (380, 20, 620, 260)


@pytest.fixture(scope="package")
def yolo():
    return get_model("yolov3_tiny", "cpu")


@pytest.fixture(scope="package")
def yolo608(yolo):
    return get_model("yolov3_tiny_608", "cpu", base=yolo)


@pytest.fixture(scope="package")
def yolo_cv():
    return get_model("yolov3_tiny_opencv", "cpu")


@pytest.fixture(scope="package")
def scene() -> np.ndarray:
    return D.composite_scene()


@pytest.fixture(scope="package")
def scene_candidates(scene, yolo) -> D.Candidates:
    return D.candidates(scene, net=yolo)


@pytest.fixture(scope="package")
def scene_det(scene_candidates) -> D.Detections:
    return D.select(scene_candidates)
