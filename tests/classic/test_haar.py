"""vision_core.classic.haar: the integral image, Haar feature values, the detector's window, their drawings."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core import classic
from vision_core.errors import BadInput


def test_integral_image_gives_rectangle_sums_in_four_lookups():
    rng = np.random.default_rng(0)
    g = rng.integers(0, 256, size=(31, 47), dtype=np.uint8)
    ii = classic.integral_image(g)
    assert ii.shape == (32, 48) and ii.dtype == np.int64 and ii[-1, -1] == int(g.sum())
    assert classic.rect_sum(ii, 5, 7, 11, 13) == int(g[7:20, 5:16].sum())
    assert classic.integral_image(np.array([[1, 2], [3, 4]])).tolist() == [[0, 0, 0], [0, 1, 3], [0, 4, 10]]
    assert classic.integral_image(np.ones((2, 2)) / 2).dtype == np.float64
    with pytest.raises(BadInput, match="2-D"):
        classic.integral_image(np.zeros((3, 3, 3)))


def test_haar_feature_values_are_white_minus_black():
    g = np.zeros((24, 24), np.uint8)
    g[:, :12] = 200
    ii = classic.integral_image(g)
    assert classic.haar_feature_value(ii, "edge_horizontal", 0, 0, 24, 24) == 200 * 12 * 24
    assert classic.haar_feature_value(ii, "edge_vertical", 0, 0, 24, 24) == 0
    rng = np.random.default_rng(1)
    p = rng.integers(0, 256, size=(24, 24)).astype(np.int64)
    ii = classic.integral_image(p)
    expect = p[0:6, 2:20].sum() - p[6:12, 2:20].sum() + p[12:18, 2:20].sum()
    assert classic.haar_feature_value(ii, "line_vertical", 2, 0, 18, 18) == expect
    expect4 = p[0:4, 0:4].sum() - p[0:4, 4:8].sum() - p[4:8, 0:4].sum() + p[4:8, 4:8].sum()
    assert classic.haar_feature_value(ii, "four_rectangle", 0, 0, 8, 8) == expect4
    with pytest.raises(BadInput, match="divisible"):
        classic.haar_feature_value(ii, "line_horizontal", 0, 0, 8, 8)
    with pytest.raises(BadInput, match="Choose one of: edge_horizontal"):
        classic.haar_feature_value(ii, "diagonal", 0, 0, 8, 8)
    with pytest.raises(BadInput, match="leaves"):
        classic.haar_feature_value(ii, "edge_horizontal", 20, 0, 8, 8)


def test_haar_rects_split_the_box_into_signed_cells():
    assert classic.haar_rects("line_horizontal", 3, 6, 18, 6) == [(3, 6, 6, 6, 1), (9, 6, 6, 6, -1), (15, 6, 6, 6, 1)]
    assert classic.haar_rects("edge_vertical", 0, 0, 4, 10) == [(0, 0, 4, 5, 1), (0, 5, 4, 5, -1)]


def test_draw_haar_feature_tints_white_and_black_cells():
    crop = np.full((4, 4), 100, np.uint8)
    out = classic.draw_haar_feature(crop, "edge_horizontal", 0, 0, 4, 4, zoom=4)
    assert out.shape == (16, 16, 3)
    assert tuple(out[8, 4]) == (185, 185, 185), "white cell: 0.45·100 + 0.55·255 = 185.25"
    assert tuple(out[8, 12]) == (45, 45, 45), "black cell: 0.45·100 = 45"
    assert tuple(out[0, 8]) == (255, 0, 0), "the feature's box is outlined in red"


def test_integral_image_view_ends_at_white():
    view = classic.integral_image_view(np.ones((3, 3), np.uint8) * 7, zoom=2)
    assert view.shape == (6, 6) and view[-1, -1] == 255 and view[0, 0] == round(255 / 9)


def test_haar_window_is_the_box_resized_to_24(astronaut, astronaut_face):
    window = classic.haar_window(astronaut, astronaut_face)
    assert window.shape == (24, 24) and window.dtype == np.uint8
    centre = classic.haar_window(np.zeros((40, 60, 3), np.uint8) + 9)
    assert centre.shape == (24, 24) and (centre == 9).all()
    with pytest.raises(BadInput, match="not inside"):
        classic.haar_window(astronaut, (500, 0, 600, 50))
