"""vision_core.io.canvas: both canvases of the course read back as the ink that was drawn.

Dark ink on white paper (the convolution page's X, ``kind="dark"``) and white ink on black (the
train-a-CNN page's MNIST digits, ``kind="light"``), with the browser canvas's alpha channel."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.errors import BadInput
from vision_core.io.canvas import canvas_to_digit, canvas_to_grid, has_ink, ink
from vision_core.io.datasets import mnist_5k
from vision_core.ops.conv import LECTURE_X

SLIDES_X = LECTURE_X.astype(int)
"""The lecture's 9×9 X (+1 ink, −1 paper), checked against the slide in tests/ops/test_conv.py."""


def digit_canvas(digit: np.ndarray, zoom: int = 10, offset: tuple[int, int] = (0, 0), size: int = 400) -> np.ndarray:
    """An MNIST digit drawn white on an opaque black canvas, enlarged and placed off-centre."""
    big = np.kron(digit, np.ones((zoom, zoom), np.uint8))
    canvas = np.zeros((size, size, 4), np.uint8)
    canvas[..., 3] = 255
    y, x = offset
    canvas[y : y + big.shape[0], x : x + big.shape[1], :3] = big[..., None]
    return canvas


def test_ink_amount_for_both_kinds():
    px = np.array([[[0, 0, 0, 255], [255, 255, 255, 255], [0, 0, 0, 0], [255, 0, 0, 255]]], np.uint8)
    px = np.repeat(np.repeat(px, 8, 0), 2, 1)  # 8×8, each pixel repeated
    dark, light = ink(px, "dark")[0, ::2], ink(px, "light")[0, ::2]
    assert dark.tolist() == pytest.approx([1.0, 0.0, 0.0, 1 - 0.299], abs=1e-6), "black opaque = full ink; transparent = none"
    assert light.tolist() == pytest.approx([0.0, 1.0, 0.0, 0.299], abs=1e-6)
    with pytest.raises(BadInput, match="Choose one of: dark, light"):
        ink(px, "blue")
    with pytest.raises(BadInput, match="at least 8×8"):
        ink(np.zeros((5, 5, 4), np.uint8))


def test_dark_ink_diagonal_on_transparent_paper():
    """The convolution page's canvas: black strokes (alpha 255) on a transparent layer."""
    rgba = np.zeros((180, 180, 4), dtype=np.uint8)
    for i in range(180):
        rgba[i, max(0, i - 8):i + 8, 3] = 255
    assert has_ink(rgba, "dark") and not has_ink(rgba, "light")
    grid = canvas_to_grid(rgba, 9, kind="dark", threshold=0.25)
    assert grid.shape == (9, 9) and grid.dtype == np.float32
    assert all(grid[i, i] == 1 for i in range(9)) and grid[0, 8] == -1
    assert int((grid == 1).sum()) == 9, "only the diagonal cells: their neighbours hold 7 % ink, under a quarter of the inkiest"


def test_dark_x_on_white_paper_reads_as_the_lecture_x():
    paper = np.full((270, 270, 4), 255, np.uint8)
    strokes = np.kron((SLIDES_X > 0).astype(np.uint8), np.ones((30, 30), np.uint8)).astype(bool)
    paper[strokes, :3] = 0
    assert np.array_equal(canvas_to_grid(paper, 9, kind="dark"), SLIDES_X)
    assert not has_ink(np.full((90, 90, 4), 255, np.uint8), "dark"), "white paper holds no dark ink"
    with pytest.raises(BadInput, match="empty"):
        canvas_to_grid(np.full((90, 90, 4), 255, np.uint8), 9, kind="dark")


def test_light_x_on_black_reads_as_the_lecture_x():
    canvas = np.zeros((270, 270, 4), np.uint8)
    big = np.kron((SLIDES_X > 0).astype(np.uint8) * 255, np.ones((30, 30), np.uint8))
    canvas[..., :3] = big[..., None]
    canvas[..., 3] = 255
    assert np.array_equal(canvas_to_grid(canvas, 9, kind="light", threshold=0.3), SLIDES_X)
    with pytest.raises(BadInput, match="empty"):
        canvas_to_grid(np.zeros((90, 90, 4), np.uint8), 9, kind="light")
    with pytest.raises(BadInput, match="grid size"):
        canvas_to_grid(canvas, 2, kind="light")


def test_light_digit_is_prepared_like_mnist():
    data = mnist_5k()
    corrs = []
    for digit in data.images[:40]:
        prepared = canvas_to_digit(digit_canvas(digit, offset=(100, 20)))
        assert prepared.shape == (28, 28) and prepared.dtype == np.uint8
        corrs.append(np.corrcoef(prepared.ravel().astype(float), digit.ravel().astype(float))[0, 1])
        mass = prepared.astype(float)
        cy = (mass.sum(1) * np.arange(28)).sum() / mass.sum()
        cx = (mass.sum(0) * np.arange(28)).sum() / mass.sum()
        assert abs(cy - 13.5) < 0.6 and abs(cx - 13.5) < 0.6, "centre of mass at the centre, as MNIST"
    assert min(corrs) > 0.6 and np.median(corrs) > 0.8, corrs
    with pytest.raises(BadInput, match="empty"):
        canvas_to_digit(np.zeros((280, 280, 4), np.uint8))
    with pytest.raises(BadInput):
        canvas_to_digit(np.zeros((5, 5), np.uint8))
