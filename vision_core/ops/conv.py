"""2-D convolution as deep learning defines it (cross-correlation), checked cell by cell.

Conventions: images are ``(H, W)`` or ``(H, W, C)`` arrays (any real dtype; uint8
photos are used as 0–255 numbers); kernels are ``(kh, kw)`` or ``(C, kh, kw)``.
``conv2d`` equals ``torch.nn.functional.conv2d`` with the image as ``(1, C, H, W)``
and the kernel as one output filter ``(1, C, kh, kw)`` (a 2-D kernel on a colour
image is applied to every channel separately, like a depthwise convolution).
Rows and columns are 0-based, ``(row, col)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

__all__ = [
    "PADDING_MODES",
    "PRESETS",
    "MAX_KERNEL",
    "MAX_ABS_WEIGHT",
    "CellExplanation",
    "LECTURE_RGB",
    "LECTURE_5X5",
    "LECTURE_X",
    "conv2d",
    "explain_cell",
    "pool2d",
    "parse_kernel",
    "preset_kernel",
    "normalise_kernel",
    "to_display",
    "resolve_padding",
    "output_positions",
    "canvas_to_grid",
    "has_ink",
    "x_feature_maps",
    "X_FILTERS",
    "LayerOutput",
    "apply_layer",
]

PADDING_MODES = ("zeros", "reflect", "replicate")
MAX_KERNEL = 7
MAX_ABS_WEIGHT = 1e6

_BORDER = {"zeros": cv2.BORDER_CONSTANT, "reflect": cv2.BORDER_REFLECT_101, "replicate": cv2.BORDER_REPLICATE}

X_FILTERS: dict[str, np.ndarray] = {
    "X diagonal ╲": np.array([[1, -1, -1], [-1, 1, -1], [-1, -1, 1]], dtype=np.float64),
    "X centre ✕": np.array([[1, -1, 1], [-1, 1, -1], [1, -1, 1]], dtype=np.float64),
    "X diagonal ╱": np.array([[-1, -1, 1], [-1, 1, -1], [1, -1, -1]], dtype=np.float64),
}

PRESETS: dict[str, np.ndarray] = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=np.float64),
    "box blur 1/9": np.full((3, 3), 1 / 9),
    "box blur 5×5": np.full((5, 5), 1 / 25),
    "Gaussian 3×3": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=np.float64) / 16,
    "Gaussian 5×5": np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]).astype(np.float64) / 256,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=np.float64),
    "edge (−1 … 8 … −1)": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], dtype=np.float64),
    "Sobel x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float64),
    "Sobel y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=np.float64),
    "Laplacian": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=np.float64),
    "emboss": np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], dtype=np.float64),
    **X_FILTERS,
}

LECTURE_RGB: dict[str, np.ndarray | float | int] = {
    "image": np.stack(
        [
            np.array([[156, 155, 156, 158, 158], [153, 154, 157, 159, 159], [149, 151, 155, 158, 159],
                      [146, 146, 149, 153, 158], [145, 143, 143, 148, 158]]),
            np.array([[167, 166, 167, 169, 169], [164, 165, 168, 170, 170], [160, 162, 166, 169, 170],
                      [156, 156, 159, 163, 168], [155, 153, 153, 158, 168]]),
            np.array([[163, 162, 163, 165, 165], [160, 161, 164, 166, 166], [156, 158, 162, 165, 166],
                      [155, 155, 158, 162, 167], [154, 152, 152, 157, 167]]),
        ],
        axis=-1,
    ).astype(np.float64),
    "kernel": np.array(
        [
            [[-1, -1, 1], [0, 1, -1], [0, 1, 1]],
            [[1, 0, 0], [1, -1, -1], [1, 0, -1]],
            [[0, 1, 1], [0, 1, 0], [1, -1, 1]],
        ],
        dtype=np.float64,
    ),
    "bias": 1.0,
    "padding": 1,
}
"""The lecture's multi-channel example: top-left 5×5 of R, G, B (zero-padded by 1), one 3×3 kernel
per channel, bias 1; output cell (0, 0) has channel sums 308, −498, 164 and value −25."""

LECTURE_5X5: dict[str, np.ndarray] = {
    "image": np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]],
                      dtype=np.float64),
    "kernel": np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=np.float64),
}
"""The 5×5 binary image ⊛ 3×3 filter the lecture slides across (valid, stride 1 → 3×3 feature map)."""

LECTURE_X = np.where(np.eye(9, dtype=bool) | np.fliplr(np.eye(9, dtype=bool)), 1.0, -1.0)
LECTURE_X[0, :] = LECTURE_X[-1, :] = LECTURE_X[:, 0] = LECTURE_X[:, -1] = -1.0
"""The X-or-X case study's 9×9 picture of an X: +1 on both diagonals (inside a −1 border), −1 elsewhere."""


@dataclass(frozen=True)
class CellExplanation:
    """How one output cell is computed.

    ``patches``, ``kernel`` and ``products`` are ``(C, kh, kw)``: the (padded) input values under the
    (dilated) kernel taps, the kernel actually applied (flipped for true convolution), and their
    element-wise products. ``rows``/``cols`` are the input coordinates of the taps (negative or ≥ size
    in the padding). ``channel_sums`` is ``(C,)``; ``value`` = Σ channel_sums + bias.
    """

    row: int
    col: int
    patches: np.ndarray
    kernel: np.ndarray
    products: np.ndarray
    channel_sums: np.ndarray
    bias: float
    value: float
    rows: np.ndarray
    cols: np.ndarray


def resolve_padding(padding: int | str | Sequence[int], kernel_hw: tuple[int, int], dilation: int = 1) -> tuple[int, int, int, int]:
    """Padding as (top, bottom, left, right). ``"same"`` keeps the size at stride 1 (extra pixel at the end
    for even kernels, as PyTorch); ``"valid"`` is 0; an int or ``(ph, pw)`` pads both sides."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding != "same":
            raise ValueError(f"Padding must be a number of pixels, 'same' or 'valid', not {padding!r}.")
        out = []
        for k in kernel_hw:
            total = dilation * (k - 1)
            out.extend([total // 2, total - total // 2])
        return (out[0], out[1], out[2], out[3])
    if isinstance(padding, (int, np.integer)):
        ph = pw = int(padding)
    else:
        vals = [int(p) for p in padding]
        if len(vals) != 2:
            raise ValueError("Padding must be one number or a (rows, columns) pair.")
        ph, pw = vals
    if ph < 0 or pw < 0:
        raise ValueError(f"Padding cannot be negative (got {padding}).")
    return (ph, ph, pw, pw)


def _validate(image: np.ndarray, kernel: np.ndarray, stride: int, dilation: int) -> tuple[np.ndarray, np.ndarray]:
    image = np.asarray(image)
    kernel = np.asarray(kernel, dtype=np.float64)
    if image.ndim not in (2, 3) or image.size == 0:
        raise ValueError(f"The image must be (H, W) or (H, W, C), got shape {image.shape}.")
    if kernel.ndim not in (2, 3) or kernel.size == 0:
        raise ValueError(f"The kernel must be (kh, kw) or (C, kh, kw), got shape {kernel.shape}.")
    if not np.all(np.isfinite(kernel)):
        raise ValueError("The kernel contains NaN or infinite values; every weight must be a finite number.")
    if not np.issubdtype(image.dtype, np.number) or (np.issubdtype(image.dtype, np.floating) and not np.all(np.isfinite(image))):
        raise ValueError("The image must contain finite numbers.")
    if kernel.ndim == 3:
        channels = image.shape[2] if image.ndim == 3 else 1
        if kernel.shape[0] != channels:
            raise ValueError(f"The kernel has {kernel.shape[0]} channels but the image has {channels}; they must match.")
    if int(stride) != stride or stride < 1:
        raise ValueError(f"Stride must be a whole number ≥ 1 (got {stride}): the filter has to move forward.")
    if int(dilation) != dilation or dilation < 1:
        raise ValueError(f"Dilation must be a whole number ≥ 1 (got {dilation}).")
    return image, kernel


def _dilate(kernel2d: np.ndarray, dilation: int) -> np.ndarray:
    if dilation == 1:
        return kernel2d
    kh, kw = kernel2d.shape
    out = np.zeros((dilation * (kh - 1) + 1, dilation * (kw - 1) + 1), dtype=kernel2d.dtype)
    out[::dilation, ::dilation] = kernel2d
    return out


def _pad(x: np.ndarray, pads: tuple[int, int, int, int], mode: str) -> np.ndarray:
    if not any(pads):
        return x
    top, bottom, left, right = pads
    h, w = x.shape[:2]
    if mode == "reflect" and (max(top, bottom) >= h or max(left, right) >= w):
        raise ValueError(f"Reflect padding of {max(pads)} needs an input larger than that (input is {w}×{h}).")
    return cv2.copyMakeBorder(x, top, bottom, left, right, _BORDER[mode], value=0)


def output_positions(size: int, kernel: int, stride: int, pad_total: int, dilation: int = 1) -> int:
    """Number of filter positions along one axis (PyTorch's floor rule); raises if the filter never fits."""
    eff = dilation * (kernel - 1) + 1
    if size + pad_total < eff:
        raise ValueError(
            f"The filter spans {eff} pixels but the padded input is only {size + pad_total} wide: it does not fit even once."
        )
    return (size + pad_total - eff) // stride + 1


def _geometry(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int,
    padding: int | str | Sequence[int],
    dilation: int,
    padding_mode: str,
    flip: bool,
) -> tuple[np.ndarray, np.ndarray, tuple[int, int, int, int], int, int]:
    """Validate, flip if asked, and return ``(image, kernel, pads (top, bottom, left, right), out_h, out_w)``."""
    image, kernel = _validate(image, kernel, stride, dilation)
    if padding_mode not in PADDING_MODES:
        raise ValueError(f"Padding mode must be one of {', '.join(PADDING_MODES)}, not {padding_mode!r}.")
    if flip:
        kernel = kernel[..., ::-1, ::-1]
    kh, kw = kernel.shape[-2:]
    pads = resolve_padding(padding, (kh, kw), dilation)
    h, w = image.shape[:2]
    out_h = output_positions(h, kh, stride, pads[0] + pads[1], dilation)
    out_w = output_positions(w, kw, stride, pads[2] + pads[3], dilation)
    return image, kernel, pads, out_h, out_w


def conv2d(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int = 1,
    padding: int | str | Sequence[int] = 0,
    dilation: int = 1,
    bias: float = 0.0,
    flip: bool = False,
    padding_mode: str = "zeros",
) -> np.ndarray:
    """Slide ``kernel`` over ``image``: Σ kernel·patch + bias at every position (deep-learning convolution).

    ``image`` ``(H, W)`` or ``(H, W, C)``; ``kernel`` ``(kh, kw)`` (applied to each channel → ``(H', W')`` or
    ``(H', W', C)``) or ``(C, kh, kw)`` (summed over channels → ``(H', W')``). ``padding`` is an int,
    ``(ph, pw)``, ``"same"`` or ``"valid"``; ``padding_mode`` is zeros / reflect / replicate (PyTorch's
    names; reflect does not repeat the edge). ``flip=True`` flips the kernel both ways first: true
    convolution. H' = ⌊(H + 2P − D(kh − 1) − 1)/S⌋ + 1. Returns float64 for float64 input, else float32.
    """
    image, kernel, pads, out_h, out_w = _geometry(image, kernel, stride, padding, dilation, padding_mode, flip)
    stride, dilation = int(stride), int(dilation)
    kh, kw = kernel.shape[-2:]
    h, w = image.shape[:2]
    dtype = np.float64 if image.dtype == np.float64 else np.float32
    ddepth = cv2.CV_64F if dtype == np.float64 else cv2.CV_32F
    x = image if image.dtype in (np.uint8, np.uint16, np.int16, np.float32, np.float64) else image.astype(dtype)
    x = np.ascontiguousarray(x)
    ay, ax = (dilation * (kh - 1) + 1) // 2, (dilation * (kw - 1) + 1) // 2
    eh, ew = dilation * (kh - 1) + 1, dilation * (kw - 1) + 1
    border = cv2.BORDER_CONSTANT
    if stride == 1 and pads == (ay, eh - 1 - ay, ax, ew - 1 - ax) and any(pads) and (
            padding_mode != "reflect" or max(pads) < min(h, w)):
        border = _BORDER[padding_mode]
        rows = cols = slice(None)
    else:
        x = _pad(x, pads, padding_mode)
        rows = slice(ay, ay + stride * (out_h - 1) + 1, stride)
        cols = slice(ax, ax + stride * (out_w - 1) + 1, stride)
    if x.ndim == 3 and x.shape[2] == 1:
        x = x[..., 0]

    def corr(plane: np.ndarray, k2: np.ndarray) -> np.ndarray:
        kd = _dilate(k2, dilation).astype(dtype)
        if plane.ndim == 3 and plane.shape[2] > 4:
            res = np.stack([cv2.filter2D(plane[..., c], ddepth, kd, borderType=border) for c in range(plane.shape[2])], axis=-1)
        else:
            res = cv2.filter2D(plane, ddepth, kd, borderType=border)
        return res[rows, cols]

    if kernel.ndim == 2:
        out = corr(x, kernel)
        if image.ndim == 3 and image.shape[2] == 1:
            out = out[..., None]
    else:
        planes = x if x.ndim == 3 else x[..., None]
        out = np.zeros((out_h, out_w), dtype=dtype)
        for c in range(kernel.shape[0]):
            out += corr(np.ascontiguousarray(planes[..., c]), kernel[c])
    if bias:
        out = out + dtype(bias)
    return out


def explain_cell(
    image: np.ndarray,
    kernel: np.ndarray,
    row: int,
    col: int,
    stride: int = 1,
    padding: int | str | Sequence[int] = 0,
    dilation: int = 1,
    bias: float = 0.0,
    flip: bool = False,
    padding_mode: str = "zeros",
    channel: int | None = None,
) -> CellExplanation:
    """The patch, products and sums behind output cell ``(row, col)`` of ``conv2d`` with the same arguments.

    A ``(C, kh, kw)`` kernel sums all channels; a 2-D kernel on a colour image explains one ``channel``
    (default 0), so ``value`` equals ``conv2d(...)[row, col, channel]``.
    """
    image, kernel, pads, out_h, out_w = _geometry(image, kernel, stride, padding, dilation, padding_mode, flip)
    kh, kw = kernel.shape[-2:]
    h, w = image.shape[:2]
    if not (0 <= row < out_h and 0 <= col < out_w):
        raise ValueError(f"Output cell ({row}, {col}) is outside the {out_h}×{out_w} output; rows 0–{out_h - 1}, columns 0–{out_w - 1}.")
    planes = image.astype(np.float64)
    if planes.ndim == 2:
        planes = planes[..., None]
    if kernel.ndim == 2:
        ch = 0 if channel is None else int(channel)
        if not 0 <= ch < planes.shape[2]:
            raise ValueError(f"Channel {ch} does not exist; the image has {planes.shape[2]}.")
        planes = planes[..., ch:ch + 1]
        kernel = kernel[None]
    padded = _pad(np.ascontiguousarray(planes), pads, padding_mode)
    if padded.ndim == 2:
        padded = padded[..., None]
    r0, c0 = row * stride, col * stride
    pr = r0 + dilation * np.arange(kh)
    pc = c0 + dilation * np.arange(kw)
    patches = np.transpose(padded[np.ix_(pr, pc)], (2, 0, 1))
    products = patches * kernel
    sums = products.sum(axis=(1, 2))
    return CellExplanation(row, col, patches, kernel.copy(), products, sums, float(bias), float(sums.sum() + bias),
                           pr - pads[0], pc - pads[2])


def pool2d(x: np.ndarray, size: int = 2, stride: int | None = None, mode: str = "max") -> np.ndarray:
    """Max or average pooling of ``(H, W)`` or ``(H, W, C)`` without padding (PyTorch's floor rule)."""
    stride = size if stride is None else stride
    if int(size) != size or size < 1 or int(stride) != stride or stride < 1:
        raise ValueError("Pooling size and stride must be whole numbers ≥ 1.")
    if mode not in ("max", "average"):
        raise ValueError(f"Pooling must be 'max' or 'average', not {mode!r}.")
    h, w = x.shape[:2]
    if size > min(h, w):
        raise ValueError(f"A {size}×{size} pooling window does not fit in a {w}×{h} map.")
    win = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(0, 1))[::stride, ::stride]
    return win.max(axis=(-2, -1)) if mode == "max" else win.mean(axis=(-2, -1))


def parse_kernel(cells: Sequence[Sequence[object]], max_abs: float = MAX_ABS_WEIGHT) -> np.ndarray:
    """Turn a grid of cells (numbers or text such as ``"1/9"``, ``"-0.5"``) into a float kernel.

    Raises ``ValueError`` naming the first bad cell (1-based row and column): empty, not a number,
    NaN, infinite or larger than ``max_abs`` in absolute value; or a grid that is not rectangular,
    empty or larger than 7×7.
    """
    rows = [list(r) for r in cells]
    if not rows or not rows[0]:
        raise ValueError("The kernel is empty: it needs at least one row and one column.")
    width = len(rows[0])
    if any(len(r) != width for r in rows):
        raise ValueError("Every kernel row must have the same number of cells.")
    if len(rows) > MAX_KERNEL or width > MAX_KERNEL:
        raise ValueError(f"Kernels here are at most {MAX_KERNEL}×{MAX_KERNEL}; this one is {width}×{len(rows)}.")
    out = np.zeros((len(rows), width), dtype=np.float64)
    for i, r in enumerate(rows):
        for j, cell in enumerate(r):
            where = f"Row {i + 1}, column {j + 1}"
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                raise ValueError(f"{where} is empty: type a number (0 if it should not count).")
            if isinstance(cell, str):
                text = cell.strip().replace("−", "-").replace(",", ".")
                try:
                    if "/" in text:
                        num, den = text.split("/", 1)
                        value = float(num) / float(den)
                    else:
                        value = float(text)
                except (ValueError, ZeroDivisionError):
                    raise ValueError(f"{where} holds {cell!r}, which is not a number.") from None
            else:
                try:
                    value = float(cell)  # type: ignore[arg-type]
                except (TypeError, ValueError):
                    raise ValueError(f"{where} holds {cell!r}, which is not a number.") from None
            if math.isnan(value):
                raise ValueError(f"{where} is empty or NaN: every weight must be a number.")
            if math.isinf(value):
                raise ValueError(f"{where} is infinite: every weight must be a finite number.")
            if abs(value) > max_abs:
                raise ValueError(f"{where} is {value:g}; weights here are limited to ±{max_abs:g}.")
            out[i, j] = value
    return out


def preset_kernel(name: str) -> np.ndarray:
    """A copy of the named preset kernel (see ``PRESETS``)."""
    if name not in PRESETS:
        raise ValueError(f"Unknown kernel preset {name!r}. Presets: {', '.join(PRESETS)}.")
    return PRESETS[name].copy()


def normalise_kernel(kernel: np.ndarray) -> np.ndarray:
    """Divide by the sum so the weights add up to 1 (brightness is kept); raises when the sum is 0."""
    total = float(np.sum(kernel))
    if abs(total) < 1e-12:
        raise ValueError("These weights add up to 0, so they cannot be normalised to sum 1 (edge filters are like that).")
    return np.asarray(kernel, dtype=np.float64) / total


def to_display(out: np.ndarray, mode: str = "clip") -> tuple[np.ndarray, str]:
    """Map a float output map to uint8 for display; returns the image and the sentence that states the mapping.

    ``clip``: values below 0 → 0 (black), above 255 → 255 (white). ``stretch``: min → 0, max → 255.
    ``abs``: |value|, clipped to 255 (edges of both signs show bright).
    """
    out = np.asarray(out, dtype=np.float64)
    lo, hi = float(out.min()), float(out.max())
    if mode == "clip":
        img = np.clip(np.rint(out), 0, 255)
        text = "values below 0 shown black, above 255 white, in between as they are"
    elif mode == "stretch":
        img = np.zeros_like(out) if hi <= lo else np.rint((out - lo) / (hi - lo) * 255)
        text = f"minimum {lo:.4g} → 0 (black), maximum {hi:.4g} → 255 (white), linear in between"
    elif mode == "abs":
        img = np.clip(np.rint(np.abs(out)), 0, 255)
        text = "absolute value |v|, clipped to 255: strong responses of either sign are bright"
    else:
        raise ValueError(f"Display mapping must be clip, stretch or abs, not {mode!r}.")
    return img.astype(np.uint8), text


def _ink(rgba: np.ndarray) -> np.ndarray:
    return (rgba[..., 3] > 127) & (rgba[..., :3].min(axis=-1) < 128)


def has_ink(rgba: np.ndarray) -> bool:
    """True when a canvas drawing ``(H, W, 4)`` RGBA has any dark, opaque pixel."""
    rgba = np.asarray(rgba)
    return rgba.ndim == 3 and rgba.shape[2] == 4 and bool(_ink(rgba).any())


def canvas_to_grid(rgba: np.ndarray, size: int = 9) -> np.ndarray:
    """A drawing (``(H, W, 4)`` uint8 RGBA; ink = dark and opaque) reduced to ``(size, size)``: +1 where a cell is
    more than a quarter ink, −1 (paper) elsewhere."""
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] != 4:
        raise ValueError(f"Expected an RGBA drawing (H, W, 4), got shape {rgba.shape}.")
    if size < 3:
        raise ValueError("The grid must be at least 3×3.")
    ink = _ink(rgba).astype(np.float32)
    small = cv2.resize(ink, (size, size), interpolation=cv2.INTER_AREA)
    return np.where(small > 0.25, 1.0, -1.0)


def x_feature_maps(grid: np.ndarray) -> dict[str, np.ndarray]:
    """The three X-feature filters slid over a ±1 grid (valid, stride 1), each divided by 9 as in the lecture:
    1 means a perfect match of the 3×3 patch."""
    grid = np.asarray(grid, dtype=np.float64)
    return {name: conv2d(grid, k) / k.size for name, k in X_FILTERS.items()}


@dataclass(frozen=True)
class LayerOutput:
    """One conv layer applied to a photo: ``raw`` is the conv output ``(H', W')`` or ``(H', W', 3)`` after bias
    (and ReLU when asked), ``output`` the same after pooling; ``display`` its uint8 picture and ``mapping``
    the sentence that says how values became 0–255."""

    input: np.ndarray
    raw: np.ndarray
    output: np.ndarray
    display: np.ndarray
    mapping: str
    low: float
    high: float


def apply_layer(
    image: np.ndarray,
    kernel: np.ndarray,
    *,
    grey: bool = True,
    stride: int = 1,
    padding: int | str = 0,
    dilation: int = 1,
    bias: float = 0.0,
    flip: bool = False,
    padding_mode: str = "zeros",
    relu: bool = False,
    pool: str = "none",
    pool_size: int = 2,
    pool_stride: int = 2,
    display: str = "clip",
) -> LayerOutput:
    """Conv (+ bias) → optional ReLU → optional max/average pooling on an ``(H, W, 3)`` uint8 photo.

    ``grey=True`` converts to BT.601 grey first (``(H, W)`` input); otherwise the 2-D kernel runs on each of
    R, G, B. Values stay in 0–255 units; ``display`` picks the mapping for the picture (see ``to_display``).
    """
    image = np.asarray(image)
    x = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2GRAY) if grey and image.ndim == 3 else image
    raw = conv2d(x, kernel, stride=stride, padding=padding, dilation=dilation, bias=bias, flip=flip, padding_mode=padding_mode)
    if relu:
        raw = np.maximum(raw, 0)
    out = raw if pool == "none" else pool2d(raw, pool_size, pool_stride, pool)
    shown, text = to_display(out, display)
    return LayerOutput(x, raw, out, shown, text, float(out.min()), float(out.max()))
