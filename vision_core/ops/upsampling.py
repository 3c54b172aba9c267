"""Upsampling as segmentation decoders do it: unpooling (nearest, bed of nails, max unpooling) and
transposed convolution, on small ``(H, W)`` float maps so every value can be read.

Conventions match PyTorch: ``max_pool_with_indices`` returns flat indices ``row * W + col`` into the
input map (as ``F.max_pool2d(..., return_indices=True)``), ``max_unpool`` equals ``F.max_unpool2d``,
``bilinear`` equals ``F.interpolate(mode="bilinear", align_corners=False)``, ``conv_transpose2d``
equals ``F.conv_transpose2d`` for one input and one output channel.

Show your work: ``explain_transposed_cell`` lists every input cell × filter tap that adds into one output
cell of ``conv_transpose2d``; ``photo_grey_map`` / ``photo_pooling`` make the student's photo a small grey
map of whole numbers 0–255 and pool / unpool it (cell explanations of those are in ``ops.pooling``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from vision_core.checks import check_image, check_int, check_map
from vision_core.errors import BadInput
from vision_core.io.images import to_gray
from vision_core.ops.conv import conv2d, pool2d
from vision_core.ops.pixels import sample_spatially
from vision_core.ops.shapes import transposed_output_size

__all__ = [
    "LECTURE_POOL_INPUT",
    "LECTURE_UNPOOL_INPUT",
    "TransposedSteps",
    "TransposedTerm",
    "TransposedCell",
    "PhotoPooling",
    "explain_transposed_cell",
    "photo_grey_map",
    "photo_pooling",
    "nearest",
    "bed_of_nails",
    "bilinear",
    "max_pool_with_indices",
    "max_unpool",
    "switch_cells",
    "conv_transpose2d",
    "transposed_steps",
    "transposed_1d_symbolic",
    "bilinear_kernel",
    "photo_feature_map",
    "upsample_map",
    "UPSAMPLE_METHODS",
]

LECTURE_POOL_INPUT = np.array([[1, 2, 6, 3], [3, 5, 2, 1], [1, 2, 2, 1], [7, 3, 4, 8]], dtype=np.float64)
LECTURE_UNPOOL_INPUT = np.array([[1, 2], [3, 4]], dtype=np.float64)
UPSAMPLE_METHODS = ("nearest", "bilinear", "transposed (bilinear init)")


def _factor(factor: int) -> int:
    if isinstance(factor, bool) or int(factor) != factor or factor < 1:
        raise BadInput(f"The upsampling factor must be a whole number ≥ 1, got {factor!r}.")
    return int(factor)


def nearest(x: np.ndarray, factor: int = 2) -> np.ndarray:
    """Nearest neighbour: every value copied into a ``factor``×``factor`` block (1 2 / 3 4 → 4×4)."""
    f = _factor(factor)
    x = check_map(x)
    return np.repeat(np.repeat(x, f, axis=0), f, axis=1)


def bed_of_nails(x: np.ndarray, factor: int = 2) -> np.ndarray:
    """Each value at the top-left corner of its ``factor``×``factor`` block, zeros elsewhere."""
    f = _factor(factor)
    x = check_map(x)
    out = np.zeros((x.shape[0] * f, x.shape[1] * f))
    out[::f, ::f] = x
    return out


def _linear_weights(n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    scale = n_in / n_out
    src = np.maximum((np.arange(n_out) + 0.5) * scale - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(int), n_in - 1)
    i1 = np.minimum(i0 + 1, n_in - 1)
    return i0, i1, src - i0


def bilinear(x: np.ndarray, factor: int = 2) -> np.ndarray:
    """Bilinear interpolation with half-pixel centres (``align_corners=False``), edges clamped."""
    f = _factor(factor)
    x = check_map(x)
    h, w = x.shape
    r0, r1, ry = _linear_weights(h, h * f)
    c0, c1, cx = _linear_weights(w, w * f)
    rows = x[r0] * (1 - ry)[:, None] + x[r1] * ry[:, None]
    return rows[:, c0] * (1 - cx)[None, :] + rows[:, c1] * cx[None, :]


def max_pool_with_indices(x: np.ndarray, size: int = 2, stride: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Max pooling that remembers where each maximum was ("switches"): ``(pooled, flat indices row·W + col)``.

    Ties go to the first maximum in reading order, as PyTorch.
    """
    x = check_map(x)
    stride = size if stride is None else stride
    pooled = pool2d(x, size, stride, "max")
    oh, ow = pooled.shape
    win = np.lib.stride_tricks.sliding_window_view(x, (size, size))[::stride, ::stride][:oh, :ow]
    arg = win.reshape(oh, ow, size * size).argmax(axis=-1)
    rows = np.arange(oh)[:, None] * stride + arg // size
    cols = np.arange(ow)[None, :] * stride + arg % size
    return pooled, rows * x.shape[1] + cols


def switch_cells(indices: np.ndarray, width: int) -> list[tuple[int, int]]:
    """The ``(row, col)`` of each flat switch index ``row·width + col`` (as ``max_pool_with_indices`` returns
    them), in reading order."""
    return [divmod(int(i), int(width)) for i in np.asarray(indices).ravel()]


def max_unpool(x: np.ndarray, indices: np.ndarray, output_shape: Sequence[int]) -> np.ndarray:
    """Put each value of ``x`` back at the position its paired max-pool remembered; zeros elsewhere."""
    x = check_map(x)
    indices = np.asarray(indices)
    if indices.shape != x.shape:
        raise BadInput(f"The switches have shape {indices.shape} but the input is {x.shape}; they must match.")
    oh, ow = (int(v) for v in output_shape)
    if indices.min() < 0 or indices.max() >= oh * ow:
        raise BadInput(f"A remembered position lies outside the {oh}×{ow} output.")
    out = np.zeros(oh * ow)
    out[indices.ravel()] = x.ravel()
    return out.reshape(oh, ow)


def conv_transpose2d(
    x: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: int = 0, output_padding: int = 0, bias: float = 0.0
) -> np.ndarray:
    """Transposed convolution of one ``(H, W)`` map with one ``(kh, kw)`` filter.

    Each input value scales a copy of the filter placed ``stride`` apart; overlapping copies add up;
    ``padding`` crops that many rows/columns from each side; ``output_padding`` adds rows/columns at the
    end. Output (H − 1)S − 2P + kh + output_padding.
    """
    return transposed_steps(x, kernel, stride, padding, output_padding).output + bias


@dataclass(frozen=True)
class TransposedSteps:
    """Every step of a transposed convolution.

    ``copies`` is ``(H, W, Hf, Wf)``: on the full (uncropped) canvas ``(Hf, Wf)``, the filter scaled by
    input value (i, j) at offset (i·S, j·S). ``full`` = Σ copies; ``output`` is ``full`` cropped by the
    padding (and extended by output_padding); ``crop`` = (top, left) of the output on the canvas.
    """

    copies: np.ndarray
    full: np.ndarray
    output: np.ndarray
    crop: tuple[int, int]
    inputs: np.ndarray
    stride: int

    def placements(self) -> list[tuple[float, tuple[int, int], np.ndarray]]:
        """Per input value in reading order: ``(value, (row, col) of the copy's top-left on the canvas, copy)``."""
        h, w = self.inputs.shape
        return [(float(self.inputs[i, j]), (i * self.stride, j * self.stride), self.copies[i, j])
                for i in range(h) for j in range(w)]

    def kept_cells(self) -> list[tuple[int, int]]:
        """The ``(row, col)`` cells of ``full`` that the padding keeps in ``output``."""
        top, left = self.crop
        (fh, fw), (oh, ow) = self.full.shape, self.output.shape
        return [(r, c) for r in range(top, min(fh, top + oh)) for c in range(left, min(fw, left + ow))]


def _transposed(x: np.ndarray, kernel: np.ndarray, stride: int, padding: int, output_padding: int,
                ) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """A transposed convolution's checked input map and filter, and its output size ``(rows, columns)``."""
    x, k = check_map(x), check_map(kernel, "filter")
    return x, k, tuple(transposed_output_size(n, kn, stride, padding, output_padding)
                       for n, kn in zip(x.shape, k.shape))


def transposed_steps(
    x: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: int = 0, output_padding: int = 0
) -> TransposedSteps:
    """The scaled filter copies, their sum and the cropped output of a transposed convolution."""
    x, k, (oh, ow) = _transposed(x, kernel, stride, padding, output_padding)
    (h, w), (kh, kw) = x.shape, k.shape
    fh, fw = (h - 1) * stride + kh, (w - 1) * stride + kw
    copies = np.zeros((h, w, fh, fw))
    for i in range(h):
        for j in range(w):
            copies[i, j, i * stride:i * stride + kh, j * stride:j * stride + kw] = x[i, j] * k
    full = copies.sum(axis=(0, 1))
    ext = np.zeros((max(fh, padding + oh), max(fw, padding + ow)))
    ext[:fh, :fw] = full
    output = ext[padding:padding + oh, padding:padding + ow].copy()
    return TransposedSteps(copies, full, output, (padding, padding), x, int(stride))


def transposed_1d_symbolic(inputs: Sequence[str] = ("a", "b"), filt: Sequence[str] = ("x", "y", "z"), stride: int = 2) -> list[str]:
    """The lecture's 1-D transposed convolution written out: input a b, filter x y z, stride 2 →
    ``["a·x", "a·y", "a·z + b·x", "b·y", "b·z"]``."""
    stride = _factor(stride)
    n = (len(inputs) - 1) * stride + len(filt)
    terms: list[list[str]] = [[] for _ in range(n)]
    for i, a in enumerate(inputs):
        for j, f in enumerate(filt):
            terms[i * stride + j].append(f"{a}·{f}")
    return [" + ".join(t) if t else "0" for t in terms]


def bilinear_kernel(factor: int) -> np.ndarray:
    """The FCN initialisation of a transposed conv that upsamples by ``factor`` bilinearly:
    size 2f − f mod 2, to be used with stride f and padding ⌈(f − 1)/2⌉."""
    f = _factor(factor)
    size = 2 * f - f % 2
    centre = f - 1 if size % 2 == 1 else f - 0.5
    og = np.arange(size)
    filt = 1 - np.abs(og - centre) / f
    return np.outer(filt, filt)


def photo_feature_map(image: np.ndarray, side: int = 24) -> np.ndarray:
    """A small feature map of a photo: grey → Sobel-x edge response |·| → resized to ``side`` on the long
    side by max-pooling-like area reduction. ``(h, w)`` float in [0, 1] (1 = strongest edge)."""
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3:
        raise BadInput(f"Expected an (H, W, 3) photo, got shape {image.shape}.")
    if side < 2:
        raise BadInput("The feature map needs at least 2 cells per side.")
    grey = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2GRAY).astype(np.float32)
    edges = np.abs(conv2d(grey, np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float64), padding=1))
    h, w = edges.shape
    scale = side / max(h, w)
    size = (max(2, round(w * scale)), max(2, round(h * scale)))
    small = cv2.resize(edges, size, interpolation=cv2.INTER_AREA).astype(np.float64)
    top = small.max()
    return small / top if top > 0 else small


def upsample_map(x: np.ndarray, factor: int, method: str) -> np.ndarray:
    """Upsample a feature map by ``factor`` with ``nearest``, ``bilinear`` or a transposed conv whose filter is
    the bilinear kernel (what FCN starts from before learning)."""
    f = _factor(factor)
    if method == "nearest":
        return nearest(x, f)
    if method == "bilinear":
        return bilinear(x, f)
    if method == "transposed (bilinear init)":
        return conv_transpose2d(x, bilinear_kernel(f), stride=f, padding=math.ceil((f - 1) / 2))
    raise BadInput(f"Upsampling method must be one of {', '.join(UPSAMPLE_METHODS)}, not {method!r}.")


@dataclass(frozen=True)
class TransposedTerm:
    """One product that adds into an output cell of a transposed convolution: input cell ``(in_row, in_col)``
    holding ``value``, times filter tap ``(tap_row, tap_col)`` holding ``weight``."""

    in_row: int
    in_col: int
    value: float
    tap_row: int
    tap_col: int
    weight: float

    @property
    def product(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True)
class TransposedCell:
    """How output cell ``(row, col)`` of ``conv_transpose2d`` is computed: on the uncropped canvas it is cell
    ``canvas`` = (row + P, col + P); every input cell (i, j) whose filter copy, placed at (i·S, j·S), covers it
    adds ``x[i, j] · k[row + P − i·S, col + P − j·S]`` (``terms``, in reading order of the input);
    ``value`` = Σ products + bias. No term: the cell is only output padding (or falls between the copies)."""

    row: int
    col: int
    canvas: tuple[int, int]
    terms: tuple[TransposedTerm, ...]
    bias: float
    value: float

    def input_cells(self) -> list[tuple[int, int]]:
        """The input cells that contribute, in reading order."""
        return [(t.in_row, t.in_col) for t in self.terms]

    def taps(self) -> list[tuple[int, int]]:
        """The filter taps used, in the order of ``terms``."""
        return [(t.tap_row, t.tap_col) for t in self.terms]


def explain_transposed_cell(x: np.ndarray, kernel: np.ndarray, row: int, col: int, stride: int = 1, padding: int = 0,
                            output_padding: int = 0, bias: float = 0.0) -> TransposedCell:
    """Every input cell × filter tap that contributes to output cell ``(row, col)`` of
    ``conv_transpose2d(x, kernel, stride, padding, output_padding, bias)``, and their sum (which equals that
    function's and ``F.conv_transpose2d``'s value there)."""
    x, k, (oh, ow) = _transposed(x, kernel, stride, padding, output_padding)
    (h, w), (kh, kw) = x.shape, k.shape
    if isinstance(row, bool) or isinstance(col, bool) or not isinstance(row, (int, np.integer)) \
            or not isinstance(col, (int, np.integer)):
        raise BadInput(f"The row and column must be whole numbers, got {row!r}, {col!r}.")
    if not (0 <= row < oh and 0 <= col < ow):
        raise BadInput(f"Cell (row {row}, column {col}) is outside the {oh}×{ow} output: rows 0–{oh - 1}, "
                       f"columns 0–{ow - 1}.")
    stride, padding = int(stride), int(padding)
    cr, cc = int(row) + padding, int(col) + padding
    terms = tuple(
        TransposedTerm(i, j, float(x[i, j]), cr - i * stride, cc - j * stride, float(k[cr - i * stride, cc - j * stride]))
        for i in range(h) if 0 <= cr - i * stride < kh
        for j in range(w) if 0 <= cc - j * stride < kw
    )
    bias = float(bias)
    return TransposedCell(int(row), int(col), (cr, cc), terms, bias, float(sum(t.product for t in terms)) + bias)


def photo_grey_map(image: np.ndarray, side: int = 12) -> np.ndarray:
    """The photo as a small grey map of whole numbers 0–255 (``(h, w)`` float64, ``side`` cells on the long side):
    area-averaged (``ops.pixels.sample_spatially``), then BT.601 grey (``io.images.to_gray``). Small enough to
    read every number, so each cell of an operator on it can be picked and checked."""
    image = check_image(image)
    side = check_int(side, 4, 64, "The map's long side (cells)")
    small, _ = sample_spatially(image, side)
    if min(small.shape[:2]) < 2:
        raise BadInput(f"This photo is too narrow for a {side}-cell map: its short side would be under 2 cells.")
    return to_gray(small).astype(np.float64)


@dataclass(frozen=True)
class PhotoPooling:
    """Pooling and max-unpooling of a photo's grey map ``grey`` ``(h, w)`` with ``size`` × ``size`` windows moved
    by ``stride``: ``max_pooled`` and its ``switches`` (flat indices into ``grey``), ``avg_pooled``, and
    ``unpooled`` = ``max_unpool(max_pooled, switches, grey.shape)``: each maximum back where it was, zeros elsewhere."""

    grey: np.ndarray
    size: int
    stride: int
    max_pooled: np.ndarray
    switches: np.ndarray
    avg_pooled: np.ndarray
    unpooled: np.ndarray


def photo_pooling(image: np.ndarray, side: int = 12, size: int = 2, stride: int | None = None) -> PhotoPooling:
    """``photo_grey_map(image, side)`` max-pooled (with switches), average-pooled and max-unpooled."""
    grey = photo_grey_map(image, side)
    size = check_int(size, 1, 8, "The pooling size")
    stride = size if stride is None else check_int(stride, 1, 8, "The pooling stride")
    pooled, switches = max_pool_with_indices(grey, size, stride)
    out = PhotoPooling(grey, size, stride, pooled, switches, pool2d(grey, size, stride, "average"),
                       max_unpool(pooled, switches, grey.shape))
    for a in (out.grey, out.max_pooled, out.switches, out.avg_pooled, out.unpooled):
        a.setflags(write=False)
    return out
