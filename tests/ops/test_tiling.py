"""vision_core.ops.tiling: grid geometry, clicks back to tiles, float maps scaled per map."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.errors import BadInput
from vision_core.ops.tiling import maps_to_tiles, tile_grid, tile_maps


def test_grid_click_maps_to_tile():
    tiles = np.zeros((10, 4, 4, 3), np.uint8)
    grid = tile_grid(tiles, cols=4, cell=20, gap=2)
    assert grid.image.shape == (3 * 22 - 2, 4 * 22 - 2, 3)
    assert grid.index_at(5, 5) == 0
    assert grid.index_at(22 + 3, 22 + 3) == 5
    assert grid.index_at(21, 5) is None, "the white gap"
    assert grid.index_at(3 * 22 + 5, 2 * 22 + 5) is None, "no 12th tile"
    framed = tile_grid(tiles, cols=5, gap=1, border=2)
    assert framed.image.shape == (2 * 5 - 1 + 4, 5 * 5 - 1 + 4, 3) and framed.cell == 4
    assert framed.index_at(2, 2) == 0 and framed.index_at(1, 1) is None
    assert (framed.image[:2] == 255).all() and (framed.image[2:6, 2:6] == 0).all()


def test_tiles_keep_their_pixels_and_grey_tiles_become_rgb():
    tiles = np.arange(2 * 2 * 2, dtype=np.uint8).reshape(2, 2, 2) * 30
    grid = tile_grid(tiles, cols=2, cell=4, gap=1)
    assert grid.image.shape == (4, 9, 3)
    assert grid.image[0, 0].tolist() == [0, 0, 0] and grid.image[3, 8].tolist() == [210, 210, 210]
    assert grid.image[0, 4].tolist() == [255, 255, 255]
    with pytest.raises(BadInput, match=r"\(N, h, w, 3\) uint8"):
        tile_grid(np.zeros((0, 4, 4, 3), np.uint8), 2)


def test_maps_are_scaled_each_on_its_own():
    maps = np.array([[[0, 1], [2, 4]], [[-2, 0], [1, 2]]], np.float32)
    t = maps_to_tiles(maps)
    assert t[0].tolist() == [[0, 63], [127, 255]] and t[1].tolist() == [[0, 127], [191, 255]]
    s = maps_to_tiles(maps, symmetric=True)
    assert s[1].tolist() == [[0, 127], [191, 255]] and s[0][0, 0] == 127, "0 is mid-grey when symmetric"
    assert maps_to_tiles(np.zeros((1, 2, 2))).max() == 0
    img = tile_maps(maps, columns=2, cell=4, gap=2)
    assert img.shape == (4, 10) and img.dtype == np.uint8 and (img[:, 4:6] == 255).all()
