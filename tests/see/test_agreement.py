"""vision_core.see.agreement: Spearman's ρ and the top-k % overlap on hand cases, the pooling grid against block means,
and the three attribution maps of chelsea under EfficientNet-Lite0.

Measured on chelsea (tiger cat, EfficientNet-Lite0, occlusion patch 56 / stride 28, 14 × 14 grid): Spearman
Grad-CAM–occlusion 0.40, Grad-CAM–saliency 0.07, occlusion–saliency 0.29; top-10 % overlap 0.10, 0.15, 0.10.
(With the page's default occlusion, patch 32 / stride 16: 0.11, 0.07, 0.39.)
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from vision_core.errors import BadInput
from vision_core.see import agreement, grad_cam, occlusion_map, overlap_picture, pool_to_grid, saliency_map, spearman
from vision_core.see import top_cells, top_k_overlap

pytestmark = pytest.mark.usefixtures("one_thread")


def test_spearman_hand_cases():
    x = np.random.default_rng(0).normal(size=(14, 14))
    assert spearman(x, x) == pytest.approx(1.0)
    assert spearman(x, -x) == pytest.approx(-1.0), "the reversed order"
    assert spearman(x, x**3 + 5) == pytest.approx(1.0), "ranks only: any increasing transform agrees fully"
    # ranks 1 2 3 4 against 1 3 2 4: Σd² = 2, ρ = 1 − 6·2 / (4·(16 − 1)) = 0.8
    assert spearman(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 3.0], [2.0, 4.0]])) == pytest.approx(0.8)
    assert math.isnan(spearman(x, np.zeros_like(x))), "a constant map has no order"
    with pytest.raises(BadInput, match="same shape"):
        spearman(x, x[:3])


def test_top_k_overlap_hand_cases():
    a = np.arange(16, dtype=float).reshape(4, 4)
    assert top_k_overlap(a, a, 25) == 1.0
    assert top_k_overlap(a, a[::-1, ::-1], 25) == 0.0, "top 4 cells 12–15 against 0–3"
    b = a.copy()
    b[3, 3] = -1  # a's best cell drops out of b's top 4, which now takes cell 11
    assert top_k_overlap(a, b, 25) == 0.75
    assert top_cells(np.zeros((14, 14)), 10).sum() == 20, "⌈19.6⌉ cells, ties taken in reading order"
    assert top_cells(a, 1).sum() == 1 and top_cells(a, 1)[3, 3]
    with pytest.raises(BadInput, match="between 1 and 100"):
        top_k_overlap(a, a, 0)


def test_pool_to_grid_is_the_block_mean():
    x = np.random.default_rng(1).random((224, 224))
    np.testing.assert_allclose(pool_to_grid(x, 14), x.reshape(14, 16, 14, 16).mean(axis=(1, 3)), atol=1e-6)
    with pytest.raises(BadInput, match="comparison grid"):
        pool_to_grid(x[:5, :5], 14)


def test_agreement_matrix_of_hand_maps():
    ramp = np.tile(np.arange(224, dtype=float), (224, 1))
    got = agreement({"ramp": ramp, "same": ramp * 2 + 1, "reversed": ramp[:, ::-1]}, 14, 10)
    assert got.names == ("ramp", "same", "reversed") and got.pooled[0].shape == (14, 14)
    np.testing.assert_allclose(got.spearman, [[1, 1, -1], [1, 1, -1], [-1, -1, 1]], atol=1e-12)
    assert got.pair("ramp", "same") == (pytest.approx(1.0), 1.0)
    assert got.pair("ramp", "reversed")[1] == 0.0
    with pytest.raises(BadInput, match="Choose one of: ramp, same, reversed"):
        got.pair("ramp", "grad-cam")
    with pytest.raises(BadInput, match="at least two"):
        agreement({"ramp": ramp})


def test_overlap_picture_colours_the_cells():
    crop = np.full((224, 224, 3), 100, np.uint8)
    a = np.zeros((14, 14))
    b = np.zeros((14, 14))
    a[0, 0] = a[0, 1] = b[0, 1] = b[0, 2] = 1
    pic = overlap_picture(crop, a, b, percent=1, alpha=1.0)
    assert pic[0, 20].tolist() == [46, 160, 67], "cell (0, 1) in both: green"
    assert pic[0, 0].tolist() == [31, 119, 180] and pic[0, 40].tolist() == [255, 127, 14]
    assert pic[100, 100].tolist() == [100, 100, 100]


def test_three_maps_of_chelsea_agree_where_they_should(chelsea, lite0):
    """Grad-CAM and occlusion both ask "where is the cat's evidence?" at a coarse scale: their ranks correlate
    positively; saliency's pixel gradients agree less with Grad-CAM."""
    maps = {"Grad-CAM": grad_cam(chelsea, net=lite0).heat,
            "occlusion": occlusion_map(chelsea, net=lite0, patch=56, stride=28).heat,
            "saliency": saliency_map(chelsea, net=lite0).heat}
    got = agreement(maps, 14, 10)
    rho_go, overlap_go = got.pair("Grad-CAM", "occlusion")
    assert rho_go > 0.2, got.spearman
    assert got.pair("Grad-CAM", "occlusion")[0] > got.pair("Grad-CAM", "saliency")[0]
    assert np.all(np.abs(got.spearman) <= 1) and np.all(np.isfinite(got.spearman))
    assert np.all((got.overlap >= 0) & (got.overlap <= 1)) and 0 <= overlap_go < 1
    assert got.spearman[0, 1] == pytest.approx(0.40, abs=0.05)
