"""Pooling shown cell by cell: the window one output cell of max or average pooling reads, its values and
the max (with its position) or the mean; and which pooled value max-unpooling puts into a cell, or zero.

Conventions follow PyTorch: maps are ``(H, W)`` float arrays; no padding and the floor rule for the number
of windows (``F.max_pool2d`` / ``F.avg_pool2d`` with ``kernel_size=size, stride=stride``); a tie goes to the
first maximum in reading order; a switch is the flat index ``row · W + col`` of a maximum in the pooling's
input, as ``F.max_pool2d(..., return_indices=True)`` returns it and ``F.max_unpool2d`` reads it. Rows and
columns are 0-based. The whole-map operators are ``ops.conv.pool2d`` and ``ops.upsampling.max_pool_with_indices``
/ ``max_unpool``; these functions explain one cell of their output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vision_core.checks import check_choice, check_int, check_map
from vision_core.errors import BadInput

__all__ = ["POOL_MODES", "PoolCell", "UnpoolCell", "explain_pool_cell", "explain_unpool_cell", "pool_windows"]

POOL_MODES = ("max", "average")


@dataclass(frozen=True)
class PoolCell:
    """How output cell ``(row, col)`` of a pooling is computed.

    ``window`` ``(size, size)``: the input values it reads; ``rows``/``cols``: their input coordinates.
    ``value``: the max (``mode="max"``) or the mean (``total / size²``). For max, ``argmax`` is the input
    ``(row, col)`` of the maximum and ``switch`` its flat index ``row · W + col``; for average both are None.
    """

    row: int
    col: int
    mode: str
    window: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    total: float
    value: float
    argmax: tuple[int, int] | None
    switch: int | None

    def cells(self) -> list[tuple[int, int]]:
        """The input cells ``(row, col)`` of the window, in reading order."""
        return [(int(r), int(c)) for r in self.rows for c in self.cols]


@dataclass(frozen=True)
class UnpoolCell:
    """What max-unpooling writes into output cell ``(row, col)``.

    ``covering``: the pooled cells ``(i, j)`` whose pooling window contains this cell, each with the input
    cell its maximum came from (``switch_cells``, same order). ``sources``: the pooled cells whose switch
    points here (usually none or one; with overlapping windows the last in reading order wins, as in
    ``max_unpool``). ``value``: that pooled value, or 0 when no switch points here.
    """

    row: int
    col: int
    covering: tuple[tuple[int, int], ...]
    switch_cells: tuple[tuple[int, int], ...]
    sources: tuple[tuple[int, int], ...]
    value: float

    @property
    def is_switch(self) -> bool:
        """Whether a remembered maximum lands here (else the cell is 0)."""
        return bool(self.sources)


def pool_windows(height: int, width: int, size: int, stride: int | None = None) -> tuple[int, int]:
    """How many pooling windows fit along each axis: ``(⌊(H − size)/stride⌋ + 1, ⌊(W − size)/stride⌋ + 1)``."""
    size = check_int(size, 1, None, "The pooling size")
    stride = size if stride is None else check_int(stride, 1, None, "The pooling stride")
    if size > min(height, width):
        raise BadInput(f"A {size}×{size} pooling window does not fit in a {width}×{height} map (columns × rows).")
    return (height - size) // stride + 1, (width - size) // stride + 1


def _check_cell(row: int, col: int, shape: tuple[int, int], what: str) -> tuple[int, int]:
    oh, ow = shape
    for v in (row, col):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise BadInput(f"The row and column must be whole numbers, got {v!r}.")
    if not (0 <= row < oh and 0 <= col < ow):
        raise BadInput(f"Cell (row {row}, column {col}) is outside the {oh}×{ow} {what}: rows 0–{oh - 1}, "
                       f"columns 0–{ow - 1}.")
    return int(row), int(col)


def explain_pool_cell(x: np.ndarray, row: int, col: int, size: int = 2, stride: int | None = None,
                      mode: str = "max") -> PoolCell:
    """The window, values and max (with its position) or mean behind output cell ``(row, col)`` of max or
    average pooling of ``x`` ``(H, W)``; ``value`` equals ``ops.conv.pool2d(x, size, stride, mode)[row, col]``."""
    x = check_map(x, "input")
    check_choice(mode, POOL_MODES, "pooling")
    stride = size if stride is None else stride
    out = pool_windows(*x.shape, size, stride)
    row, col = _check_cell(row, col, out, "pooled output")
    rows = row * stride + np.arange(size)
    cols = col * stride + np.arange(size)
    window = x[np.ix_(rows, cols)].copy()
    window.setflags(write=False)
    total = float(window.sum())
    if mode == "average":
        return PoolCell(row, col, mode, window, rows, cols, total, float(window.mean()), None, None)
    k = int(np.argmax(window))
    r, c = int(rows[k // size]), int(cols[k % size])
    return PoolCell(row, col, mode, window, rows, cols, total, float(window.flat[k]), (r, c), r * x.shape[1] + c)


def explain_unpool_cell(pooled: np.ndarray, switches: np.ndarray, output_shape: Sequence[int], row: int, col: int,
                        size: int = 2, stride: int | None = None) -> UnpoolCell:
    """Which pooled value max-unpooling puts into output cell ``(row, col)`` and from which switch, or why it
    is 0: ``value`` equals ``ops.upsampling.max_unpool(pooled, switches, output_shape)[row, col]`` (and
    ``F.max_unpool2d``). ``size``/``stride`` are the paired max-pooling's, to name the windows that cover the cell."""
    pooled = check_map(pooled, "pooled map")
    switches = np.asarray(switches)
    if switches.shape != pooled.shape or not np.issubdtype(switches.dtype, np.integer):
        raise BadInput(f"The switches must be whole-number positions of the pooled map's shape {pooled.shape}, "
                       f"got {switches.dtype} {switches.shape}.")
    oh, ow = (int(v) for v in output_shape)
    if switches.min() < 0 or switches.max() >= oh * ow:
        raise BadInput(f"A remembered position lies outside the {oh}×{ow} output.")
    stride = size if stride is None else stride
    n_rows, n_cols = pool_windows(oh, ow, size, stride)
    if (n_rows, n_cols) != pooled.shape:
        raise BadInput(f"A {size}×{size} max-pool with stride {stride} of a {oh}×{ow} map gives {n_rows}×{n_cols}, "
                       f"not the pooled map's {pooled.shape[0]}×{pooled.shape[1]}.")
    row, col = _check_cell(row, col, (oh, ow), "unpooled output")
    covering = tuple((i, j) for i in range(n_rows) for j in range(n_cols)
                     if i * stride <= row < i * stride + size and j * stride <= col < j * stride + size)
    cells = tuple((int(switches[i, j]) // ow, int(switches[i, j]) % ow) for i, j in covering)
    target = row * ow + col
    sources = tuple((int(i), int(j)) for i, j in zip(*np.nonzero(switches == target)))
    value = float(pooled[sources[-1]]) if sources else 0.0
    return UnpoolCell(row, col, covering, cells, sources, value)
