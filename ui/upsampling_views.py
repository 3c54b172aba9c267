"""The upsampling lab's "show your work on your photo": max and average pooling, max-unpooling with the photo's own
switches and a transposed convolution, one picked output cell at a time.

No maths here: the grey map, pooling, unpooling and the transposed convolution come from ``vision_core.ops``
(``upsampling.photo_pooling``, ``conv_transpose2d``; cell explanations from ``ops.pooling`` and
``ops.upsampling.explain_transposed_cell``), computed once per (photo, setting) with ``ui.results.cached``;
figures are ``ui.conv_plots`` number grids, built once per input (``ui.figures``). The row and column inputs
are in the link (``up_wrow``, ``up_wcol``), like the convolution page's show-your-work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from ui.common import friendly_errors
from ui.conv_plots import number_grid
from ui.results import cached
from ui.tray import TrayImage
from vision_core.ops.pooling import explain_pool_cell, explain_unpool_cell
from vision_core.ops.upsampling import PhotoPooling, conv_transpose2d, explain_transposed_cell, photo_pooling

WORK_OPS = ("max pool", "average pool", "max unpool", "transposed conv")
"""The operators whose arithmetic the section shows (the ``up_wop`` link values)."""
MAP_SIDES = [8, 12, 16]


@dataclass(frozen=True)
class Transposed:
    """The transposed convolution's settings from section 2: the filter, stride, padding and output padding."""

    kernel: np.ndarray
    stride: int
    padding: int
    output_padding: int

    @property
    def key(self) -> tuple:
        """A hashable summary for the result cache."""
        return (self.kernel.shape, self.kernel.tobytes(), self.stride, self.padding, self.output_padding)


def pooling_for(item: TrayImage, side: int, size: int, stride: int) -> PhotoPooling:
    """The photo's grey map pooled and unpooled, once per (photo, map size, pool size, stride)."""
    return cached("up_pooling", item.key, (side, size, stride), lambda: photo_pooling(item.image, side, size, stride))


def transposed_for(item: TrayImage, pooling: PhotoPooling, t: Transposed) -> np.ndarray:
    """The transposed convolution of the max-pooled map, once per (photo, pooling, filter, settings)."""
    key = (pooling.grey.shape, pooling.size, pooling.stride, *t.key)
    return cached("up_tconv", item.key, key,
                  lambda: conv_transpose2d(pooling.max_pooled, t.kernel, t.stride, t.padding, t.output_padding))


def _grid(values: np.ndarray, title: str, item: TrayImage, highlight=(), colorscale: str = "Greys_r", **kw):
    h, w = values.shape
    return number_grid(values, f"{title} {h}×{w}", colorscale=colorscale, highlight=list(highlight),
                       cell_px=30 if max(h, w) <= 12 else 24, photo_key=item.key, **kw)


def _row(*figures) -> list:
    """Draw ``(figure, key)`` pairs side by side, each column as wide as its figure; returns the columns."""
    cols = st.columns([f.layout.width or 300 for f, _ in figures] + [60])
    for col, (fig, key) in zip(cols, figures):
        col.plotly_chart(fig, key=key, width="content")
    return cols


def _pool_work(item: TrayImage, p: PhotoPooling, row: int, col: int, mode: str) -> None:
    cell = explain_pool_cell(p.grey, row, col, p.size, p.stride, mode)
    out = p.max_pooled if mode == "max" else p.avg_pooled
    _row((_grid(p.grey, "INPUT: your photo, grey", item, cell.cells(), zmin=0, zmax=255), "up_w_in"),
         (_grid(out, f"OUTPUT: {mode} pool", item, [(row, col)], zmin=0, zmax=255), "up_w_out"))
    values = ", ".join(f"{v:g}" for v in cell.window.ravel())
    left, right = st.columns([1, 3])
    left.plotly_chart(number_grid(cell.window, "The window", row_labels=cell.rows.tolist(), col_labels=cell.cols.tolist(),
                                  colorscale="Greys_r", zmin=0, zmax=255,
                                  highlight=[(cell.argmax[0] - cell.rows[0], cell.argmax[1] - cell.cols[0])]
                                  if cell.argmax else [], photo_key=item.key), key="up_w_window", width="content")
    if mode == "max":
        r, c = cell.argmax
        right.success(f"Output (row {row}, column {col}) = max({values}) = **{cell.value:g}**, found at input "
                      f"(row {r}, column {c}). Max-pooling remembers that position as the switch "
                      f"{r}·{p.grey.shape[1]} + {c} = {cell.switch} (row · width + column), as PyTorch's "
                      "return_indices.")
    else:
        n = cell.window.size
        right.success(f"Output (row {row}, column {col}) = ({' + '.join(f'{v:g}' for v in cell.window.ravel())}) / {n} "
                      f"= {cell.total:g} / {n} = **{cell.value:.6g}**")
    right.caption(f"A {p.size}×{p.size} window moved by {p.stride}: output cell (r, c) reads input rows "
                  f"{p.stride}r … {p.stride}r + {p.size - 1} and the same columns (outlined on the input).")


def _unpool_work(item: TrayImage, p: PhotoPooling, row: int, col: int) -> None:
    h, w = p.grey.shape
    cell = explain_unpool_cell(p.max_pooled, p.switches, (h, w), row, col, p.size, p.stride)
    _row((_grid(p.max_pooled, "INPUT: max-pooled photo", item, cell.sources or cell.covering, zmin=0, zmax=255),
          "up_w_pooled"),
         (_grid(p.unpooled, "OUTPUT: max unpool", item, [(row, col)], zmin=0, zmax=255), "up_w_unpooled"))
    left, right = st.columns([3, 2])
    left.plotly_chart(_grid(p.grey, "Before pooling (switch outlined)", item, cell.switch_cells, zmin=0, zmax=255),
                      key="up_w_switch", width="content")
    windows = "; ".join(f"pooled cell ({i}, {j}), whose max was at ({r}, {s})"
                        for (i, j), (r, s) in zip(cell.covering, cell.switch_cells))
    if cell.is_switch:
        i, j = cell.sources[-1]
        right.success(f"Output (row {row}, column {col}) lies in the window of {windows}. The switch of pooled cell "
                      f"({i}, {j}) is {int(p.switches[i, j])} = {row}·{w} + {col}: this very cell, so it gets that "
                      f"pooled value, **{cell.value:g}**.")
    else:
        right.success(f"Output (row {row}, column {col}) lies in the window of {windows}. No switch points here "
                      "(the maximum was elsewhere), so the cell gets **0**.")
    right.caption("Max unpooling puts each pooled value back where its paired max-pool found the maximum (the "
                  "switches, remembered per window) and zeros everywhere else: the lecture's \"remember which element "
                  "was max\".")


def _transposed_work(item: TrayImage, p: PhotoPooling, row: int, col: int, t: Transposed | None) -> None:
    if t is None:
        raise ValueError("The transposed convolution's settings in section 2 are not valid; fix them there first.")
    out = transposed_for(item, p, t)
    cell = explain_transposed_cell(p.max_pooled, t.kernel, row, col, t.stride, t.padding, t.output_padding)
    _row((_grid(p.max_pooled, "INPUT: max-pooled photo", item, cell.input_cells(), zmin=0, zmax=255), "up_w_tin"),
         (_grid(out, "OUTPUT: transposed conv", item, [(row, col)], colorscale="Purples",
                show_text=max(out.shape) <= 16), "up_w_tout"))
    left, right = st.columns([1, 3])
    left.plotly_chart(number_grid(t.kernel, "The filter (taps used)", colorscale="Purples", highlight=cell.taps()),
                      key="up_w_taps", width="content")
    settings = f"stride {t.stride}, padding {t.padding}, output padding {t.output_padding}"
    if not cell.terms:
        right.success(f"Output (row {row}, column {col}) is canvas cell {cell.canvas}: no filter copy reaches it "
                      f"(output padding, or a gap between copies; {settings}), so it is **0**.")
        return
    right.dataframe([{"input cell": f"({term.in_row}, {term.in_col})", "input value": term.value,
                      "filter tap": f"({term.tap_row}, {term.tap_col})", "weight": term.weight, "product": term.product}
                     for term in cell.terms], hide_index=True)
    sums = " + ".join(f"{term.value:g}·{term.weight:g}" for term in cell.terms)
    right.success(f"Output (row {row}, column {col}) is cell {cell.canvas} of the uncropped canvas ({settings}; the "
                  "padding is cropped from each side): every input cell whose filter copy covers it adds value × tap. "
                  f"{sums} = **{cell.value:.6g}**")


def show_your_work(item: TrayImage, t: Transposed | None) -> None:
    """Section 4: the tray photo as a small grey map; pick an operator and an output cell, see its arithmetic."""
    st.subheader("4 · Show your work on your photo")
    st.markdown("Your photo as a small grey map (every cell a whole grey level 0–255), then **max pooling** or "
                "**average pooling** of it, **max unpooling** of the max-pooled map with the switches that pooling "
                "remembered, and the **transposed convolution** of section 2 on the max-pooled map. Pick an output "
                "cell and check the arithmetic.")
    op = st.segmented_control("Operator", WORK_OPS, default=WORK_OPS[0], key="up_wop", bind="query-params",
                              required=True) or WORK_OPS[0]
    c = st.columns([2, 1, 1, 1, 1])
    side = int(c[0].select_slider("Map size (long side, cells)", MAP_SIDES, value=12, key="up_wside",
                                  bind="query-params"))
    size = int(c[1].number_input("Pool size", value=2, step=1, key="up_wsize", bind="query-params"))
    stride = int(c[2].number_input("Pool stride", value=2, step=1, key="up_wstride", bind="query-params"))
    row = int(c[3].number_input("Output row", value=1, step=1, key="up_wrow", bind="query-params"))
    col = int(c[4].number_input("Output column", value=1, step=1, key="up_wcol", bind="query-params"))
    r3 = st.empty()
    with friendly_errors():
        p = pooling_for(item, side, size, stride)
        shapes = {"max pool": p.max_pooled.shape, "average pool": p.avg_pooled.shape, "max unpool": p.grey.shape}
        if op == "transposed conv" and t is not None:
            shapes[op] = transposed_for(item, p, t).shape
        if op in shapes:
            oh, ow = shapes[op]
            r3.caption(f"{item.label}: {p.grey.shape[0]}×{p.grey.shape[1]} grey map → {op} output {oh}×{ow} "
                       f"(rows 0–{oh - 1}, columns 0–{ow - 1}).")
        if op == "max unpool":
            _unpool_work(item, p, row, col)
        elif op == "transposed conv":
            _transposed_work(item, p, row, col, t)
        else:
            _pool_work(item, p, row, col, "max" if op == "max pool" else "average")
        st.caption("Checked against PyTorch in the tests: F.max_pool2d (return_indices), F.avg_pool2d, F.max_unpool2d "
                   "and F.conv_transpose2d give the same number at every cell.")
