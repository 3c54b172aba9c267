"""The scene generator places the digit exactly inside its reported box (by hand and on 300 MNIST scenes)."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.errors import BadInput
from vision_core.localisation import CANVAS, SIZES, ink_box, make_scenes, paste_digit, split_digits


def test_paste_a_hand_made_digit():
    """A 10-row × 5-column block of 200s (rows 5–14, columns 8–12) pasted with size 20 at (3, 7): scaled 2×
    to 10 wide × 20 tall, so it covers x 3–12 and y 7–26 and its box is (3, 7, 13, 27)."""
    digit = np.zeros((28, 28), np.uint8)
    digit[5:15, 8:13] = 200
    assert ink_box(digit) == (8, 5, 13, 15)
    canvas, box = paste_digit(digit, 20, 3, 7)
    assert canvas.shape == (CANVAS, CANVAS) and canvas.dtype == np.uint8
    assert box.tolist() == [3, 7, 13, 27]
    assert (canvas[7:27, 3:13] == 200).all()
    canvas[7:27, 3:13] = 0
    assert not canvas.any(), "nothing outside the box"


def test_paste_refuses_what_does_not_fit():
    digit = np.zeros((28, 28), np.uint8)
    digit[5:15, 8:13] = 200
    with pytest.raises(BadInput, match="left edge"):
        paste_digit(digit, 20, 60, 0)
    with pytest.raises(BadInput, match="no ink"):
        paste_digit(np.zeros((28, 28), np.uint8), 20, 0, 0)


def test_every_scene_box_is_the_tight_box_of_its_ink():
    scenes = make_scenes(300, "test", seed=5)
    assert scenes.images.shape == (300, CANVAS, CANVAS) and scenes.boxes.shape == (300, 4)
    for image, box in zip(scenes.images, scenes.boxes):
        ys, xs = np.nonzero(image)
        assert box.tolist() == [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
        x1, y1, x2, y2 = box.astype(int)
        assert 0 <= x1 < x2 <= CANVAS and 0 <= y1 < y2 <= CANVAS
        assert SIZES[0] - 1 <= max(x2 - x1, y2 - y1) <= SIZES[1]
    assert set(np.unique(scenes.labels)) == set(range(10))


def test_scenes_are_seeded_and_held_out_digits_stay_apart():
    a, b = make_scenes(20, "test", 3), make_scenes(20, "test", 3)
    assert np.array_equal(a.images, b.images) and np.array_equal(a.boxes, b.boxes)
    assert not np.array_equal(a.images, make_scenes(20, "test", 4).images)
    train, test = split_digits("train"), split_digits("test")
    assert len(train[0]) == 4000 and len(test[0]) == 1000
    with pytest.raises(BadInput, match="train, test"):
        split_digits("validation")
    with pytest.raises(BadInput):
        make_scenes(5, sizes=(40, 20))
