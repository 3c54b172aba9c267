"""2-D convolution as deep learning defines it (cross-correlation), checked cell by cell, and the lecture's "X or X?".

Conventions: images are ``(H, W)`` or ``(H, W, C)`` arrays (any real dtype; uint8
photos are used as 0–255 numbers); kernels are ``(kh, kw)`` or ``(C, kh, kw)``.
``conv2d`` equals ``torch.nn.functional.conv2d`` with the image as ``(1, C, H, W)``
and the kernel as one output filter ``(1, C, kh, kw)`` (a 2-D kernel on a colour
image is applied to every channel separately, like a depthwise convolution).
Rows and columns are 0-based, ``(row, col)``.

The X-or-X case study (``X_FILTERS``, ``draw_x``, ``x_responses``) is ``conv2d`` on ``±1`` pictures
(+1 ink, −1 background), the same operator both the convolution and the train-a-CNN pages show.
Kernel presets, parsing typed kernels and the conv → ReLU → pool layer are in ``ops.kernels``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from vision_core.checks import check_int, check_range
from vision_core.errors import BadInput
from vision_core.ops.tiling import tile_maps

__all__ = [
    "PADDING_MODES",
    "CellExplanation",
    "LECTURE_RGB",
    "LECTURE_5X5",
    "LECTURE_X",
    "X_FILTERS",
    "X_FILTER_NAMES",
    "XResponse",
    "conv2d",
    "draw_x",
    "explain_cell",
    "output_positions",
    "pool2d",
    "resolve_padding",
    "x_picture",
    "x_responses",
]

PADDING_MODES = ("zeros", "reflect", "replicate")

_BORDER = {"zeros": cv2.BORDER_CONSTANT, "reflect": cv2.BORDER_REFLECT_101, "replicate": cv2.BORDER_REPLICATE}

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
            raise BadInput(f"Padding must be a number of pixels, 'same' or 'valid', not {padding!r}.")
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
            raise BadInput("Padding must be one number or a (rows, columns) pair.")
        ph, pw = vals
    if ph < 0 or pw < 0:
        raise BadInput(f"Padding cannot be negative (got {padding}).")
    return (ph, ph, pw, pw)


def _validate(image: np.ndarray, kernel: np.ndarray, stride: int, dilation: int) -> tuple[np.ndarray, np.ndarray]:
    image = np.asarray(image)
    kernel = np.asarray(kernel, dtype=np.float64)
    if image.ndim not in (2, 3) or image.size == 0:
        raise BadInput(f"The image must be (H, W) or (H, W, C), got shape {image.shape}.")
    if kernel.ndim not in (2, 3) or kernel.size == 0:
        raise BadInput(f"The kernel must be (kh, kw) or (C, kh, kw), got shape {kernel.shape}.")
    if not np.all(np.isfinite(kernel)):
        raise BadInput("The kernel contains NaN or infinite values; every weight must be a finite number.")
    if not np.issubdtype(image.dtype, np.number) or (np.issubdtype(image.dtype, np.floating) and not np.all(np.isfinite(image))):
        raise BadInput("The image must contain finite numbers.")
    if kernel.ndim == 3:
        channels = image.shape[2] if image.ndim == 3 else 1
        if kernel.shape[0] != channels:
            raise BadInput(f"The kernel has {kernel.shape[0]} channels but the image has {channels}; they must match.")
    if int(stride) != stride or stride < 1:
        raise BadInput(f"Stride must be a whole number ≥ 1 (got {stride}): the filter has to move forward.")
    if int(dilation) != dilation or dilation < 1:
        raise BadInput(f"Dilation must be a whole number ≥ 1 (got {dilation}).")
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
        raise BadInput(f"Reflect padding of {max(pads)} needs an input larger than that (input is {w}×{h}).")
    return cv2.copyMakeBorder(x, top, bottom, left, right, _BORDER[mode], value=0)


def output_positions(size: int, kernel: int, stride: int, pad_total: int, dilation: int = 1) -> int:
    """Number of filter positions along one axis (PyTorch's floor rule); raises if the filter never fits."""
    eff = dilation * (kernel - 1) + 1
    if size + pad_total < eff:
        raise BadInput(
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
        raise BadInput(f"Padding mode must be one of {', '.join(PADDING_MODES)}, not {padding_mode!r}.")
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
        raise BadInput(f"Output cell ({row}, {col}) is outside the {out_h}×{out_w} output; rows 0–{out_h - 1}, columns 0–{out_w - 1}.")
    planes = image.astype(np.float64)
    if planes.ndim == 2:
        planes = planes[..., None]
    if kernel.ndim == 2:
        ch = 0 if channel is None else int(channel)
        if not 0 <= ch < planes.shape[2]:
            raise BadInput(f"Channel {ch} does not exist; the image has {planes.shape[2]}.")
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
        raise BadInput("Pooling size and stride must be whole numbers ≥ 1.")
    if mode not in ("max", "average"):
        raise BadInput(f"Pooling must be 'max' or 'average', not {mode!r}.")
    h, w = x.shape[:2]
    if size > min(h, w):
        raise BadInput(f"A {size}×{size} pooling window does not fit in a {w}×{h} map.")
    win = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(0, 1))[::stride, ::stride]
    return win.max(axis=(-2, -1)) if mode == "max" else win.mean(axis=(-2, -1))



X_FILTER_NAMES: tuple[str, ...] = ("diagonal ╲", "crossing ✕", "diagonal ╱")
X_FILTERS: np.ndarray = np.array(
    [
        [[1, -1, -1], [-1, 1, -1], [-1, -1, 1]],
        [[1, -1, 1], [-1, 1, -1], [1, -1, 1]],
        [[-1, -1, 1], [-1, 1, -1], [1, -1, -1]],
    ],
    np.float32,
)
"""The lecture's three 3×3 filters that detect the features of an X, ``(3, 3, 3)`` float32, named by
``X_FILTER_NAMES`` (pixels are +1 ink, −1 background)."""


def draw_x(size: int = 9, shift: tuple[int, int] = (0, 0), scale: float = 1.0, rotation: float = 0.0) -> np.ndarray:
    """The lecture's X as a ``(size, size)`` float32 image of +1 (ink) and −1 (background).

    ``scale=1`` draws the diagonals from pixel 1 to ``size-2`` (a one-pixel border, as in the lecture);
    ``shift=(dx, dy)`` moves it by whole pixels, ``rotation`` turns it (degrees, anticlockwise)."""
    size = check_int(size, 5, 64, "The X picture's size")
    scale = check_range(scale, 0.2, 1.5, "The X's scale")
    rotation = check_range(rotation, None, None, "The X's rotation")
    c = (size - 1) / 2
    half = (c - 1) * scale
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32)
    u, v = xs - c - shift[0], ys - c - shift[1]
    t = np.deg2rad(rotation)
    ur, vr = np.cos(t) * u - np.sin(t) * v, np.sin(t) * u + np.cos(t) * v
    on_diag = (np.abs(ur - vr) / np.sqrt(2) < 0.5) | (np.abs(ur + vr) / np.sqrt(2) < 0.5)
    inside = (np.abs(ur) <= half + 0.5) & (np.abs(vr) <= half + 0.5)
    return np.where(on_diag & inside, 1.0, -1.0).astype(np.float32)


LECTURE_X = draw_x(9).astype(np.float64)
"""The X-or-X case study's 9×9 picture of an X: +1 on both diagonals (inside a −1 border), −1 elsewhere."""


@dataclass(frozen=True)
class XResponse:
    """The three X filters on one ±1 image: ``maps`` ``(3, H-2, W-2)`` float32 in −1…1 (sum of products / 9;
    1 = a perfect match), ``peak`` and ``perfect`` (count of 1.0 cells) per filter, and the image's pixel
    agreement with the centred reference X (what a literal pixel-by-pixel comparison sees)."""

    maps: np.ndarray
    peak: np.ndarray
    perfect: np.ndarray
    pixel_agreement: float


def x_responses(image: np.ndarray) -> XResponse:
    """Slide the lecture's three X filters over ``image`` ``(H, W)`` of ±1 with ``conv2d`` (valid, stride 1),
    each map divided by 9."""
    img = np.asarray(image, np.float32)
    if img.ndim != 2 or min(img.shape) < 3:
        raise BadInput(f"The X image must be a 2-D grid of at least 3×3 pixels, got shape {img.shape}.")
    h, w = img.shape
    maps = np.stack([conv2d(img, k) for k in X_FILTERS]) / np.float32(9.0)
    ref = draw_x(h) if h == w and 5 <= h <= 64 else np.ones_like(img)
    return XResponse(
        maps=maps.astype(np.float32),
        peak=maps.reshape(3, -1).max(1),
        perfect=(np.isclose(maps, 1.0)).reshape(3, -1).sum(1),
        pixel_agreement=float((ref == np.sign(img)).mean()),
    )


def x_picture(grid: np.ndarray, size: int = 198) -> np.ndarray:
    """A ±1 grid ``(h, w)`` as a ``(size, size)`` grey uint8 picture (nearest neighbour): +1 white, −1 black,
    inside a one-cell mid-grey frame (0: outside the grid)."""
    g = np.asarray(grid, np.float32)
    if g.ndim != 2 or g.size == 0:
        raise BadInput(f"The grid must be 2-D, got shape {g.shape}.")
    return tile_maps(np.pad(g, 1)[None], columns=1, cell=check_int(size, 8, 2048, "The picture size"), symmetric=True)
