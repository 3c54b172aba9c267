"""vision_core.ops.pooling: every cell's explanation equals torch's max / average pooling and max-unpooling, on the
lecture's 4×4 example and on bundled photos' grey maps."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from vision_core.errors import BadInput
from vision_core.io.samples import load_sample
from vision_core.ops.pooling import explain_pool_cell, explain_unpool_cell, pool_windows
from vision_core.ops.upsampling import LECTURE_POOL_INPUT, LECTURE_UNPOOL_INPUT, max_pool_with_indices, photo_pooling


def t(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64))[None, None]


def test_lecture_max_pool_cells():
    """[[1,2,6,3],[3,5,2,1],[1,2,2,1],[7,3,4,8]] → [[5,6],[7,8]], each maximum at the lecture's position."""
    got = {(r, c): explain_pool_cell(LECTURE_POOL_INPUT, r, c) for r in range(2) for c in range(2)}
    assert [[got[r, c].value for c in range(2)] for r in range(2)] == [[5, 6], [7, 8]]
    assert [got[k].argmax for k in sorted(got)] == [(1, 1), (0, 2), (3, 0), (3, 3)]
    assert [got[k].switch for k in sorted(got)] == [5, 2, 12, 15]
    top_right = got[0, 1]
    assert top_right.window.tolist() == [[6, 3], [2, 1]] and top_right.cells() == [(0, 2), (0, 3), (1, 2), (1, 3)]
    _, idx = F.max_pool2d(t(LECTURE_POOL_INPUT), 2, return_indices=True)
    assert idx[0, 0].flatten().tolist() == [got[k].switch for k in sorted(got)]


def test_lecture_average_pool_cells():
    """Means of the lecture's four windows: (1+2+3+5)/4 = 2.75, (6+3+2+1)/4 = 3, (1+2+7+3)/4 = 3.25, (2+1+4+8)/4 = 3.75."""
    cells = [explain_pool_cell(LECTURE_POOL_INPUT, r, c, mode="average") for r in range(2) for c in range(2)]
    assert [c.value for c in cells] == [2.75, 3.0, 3.25, 3.75]
    assert [c.total for c in cells] == [11, 12, 13, 15]
    assert all(c.argmax is None and c.switch is None for c in cells)
    ref = F.avg_pool2d(t(LECTURE_POOL_INPUT), 2)[0, 0].flatten().tolist()
    assert ref == [c.value for c in cells]


def test_ties_go_to_the_first_maximum_as_torch():
    x = np.array([[4, 4], [4, 1]], dtype=np.float64)
    cell = explain_pool_cell(x, 0, 0)
    _, idx = F.max_pool2d(t(x), 2, return_indices=True)
    assert cell.argmax == (0, 0) and cell.switch == int(idx) == 0


@pytest.mark.parametrize("sample", ["chelsea", "astronaut", "coffee"])
@pytest.mark.parametrize("size,stride", [(2, 2), (3, 3), (3, 2), (2, 1)])
def test_every_cell_of_a_photo_equals_torch(sample, size, stride):
    photo = photo_pooling(load_sample(sample), 12, size, stride)
    x = photo.grey
    ref_max, ref_idx = F.max_pool2d(t(x), size, stride, return_indices=True)
    ref_avg = F.avg_pool2d(t(x), size, stride)[0, 0].numpy()
    oh, ow = ref_avg.shape
    assert pool_windows(*x.shape, size, stride) == (oh, ow) == photo.max_pooled.shape
    for r in range(oh):
        for c in range(ow):
            m = explain_pool_cell(x, r, c, size, stride, "max")
            assert m.value == ref_max[0, 0, r, c].item() and m.switch == ref_idx[0, 0, r, c].item()
            assert x[m.argmax] == m.value == m.window.max()
            a = explain_pool_cell(x, r, c, size, stride, "average")
            assert a.value == pytest.approx(ref_avg[r, c], abs=1e-12)
    np.testing.assert_array_equal(photo.switches, ref_idx[0, 0].numpy())
    np.testing.assert_allclose(photo.avg_pooled, ref_avg, atol=1e-12)


def test_lecture_max_unpool_cells():
    """Unpooling [[1,2],[3,4]] with the 4×4 example's switches: [[0,0,2,0],[0,1,0,0],[0,0,0,0],[3,0,0,4]]."""
    _, idx = max_pool_with_indices(LECTURE_POOL_INPUT)
    cells = [[explain_unpool_cell(LECTURE_UNPOOL_INPUT, idx, (4, 4), r, c) for c in range(4)] for r in range(4)]
    assert [[cell.value for cell in row] for row in cells] == [[0, 0, 2, 0], [0, 1, 0, 0], [0, 0, 0, 0], [3, 0, 0, 4]]
    one = cells[1][1]
    assert one.is_switch and one.sources == ((0, 0),) and one.covering == ((0, 0),) and one.switch_cells == ((1, 1),)
    zero = cells[0][0]
    assert not zero.is_switch and zero.value == 0 and zero.switch_cells == ((1, 1),), "its window's max was at (1, 1)"
    assert cells[3][0].sources == ((1, 0),) and cells[3][0].value == 3


@pytest.mark.parametrize("size,stride", [(2, 2), (3, 3), (3, 2)])
def test_unpool_cells_of_a_photo_equal_torch(size, stride):
    photo = photo_pooling(load_sample("astronaut"), 12, size, stride)
    h, w = photo.grey.shape
    ref_max, ref_idx = F.max_pool2d(t(photo.grey), size, stride, return_indices=True)
    ref = F.max_unpool2d(ref_max, ref_idx, size, stride, output_size=(h, w))[0, 0].numpy()
    got = np.array([[explain_unpool_cell(photo.max_pooled, photo.switches, (h, w), r, c, size, stride).value
                     for c in range(w)] for r in range(h)])
    np.testing.assert_array_equal(got, ref)
    np.testing.assert_array_equal(photo.unpooled, ref)
    assert (got != 0).sum() <= photo.max_pooled.size, "at most one non-zero cell per pooled value"


def test_bad_cells_and_settings_are_bad_input():
    with pytest.raises(BadInput, match="outside the 2×2 pooled output: rows 0–1"):
        explain_pool_cell(LECTURE_POOL_INPUT, 2, 0)
    with pytest.raises(BadInput, match="Choose one of: max, average"):
        explain_pool_cell(LECTURE_POOL_INPUT, 0, 0, mode="median")
    with pytest.raises(BadInput, match="does not fit"):
        explain_pool_cell(LECTURE_POOL_INPUT, 0, 0, size=5)
    with pytest.raises(BadInput, match="stride must be at least 1"):
        explain_pool_cell(LECTURE_POOL_INPUT, 0, 0, stride=0)
    _, idx = max_pool_with_indices(LECTURE_POOL_INPUT)
    with pytest.raises(BadInput, match="outside the 4×4 unpooled output"):
        explain_unpool_cell(LECTURE_UNPOOL_INPUT, idx, (4, 4), 0, 4)
    with pytest.raises(BadInput, match="gives 1×1"):
        explain_unpool_cell(LECTURE_UNPOOL_INPUT, idx, (4, 4), 0, 0, size=3)
