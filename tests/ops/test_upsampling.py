"""Unpooling and transposed convolution against F.interpolate, F.max_unpool2d, F.conv_transpose2d and the lecture."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from vision_core.ops.upsampling import (
    LECTURE_POOL_INPUT,
    LECTURE_UNPOOL_INPUT,
    bed_of_nails,
    bilinear,
    bilinear_kernel,
    conv_transpose2d,
    max_pool_with_indices,
    max_unpool,
    nearest,
    photo_feature_map,
    switch_cells,
    transposed_1d_symbolic,
    transposed_steps,
    upsample_map,
)


def t(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(a, dtype=torch.float64)[None, None]


def test_lecture_nearest_and_bed_of_nails():
    assert nearest(LECTURE_UNPOOL_INPUT).tolist() == [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]
    assert bed_of_nails(LECTURE_UNPOOL_INPUT).tolist() == [[1, 0, 2, 0], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]]
    x = np.random.default_rng(0).normal(size=(3, 5))
    for f in (2, 3):
        np.testing.assert_array_equal(nearest(x, f), F.interpolate(t(x), scale_factor=f, mode="nearest")[0, 0].numpy())


def test_lecture_max_pool_and_unpool():
    pooled, idx = max_pool_with_indices(LECTURE_POOL_INPUT)
    assert pooled.tolist() == [[5, 6], [7, 8]]
    ref_pool, ref_idx = F.max_pool2d(t(LECTURE_POOL_INPUT), 2, return_indices=True)
    np.testing.assert_array_equal(idx, ref_idx[0, 0].numpy())
    out = max_unpool(LECTURE_UNPOOL_INPUT, idx, (4, 4))
    assert out.tolist() == [[0, 0, 2, 0], [0, 1, 0, 0], [0, 0, 0, 0], [3, 0, 0, 4]]
    np.testing.assert_array_equal(out, F.max_unpool2d(t(LECTURE_UNPOOL_INPUT), ref_idx, 2)[0, 0].numpy())
    assert switch_cells(idx, 4) == [(1, 1), (0, 2), (3, 0), (3, 3)], "the maxima 5, 6, 7, 8 of the lecture's 4×4"


def test_max_unpool_random_against_torch():
    x = np.random.default_rng(3).normal(size=(8, 10))
    for size, stride in ((2, 2), (3, 3), (3, 2)):
        pooled, idx = max_pool_with_indices(x, size, stride)
        rp, ri = F.max_pool2d(t(x), size, stride, return_indices=True)
        np.testing.assert_array_equal(idx, ri[0, 0].numpy())
        np.testing.assert_allclose(max_unpool(pooled, idx, x.shape),
                                   F.max_unpool2d(rp, ri, size, stride, output_size=x.shape)[0, 0].numpy())


def test_bilinear_equals_interpolate():
    x = np.random.default_rng(1).normal(size=(5, 7))
    for f in (2, 3, 4):
        np.testing.assert_allclose(bilinear(x, f), F.interpolate(t(x), scale_factor=f, mode="bilinear", align_corners=False)[0, 0].numpy(), atol=1e-12)


@pytest.mark.parametrize("stride,padding,output_padding", [(1, 0, 0), (2, 1, 1), (2, 1, 0), (2, 0, 1), (3, 1, 2), (3, 2, 0)])
def test_conv_transpose2d_equals_torch(stride, padding, output_padding):
    rng = np.random.default_rng(stride * 10 + padding)
    x, k = rng.normal(size=(4, 5)), rng.normal(size=(3, 3))
    ref = F.conv_transpose2d(t(x), t(k), stride=stride, padding=padding, output_padding=output_padding)[0, 0].numpy()
    np.testing.assert_allclose(conv_transpose2d(x, k, stride, padding, output_padding), ref, atol=1e-12)


def test_lecture_transposed_3x3_stride2_pad1():
    k = np.arange(1, 10, dtype=np.float64).reshape(3, 3)
    steps = transposed_steps(LECTURE_UNPOOL_INPUT, k, 2, 1, 1)
    assert steps.output.shape == (4, 4)
    assert steps.full.shape == (5, 5)
    np.testing.assert_array_equal(steps.copies[0, 1, 0:3, 2:5], 2 * k)
    assert steps.full[2, 2] == 1 * 9 + 2 * 7 + 3 * 3 + 4 * 1
    assert transposed_steps(LECTURE_UNPOOL_INPUT, k, 2, 1).output.shape == (3, 3)
    placed = steps.placements()
    assert [(v, at) for v, at, _ in placed] == [(1.0, (0, 0)), (2.0, (0, 2)), (3.0, (2, 0)), (4.0, (2, 2))]
    np.testing.assert_array_equal(placed[3][2][2:5, 2:5], 4 * k)
    kept = steps.kept_cells()
    assert len(kept) == 16 and kept[0] == (1, 1) and kept[-1] == (4, 4), "padding 1 crops row/column 0; 4×4 kept"
    assert transposed_steps(LECTURE_UNPOOL_INPUT, k, 2, 1).kept_cells()[-1] == (3, 3)
    down = F.conv2d(torch.zeros(1, 1, 4, 4), torch.zeros(1, 1, 3, 3), stride=2, padding=1)
    assert tuple(down.shape[-2:]) == (2, 2)


def test_lecture_1d_example():
    assert transposed_1d_symbolic() == ["a·x", "a·y", "a·z + b·x", "b·y", "b·z"]
    a, b, x, y, z = 2.0, 3.0, 5.0, 7.0, 11.0
    ref = F.conv_transpose1d(torch.tensor([[[a, b]]]), torch.tensor([[[x, y, z]]]), stride=2)[0, 0].tolist()
    assert ref == [a * x, a * y, a * z + b * x, b * y, b * z]


def test_bilinear_transposed_kernel_upsamples_like_bilinear_inside(chelsea):
    fmap = photo_feature_map(chelsea, 24)
    assert max(fmap.shape) == 24 and fmap.max() == 1.0
    for f in (2, 4):
        up = upsample_map(fmap, f, "transposed (bilinear init)")
        assert up.shape == (fmap.shape[0] * f, fmap.shape[1] * f)
        np.testing.assert_allclose(up[f:-f, f:-f], bilinear(fmap, f)[f:-f, f:-f], atol=1e-9)
    assert bilinear_kernel(2).sum() == pytest.approx(4.0)


def test_bad_inputs():
    with pytest.raises(ValueError, match="factor"):
        nearest(LECTURE_UNPOOL_INPUT, 0)
    with pytest.raises(ValueError, match="NaN"):
        bilinear(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match="switches"):
        max_unpool(LECTURE_UNPOOL_INPUT, np.zeros((3, 3), dtype=int), (4, 4))
    with pytest.raises(ValueError, match="Output padding"):
        conv_transpose2d(LECTURE_UNPOOL_INPUT, np.ones((3, 3)), 2, 1, 2)
    with pytest.raises(ValueError, match="method"):
        upsample_map(LECTURE_UNPOOL_INPUT, 2, "magic")
