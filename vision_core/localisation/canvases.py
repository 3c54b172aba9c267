"""Synthetic scenes for classification + localisation: one MNIST digit pasted at a random place and size
on a black canvas, with its class and its exact box.

Conventions: a canvas is ``(64, 64)`` uint8, white ink on black (like MNIST). Boxes are ``xyxy`` in
pixels with pixel edges as coordinates: a box ``(x1, y1, x2, y2)`` covers the pixels ``x1 ≤ x < x2``,
``y1 ≤ y < y2``, so its width ``x2 − x1`` is a count of pixels. A scene's box is the tight box of its
ink: every pixel above 0 lies inside it and each of its four sides touches ink.

The digits come from MNIST-5k split once (stratified, 4000 / 1000, seed 0): training scenes use the
4000, held-out scenes the 1000, so a held-out scene shows a digit the network never saw.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision_core.checks import check_choice, check_int
from vision_core.errors import BadInput
from vision_core.io.datasets import mnist_5k, train_test_split_stratified

__all__ = ["CANVAS", "SIZES", "SPLITS", "Scenes", "ink_box", "make_scenes", "paste_digit", "split_digits"]

CANVAS = 64
"""The canvas side in pixels."""
SIZES = (16, 48)
"""The smallest and largest size of a pasted digit (its longer side, in pixels)."""
SPLITS = ("train", "test")


def ink_box(image: np.ndarray) -> tuple[int, int, int, int] | None:
    """The tight box ``(x1, y1, x2, y2)`` (pixel edges) of the pixels above 0 of a ``(H, W)`` image, or None."""
    a = np.asarray(image)
    if a.ndim != 2:
        raise BadInput(f"Expected a (H, W) grey image, got shape {a.shape}.")
    ys, xs = np.nonzero(a > 0)
    if len(xs) == 0:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _scaled_shape(box: tuple[int, int, int, int], size: int) -> tuple[int, int]:
    """(width, height) of an ink box scaled so that its longer side is ``size`` pixels."""
    w, h = box[2] - box[0], box[3] - box[1]
    scale = size / max(h, w)
    return max(1, round(w * scale)), max(1, round(h * scale))


def paste_digit(digit: np.ndarray, size: int, x: int, y: int, canvas: int = CANVAS) -> tuple[np.ndarray, np.ndarray]:
    """Paste ``digit`` (``(28, 28)`` uint8) on a black ``canvas``×``canvas`` image: its ink cropped, scaled so its
    longer side is ``size`` pixels (aspect kept), its top-left corner at ``(x, y)``. Returns the canvas and the
    tight ``(4,)`` float32 xyxy box of its ink."""
    d = np.asarray(digit)
    if d.ndim != 2 or d.dtype != np.uint8:
        raise BadInput(f"A digit must be a (H, W) uint8 image, got {d.shape} {d.dtype}.")
    check_int(canvas, 8, 1024, "The canvas size")
    check_int(size, 2, canvas, "The digit size")
    box = ink_box(d)
    if box is None:
        raise BadInput("The digit has no ink to paste.")
    crop = d[box[1] : box[3], box[0] : box[2]]
    nw, nh = _scaled_shape(box, size)
    interp = cv2.INTER_AREA if nw < crop.shape[1] or nh < crop.shape[0] else cv2.INTER_LINEAR
    patch = cv2.resize(crop, (nw, nh), interpolation=interp)
    check_int(x, 0, canvas - nw, "The digit's left edge")
    check_int(y, 0, canvas - nh, "The digit's top edge")
    out = np.zeros((canvas, canvas), np.uint8)
    out[y : y + nh, x : x + nw] = patch
    tight = ink_box(out)
    if tight is None:
        raise BadInput("The digit vanished when scaled: choose a larger size.")
    return out, np.array(tight, np.float32)


def split_digits(split: str) -> tuple[np.ndarray, np.ndarray]:
    """The MNIST-5k digits of ``split`` (``train``: 4000, ``test``: 1000) and their labels."""
    check_choice(split, SPLITS, "split")
    data = mnist_5k()
    tr, te = train_test_split_stratified(data.labels, 0.2, 0)
    idx = tr if split == "train" else te
    return data.images[idx], data.labels[idx]


@dataclass(frozen=True)
class Scenes:
    """``images`` ``(N, 64, 64)`` uint8, ``labels`` ``(N,)`` int64, ``boxes`` ``(N, 4)`` float32 xyxy pixels."""

    images: np.ndarray
    labels: np.ndarray
    boxes: np.ndarray

    def __len__(self) -> int:
        return len(self.images)


def make_scenes(n: int, split: str = "test", seed: int = 0, *, sizes: tuple[int, int] = SIZES,
                digits: tuple[np.ndarray, np.ndarray] | None = None) -> Scenes:
    """``n`` scenes: each a random digit of ``split`` (or of ``digits`` = (images, labels)), a random size in
    ``sizes`` (inclusive) and a random place where it fits whole. The same arguments give the same scenes."""
    check_int(n, 1, 100_000, "The number of scenes")
    check_int(seed, 0, 2**63 - 1, "The seed")
    lo, hi = (check_int(s, 2, CANVAS, "A digit size") for s in sizes)
    if lo > hi:
        raise BadInput(f"The smallest digit size ({lo}) is larger than the largest ({hi}).")
    images, labels = digits if digits is not None else split_digits(split)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(images), n)
    out = np.zeros((n, CANVAS, CANVAS), np.uint8)
    boxes = np.zeros((n, 4), np.float32)
    for i, j in enumerate(picks):
        size = int(rng.integers(lo, hi + 1))
        nw, nh = _scaled_shape(ink_box(images[j]) or (0, 0, 1, 1), size)
        x, y = int(rng.integers(0, CANVAS - nw + 1)), int(rng.integers(0, CANVAS - nh + 1))
        out[i], boxes[i] = paste_digit(images[j], size, x, y)
    return Scenes(out, np.asarray(labels)[picks].astype(np.int64), boxes)
