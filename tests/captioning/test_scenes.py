"""Generated scenes: captions say the digits, sizes and relation that were drawn; held-out handwriting stays held out."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from vision_core.captioning import CANVAS, SIZES, caption_for, compose_scene, digit_pool, make_scenes
from vision_core.errors import BadInput
from vision_core.io.datasets import mnist_5k


def _source_of(crop: np.ndarray, digit: int, split: str) -> list[int]:
    """The MNIST-5k indices of ``digit`` in ``split`` whose resized image is exactly ``crop``."""
    side = crop.shape[0]
    images = mnist_5k().images
    hits = []
    for k in digit_pool(split)[digit]:
        interp = cv2.INTER_AREA if side < 28 else cv2.INTER_LINEAR
        if np.array_equal(cv2.resize(images[k], (side, side), interpolation=interp), crop):
            hits.append(int(k))
    return hits


def test_template_caption():
    assert caption_for((3, 7), ("small", "large"), "above") == "a small 3 above a large 7"
    assert caption_for((2, 5), ("large", "small"), "left of") == "a large 2 left of a small 5"


def test_composed_scene_shows_what_its_caption_says():
    scene = compose_scene((3, 7), ("small", "large"), "one above the other")
    assert scene.caption == "a small 3 above a large 7"
    assert scene.image.shape == (CANVAS, CANVAS, 3) and scene.image.dtype == np.uint8
    (x0, y0, x1, y1), (u0, v0, u1, v1) = scene.boxes.tolist()
    assert SIZES["small"][0] <= x1 - x0 <= SIZES["small"][1] and y1 - y0 == x1 - x0
    assert SIZES["large"][0] <= u1 - u0 <= SIZES["large"][1]
    assert y1 <= v0, "the first-named digit is above the second"
    grey = scene.image[..., 0]
    # the two squares hold the held-out handwriting of a 3 and a 7, and nothing else is drawn
    assert _source_of(grey[y0:y1, x0:x1], 3, "held-out") == [int(digit_pool("held-out")[3][0])]
    assert _source_of(grey[v0:v1, u0:u1], 7, "held-out") == [int(digit_pool("held-out")[7][1])]
    outside = grey.copy()
    outside[y0:y1, x0:x1] = 0
    outside[v0:v1, u0:u1] = 0
    assert outside.max() == 0


def test_side_by_side_names_the_left_digit_first():
    scene = compose_scene((2, 5), ("large", "small"), "side by side", handwriting=4, placement=9)
    assert scene.caption == "a large 2 left of a small 5"
    first, second = scene.boxes
    assert first[2] <= second[0]
    centre_dx = abs((second[0] + second[2]) - (first[0] + first[2])) / 2
    centre_dy = abs((second[1] + second[3]) - (first[1] + first[3])) / 2
    assert centre_dy < 0.5 * centre_dx


def test_every_generated_caption_matches_its_scene():
    scenes = make_scenes(60, "train", seed=3)
    for i in range(len(scenes)):
        s = scenes.scene(i)
        words = s.caption.split()
        assert words[2] == str(s.digits[0]) and words[-1] == str(s.digits[1])
        assert (words[1], words[-2]) == s.sizes
        for (x0, y0, x1, y1), size in zip(s.boxes, s.sizes):
            assert SIZES[size][0] <= x1 - x0 <= SIZES[size][1] and 0 <= x0 and x1 <= CANVAS and y1 <= CANVAS
        a, b = s.boxes
        if s.relation == "left of":
            assert words[3:5] == ["left", "of"] and a[2] <= b[0]
        else:
            assert words[3] == "above" and a[3] <= b[1]
    assert {"left of", "above"} == set(scenes.relations)


def test_held_out_scenes_use_only_held_out_handwriting():
    train, held = digit_pool("train"), digit_pool("held-out")
    for d in range(10):
        assert not set(train[d]) & set(held[d])
        assert len(train[d]) == 400 and len(held[d]) == 100
    scenes = make_scenes(5, "held-out", seed=0)
    for i in range(5):
        s = scenes.scene(i)
        (x0, y0, x1, y1) = s.boxes[0]
        crop = s.image[y0:y1, x0:x1, 0]
        assert _source_of(crop, s.digits[0], "held-out"), "drawn from the held-out images"
        assert not _source_of(crop, s.digits[0], "train")


def test_scenes_are_deterministic_from_the_seed():
    a, b, c = make_scenes(10, "train", 1), make_scenes(10, "train", 1), make_scenes(10, "train", 2)
    assert np.array_equal(a.images, b.images) and a.captions == b.captions
    assert a.captions != c.captions


def test_bad_requests_are_refused():
    with pytest.raises(BadInput, match="small, large"):
        compose_scene((1, 2), ("tiny", "large"), "side by side")
    with pytest.raises(BadInput, match="side by side"):
        compose_scene((1, 2), ("small", "large"), "diagonal")
    with pytest.raises(BadInput, match="between 0 and 9"):
        compose_scene((1, 12), ("small", "large"), "side by side")
    with pytest.raises(BadInput, match="train, held-out"):
        make_scenes(3, "test")
