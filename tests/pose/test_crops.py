"""vision_core.pose.crops: MediaPipe's rotated crop matrix and the sigmoid, against values worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from vision_core.errors import BadInput
from vision_core.pose.crops import check_input_side, rotated_crop_matrix, sigmoid, to_image_points, warp_crop


def test_sigmoid_golden_values():
    np.testing.assert_allclose(sigmoid(np.array([0.0, math.log(3.0), -math.log(3.0)])), [0.5, 0.75, 0.25])
    assert sigmoid(np.array([1000.0]))[0] == pytest.approx(1.0) and sigmoid(np.array([-1000.0]))[0] > 0


def test_upright_crop_is_a_scaled_window():
    """A 100-pixel square centred on (200, 150), sampled at 50×50: crop (0, 0) is image (150, 100), one crop
    pixel is 2 image pixels."""
    m = rotated_crop_matrix(200, 150, 100, 0.0, 50)
    np.testing.assert_allclose(m, [[2, 0, 150], [0, 2, 100]])
    np.testing.assert_allclose(to_image_points(np.array([[0, 0], [25, 25], [50, 50]]), m),
                               [[150, 100], [200, 150], [250, 200]])


def test_quarter_turn_rotates_about_the_centre():
    """Rotated by 90°: the crop's x axis runs down the image, its top-left corner is the square's top-right."""
    m = rotated_crop_matrix(200, 150, 100, math.pi / 2, 100)
    np.testing.assert_allclose(to_image_points(np.array([[50, 50], [0, 0], [10, 0]]), m),
                               [[200, 150], [250, 100], [250, 110]], atol=1e-9)


def test_warp_crop_cuts_that_window():
    img = np.zeros((300, 400, 3), np.uint8)
    img[100:200, 150:250] = (255, 0, 0)
    crop = warp_crop(img, rotated_crop_matrix(200, 150, 100, 0.0, 50), 50)
    assert crop.shape == (50, 50, 3) and (crop[2:-2, 2:-2] == (255, 0, 0)).all()
    with pytest.raises(BadInput, match="expects 192×192 inputs, but its preprocessing says 256×256"):
        check_input_side((192, 192), 256, "The face mesh")


def test_keypoint_rotation_turns_the_keypoint_line_to_the_target_and_wraps():
    from vision_core.pose.crops import keypoint_rotation

    half = math.pi / 2
    assert keypoint_rotation((0, 0), (0, -1), half) == pytest.approx(0.0), "already pointing up: no rotation"
    assert keypoint_rotation((0, 0), (1, 0), half) == pytest.approx(half), "pointing right: a quarter turn"
    assert keypoint_rotation((0, 0), (-1, 0), half) == pytest.approx(-half)
    assert keypoint_rotation((5, 5), (5, 9), half) == pytest.approx(-math.pi), "pointing down: π, wrapped to −π"
    assert keypoint_rotation((0, 0), (1, -1), 0.0) == pytest.approx(-math.pi / 4)
