"""AppTest of the upsampling lab's "show your work on your photo": every operator's arithmetic on the tray photo,
the numbers equal torch's, bad cells and settings explained, a link reopens the same cell, and a rerun that changed
nothing computes and builds nothing."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from tests.app.util import errors, run_page
from vision_core.io.samples import load_sample
from vision_core.ops.upsampling import photo_grey_map


def _success(at) -> str:
    return " ".join(s.value for s in at.success)


def _t(a) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64))[None, None]


def test_max_and_average_pool_cells_equal_torch():
    at = run_page("upsampling.py")
    assert not at.exception, errors(at)
    grey = photo_grey_map(load_sample("chelsea"), 12)
    ref, idx = F.max_pool2d(_t(grey), 2, return_indices=True)
    r, c = divmod(int(idx[0, 0, 1, 1]), 12)
    assert f"= **{ref[0, 0, 1, 1].item():g}**, found at input (row {r}, column {c})" in _success(at)
    assert f"switch {r}·12 + {c} = {int(idx[0, 0, 1, 1])}" in _success(at)
    at.number_input(key="up_wrow").set_value(3).run()
    at.number_input(key="up_wcol").set_value(5).run()
    assert f"= **{ref[0, 0, 3, 5].item():g}**" in _success(at)
    at.segmented_control(key="up_wop").set_value("average pool").run()
    mean = F.avg_pool2d(_t(grey), 2)[0, 0, 3, 5].item()
    assert f"/ 4 = **{mean:.6g}**" in _success(at)
    at.number_input(key="up_wrow").set_value(4).run()
    assert not at.exception, errors(at)
    assert any("outside the 4×6 pooled output: rows 0–3" in e.value for e in at.error)
    at.number_input(key="up_wstride").set_value(0).run()
    assert any("pooling stride must be between 1 and 8, got 0" in e.value for e in at.error)
    assert not at.exception, errors(at)


def test_unpool_and_transposed_cells_equal_torch_and_the_link_reopens_them():
    grey = photo_grey_map(load_sample("astronaut"), 8)
    pooled, idx = F.max_pool2d(_t(grey), 2, return_indices=True)
    unpooled = F.max_unpool2d(pooled, idx, 2, output_size=grey.shape)[0, 0]
    r, c = divmod(int(idx[0, 0, 2, 1]), 8)
    at = run_page("upsampling.py", query={"sample": "astronaut", "up_wside": "8", "up_wop": "max unpool",
                                          "up_wrow": str(r), "up_wcol": str(c)})
    assert not at.exception, errors(at)
    assert f"this very cell, so it gets that pooled value, **{unpooled[r, c].item():g}**" in _success(at)
    zero = next((rr, cc) for rr in range(8) for cc in range(8) if unpooled[rr, cc] == 0)
    at.number_input(key="up_wrow").set_value(zero[0]).run()
    at.number_input(key="up_wcol").set_value(zero[1]).run()
    assert "No switch points here" in _success(at) and "gets **0**" in _success(at)
    at.segmented_control(key="up_wop").set_value("transposed conv").run()
    at.number_input(key="up_wrow").set_value(5).run()
    at.number_input(key="up_wcol").set_value(6).run()
    k = torch.arange(1, 10, dtype=torch.float64).reshape(1, 1, 3, 3)
    out = F.conv_transpose2d(pooled, k, stride=2, padding=1, output_padding=1)[0, 0]
    assert out.shape == (8, 8)
    assert f"= **{out[5, 6].item():.6g}**" in _success(at)
    assert len(at.dataframe[-1].value) == 2, "row 5 is odd (between two copies), column 6 even (one copy): 2 terms"
    at.number_input(key="up_stride").set_value(0).run()
    assert not at.exception, errors(at)
    assert any("section 2 are not valid" in e.value for e in at.error)


def test_a_rerun_that_changed_nothing_computes_and_builds_nothing():
    import ui.figures
    from ui import results

    at = run_page("upsampling.py", query={"up_wop": "transposed conv"})
    assert not at.exception, errors(at)
    computed, built = results.computations(), ui.figures._SHARED.built
    at.run()
    assert results.computations() == computed and ui.figures._SHARED.built == built
