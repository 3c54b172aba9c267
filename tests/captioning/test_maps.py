"""Attention maps: α over the regions laid back onto the grid and overlaid where it points."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.captioning import attention_grid, attention_overlays, attention_strip
from vision_core.errors import BadInput


def test_alpha_goes_back_to_its_region():
    alpha = np.zeros(36, np.float32)
    alpha[1 * 6 + 4] = 1.0  # row 1, column 4
    m = attention_grid(alpha, (6, 6))
    assert m.shape == (6, 6) and m[1, 4] == 1.0 and m.sum() == 1.0
    with pytest.raises(BadInput, match="36 weights"):
        attention_grid(np.ones(35), (6, 6))


def test_overlay_is_brightest_where_the_decoder_looked():
    image = np.zeros((96, 96, 3), np.uint8)
    alphas = np.zeros((2, 36), np.float32)
    alphas[0, 0] = 1.0  # top-left region
    alphas[1, 35] = 1.0  # bottom-right region
    frames = attention_overlays(image, alphas, (6, 6), opacity=1.0)
    assert frames.shape == (2, 96, 96, 3)
    tl, br = frames[0, 8, 8].astype(int), frames[0, 88, 88].astype(int)
    assert tl[1] > 200 and br[1] < 20, (tl, br)  # viridis: yellow (G ≈ 231) at the top, dark purple (G ≈ 1) at 0
    assert frames[1, 88, 88, 1] > 200 and frames[1, 8, 8, 1] < 20
    strip = attention_strip(image, alphas, (6, 6), cols=2, cell=48)
    assert strip.image.shape == (48, 2 * 48 + 4, 3)
