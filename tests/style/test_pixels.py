"""vision_core.style.pixels: long-side fitting, centre squares and the uint8 ↔ [0, 1] round trip."""

from __future__ import annotations

import numpy as np
import torch

from vision_core.style.pixels import center_square, fit_side, to_image, to_tensor, unit_to_uint8


def test_fit_side_and_center_square():
    img = np.zeros((40, 100, 3), np.uint8)
    img[:, 30:70] = 255  # the centre 40×40 square is white
    assert fit_side(img, 50).shape == (20, 50, 3) and fit_side(img, 200).shape == (80, 200, 3)
    assert fit_side(img, 10).shape == (8, 10, 3), "sides stay at least 8 pixels"
    square = center_square(img, 20)
    assert square.shape == (20, 20, 3) and square.min() >= 250


def test_tensor_round_trip():
    img = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3) * 4
    t = to_tensor(img, torch.device("cpu"))
    assert t.shape == (1, 3, 4, 5) and float(t.max()) <= 1.0
    np.testing.assert_array_equal(to_image(t), img)
    np.testing.assert_array_equal(unit_to_uint8(np.array([[[-1.0, 0.5, 2.0]]])), [[[0, 128, 255]]])
