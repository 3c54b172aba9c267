"""YOLO's grid: v1's output shape, the cells responsible for the composite's objects, YOLOv3-tiny's measured heads."""

from __future__ import annotations

import pytest

from vision_core import detection as D


def test_yolo_grid_and_shapes(scene, scene_det, yolo, yolo608):
    assert D.yolo_output_shape() == (7, 7, 30)
    assert D.yolo_output_shape(13, 3, 80) == (13, 13, 95)
    assert D.yolov3_tiny_heads(yolo, 416) == [(13, 13, 3, 85), (26, 26, 3, 85)]
    assert D.yolov3_tiny_heads(yolo608, 608) == [(19, 19, 3, 85), (38, 38, 3, 85)]
    grid = D.yolo_grid(scene, scene_det, S=7, B=2, C=20)
    assert grid.shape == (7, 7, 30) and grid.values == 1470
    assert grid.cells == ((5, 1, "cat"), (2, 5, "person"))
    assert D.yolo_grid(scene).cells == () and D.yolo_grid(scene).figure.shape == scene.shape
    with pytest.raises(ValueError, match="positive"):
        D.yolo_output_shape(0, 2, 20)
    with pytest.raises(ValueError, match="multiple of 32"):
        D.yolov3_tiny_heads(yolo, 400)
