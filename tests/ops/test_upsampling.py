"""Unpooling and transposed convolution against F.interpolate, F.max_unpool2d, F.conv_transpose2d and the lecture."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from vision_core.errors import BadInput
from vision_core.io.samples import load_sample
from vision_core.ops.upsampling import (
    LECTURE_POOL_INPUT,
    LECTURE_UNPOOL_INPUT,
    bed_of_nails,
    bilinear,
    bilinear_kernel,
    conv_transpose2d,
    explain_transposed_cell,
    max_pool_with_indices,
    max_unpool,
    nearest,
    photo_feature_map,
    photo_grey_map,
    photo_pooling,
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


def test_lecture_transposed_cells_show_the_overlapping_copies():
    """The lecture's 3×3 transposed conv, stride 2, pad 1 (output padding 1 → 4×4) of [[1, 2], [3, 4]] with the
    filter 1…9: cell (1, 1) is canvas (2, 2) where all four copies overlap: 1·9 + 2·7 + 3·3 + 4·1 = 36; cell
    (0, 0) is canvas (1, 1), the centre tap of the first copy only: 1·5 = 5; cell (3, 3) is canvas (4, 4), the
    last copy's bottom-right tap only: 4·9 = 36."""
    k = np.arange(1, 10, dtype=np.float64).reshape(3, 3)
    cell = explain_transposed_cell(LECTURE_UNPOOL_INPUT, k, 1, 1, 2, 1, 1)
    assert cell.canvas == (2, 2) and cell.input_cells() == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert cell.taps() == [(2, 2), (2, 0), (0, 2), (0, 0)]
    assert [term.product for term in cell.terms] == [9, 14, 9, 4] and cell.value == 36
    first = explain_transposed_cell(LECTURE_UNPOOL_INPUT, k, 0, 0, 2, 1, 1)
    assert [(t.in_row, t.in_col, t.tap_row, t.tap_col) for t in first.terms] == [(0, 0, 1, 1)] and first.value == 5
    corner = explain_transposed_cell(LECTURE_UNPOOL_INPUT, k, 3, 3, 2, 1, 1)
    assert corner.canvas == (4, 4) and corner.input_cells() == [(1, 1)] and corner.value == 36
    ref = F.conv_transpose2d(t(LECTURE_UNPOOL_INPUT), t(k), stride=2, padding=1, output_padding=1)[0, 0].numpy()
    got = np.array([[explain_transposed_cell(LECTURE_UNPOOL_INPUT, k, r, c, 2, 1, 1).value for c in range(4)]
                    for r in range(4)])
    np.testing.assert_array_equal(got, ref)


def test_a_cell_beyond_the_copies_is_only_the_bias():
    """Stride 3 with a 2×2 filter leaves a gap between copies; output padding adds cells no copy reaches."""
    x, k = np.array([[1.0, 2.0]]), np.array([[1.0, 1.0], [1.0, 1.0]])
    out = F.conv_transpose2d(t(x), t(k), torch.tensor([0.5], dtype=torch.float64), stride=3, output_padding=1)[0, 0]
    gap = explain_transposed_cell(x, k, 0, 2, 3, 0, 1, bias=0.5)
    assert gap.terms == () and gap.value == 0.5 == out[0, 2].item()
    pad = explain_transposed_cell(x, k, 2, 0, 3, 0, 1, bias=0.5)
    assert pad.terms == () and pad.value == out[2, 0].item()


@pytest.mark.parametrize("sample", ["chelsea", "astronaut"])
@pytest.mark.parametrize("stride,padding,output_padding", [(2, 1, 1), (2, 1, 0), (1, 1, 0), (3, 2, 1), (2, 0, 0)])
def test_every_transposed_cell_of_a_photo_equals_torch(sample, stride, padding, output_padding):
    """The explanation's sum equals F.conv_transpose2d at every cell of the photo's pooled grey map."""
    pooled = photo_pooling(load_sample(sample), 12, 2).max_pooled
    k = np.random.default_rng(stride + padding).normal(size=(3, 3))
    ref = F.conv_transpose2d(t(pooled), t(k), torch.tensor([1.5], dtype=torch.float64), stride=stride,
                             padding=padding, output_padding=output_padding)[0, 0].numpy()
    for r in range(ref.shape[0]):
        for c in range(ref.shape[1]):
            cell = explain_transposed_cell(pooled, k, r, c, stride, padding, output_padding, bias=1.5)
            assert cell.value == pytest.approx(ref[r, c], abs=1e-9)
            assert sum(term.value * term.weight for term in cell.terms) + 1.5 == pytest.approx(ref[r, c], abs=1e-9)
            assert all(pooled[term.in_row, term.in_col] == term.value and k[term.tap_row, term.tap_col] == term.weight
                       for term in cell.terms)


def test_photo_grey_map_is_the_grey_photo_in_few_cells(chelsea):
    """chelsea 451×300 at 12 cells on the long side: 8 rows × 12 columns of whole grey levels, each the grey of an
    area-averaged block (cv2 INTER_AREA, then BT.601)."""
    import cv2

    grey = photo_grey_map(chelsea, 12)
    assert grey.shape == (8, 12) and grey.dtype == np.float64
    assert np.array_equal(grey, np.rint(grey)) and 0 <= grey.min() and grey.max() <= 255
    small = cv2.resize(chelsea, (12, 8), interpolation=cv2.INTER_AREA)
    np.testing.assert_allclose(grey, cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), atol=1)
    pooled = photo_pooling(chelsea, 12, 2)
    assert pooled.max_pooled.shape == (4, 6) and pooled.unpooled.shape == (8, 12)
    assert (pooled.unpooled != 0).sum() <= 24 and set(pooled.unpooled[pooled.unpooled != 0]) <= set(pooled.max_pooled.ravel())
    with pytest.raises(BadInput, match="between 4 and 64"):
        photo_grey_map(chelsea, 2)
    with pytest.raises(BadInput, match="outside the 4×4 output"):
        explain_transposed_cell(LECTURE_UNPOOL_INPUT, np.ones((3, 3)), 4, 0, 2, 1, 1)
