"""vision_core.classic.bovw: a bag of visual words on lfw_subset, faces against non-faces."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core import classic
from vision_core.errors import BadInput


@pytest.fixture(scope="module")
def model() -> classic.BovwModel:
    return classic.train_bovw(k=32, seed=0)


def test_bag_of_words_beats_chance_clearly(model, astronaut):
    assert model.n_train == 150 and model.n_test == 50 and model.chance == 0.5
    assert model.test_accuracy >= model.chance + 0.25
    assert model.centres.shape == (32, 128) and model.word_counts.sum() == 150 * 49, "49 patches per training image"
    hist, p = classic.bovw_histogram(model, astronaut)
    assert hist.shape == (32,) and hist.sum() == pytest.approx(1.0) and 0 <= p <= 1
    assert np.allclose(hist * 49, np.rint(hist * 49)), "a histogram counts 49 patches"
    with pytest.raises(BadInput, match="between 4 and 256"):
        classic.train_bovw(k=2)


def test_a_box_describes_only_that_part_of_the_photo(model, astronaut, astronaut_face):
    x0, y0, x1, y1 = (int(v) for v in astronaut_face)
    crop = np.ascontiguousarray(astronaut[y0:y1, x0:x1])
    hist, p = classic.bovw_histogram(model, astronaut, astronaut_face)
    expect_hist, expect_p = classic.bovw_histogram(model, crop)
    assert np.array_equal(hist, expect_hist) and p == expect_p
    with pytest.raises(BadInput, match="not inside"):
        classic.bovw_histogram(model, astronaut, (500, 500, 600, 600))


def test_frequent_words_and_their_patch_grid(model):
    order = model.frequent_words(8)
    counts = model.word_counts[order]
    assert len(order) == 8 and all(a >= b for a, b in zip(counts, counts[1:]))
    assert counts[0] == model.word_counts.max()
    grid = classic.word_patch_grid(model, [0, 1, 2])
    assert grid.shape == (3 * 50, 8 * 50, 3)
    first = np.kron(model.patches[0, 0], np.ones((3, 3), np.uint8))
    assert np.array_equal(grid[1:49, 1:49, 0], first), "each patch enlarged 3× with nearest neighbours"
    assert (grid[0] == 255).all() and (grid[:, 49:51] == 255).all(), "white border and gaps"
    with pytest.raises(BadInput, match="between 0 and 31"):
        classic.word_patch_grid(model, [32])
