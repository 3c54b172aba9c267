"""Captioned scenes the app draws itself: two MNIST digits of two sizes on a black canvas, captioned by a template.

A scene is ``(96, 96, 3)`` uint8 RGB (grey: white ink on black, like MNIST) holding two digits, each
a 28×28 MNIST-5k image resized to a *small* (18–24 px) or *large* (34–42 px) square. Its caption
names the digits in reading order (the upper one first when stacked, the left one first when side
by side): ``"a small 3 above a large 7"``, ``"a large 2 left of a small 5"``. ``boxes`` are the two
pasted squares, ``(2, 4)`` xyxy pixels, first-named digit first.

Everything is deterministic from a seed. Training scenes use only the MNIST images of the training
part of a fixed stratified split of MNIST-5k (4000 images); held-out scenes only the other 1000, so
a held-out scene shows handwriting the captioner never saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from vision_core.checks import check_choice, check_int
from vision_core.io.datasets import mnist_5k, train_test_split_stratified

__all__ = [
    "CANVAS",
    "LAYOUTS",
    "RELATIONS",
    "SIZES",
    "SPLITS",
    "Scene",
    "SceneSet",
    "caption_for",
    "compose_scene",
    "digit_pool",
    "make_scenes",
]

CANVAS = 96
"""Side of every scene, in pixels."""
SIZES: dict[str, tuple[int, int]] = {"small": (18, 24), "large": (34, 42)}
"""Side of the pasted 28×28 MNIST square per size word: (smallest, largest) in pixels."""
RELATIONS: tuple[str, ...] = ("left of", "above")
"""Where the first-named digit is: the captions name digits in reading order, so these two suffice."""
LAYOUTS: dict[str, str] = {"side by side": "left of", "one above the other": "above"}
"""The composer's words for each relation."""
SPLITS: tuple[str, ...] = ("train", "held-out")
_SPLIT_SEED = 0
_HELD_OUT_FRACTION = 0.2


@dataclass(frozen=True)
class Scene:
    """One captioned scene: ``image`` ``(96, 96, 3)`` uint8, its caption, the digits and sizes in the caption's
    order, the relation and the pasted squares ``boxes`` ``(2, 4)`` xyxy pixels."""

    image: np.ndarray
    caption: str
    digits: tuple[int, int]
    sizes: tuple[str, str]
    relation: str
    boxes: np.ndarray


@dataclass(frozen=True)
class SceneSet:
    """``n`` scenes of one split: ``images`` ``(n, 96, 96, 3)`` uint8, captions and the facts behind them."""

    images: np.ndarray
    captions: tuple[str, ...]
    digits: np.ndarray
    sizes: tuple[tuple[str, str], ...]
    relations: tuple[str, ...]
    boxes: np.ndarray
    split: str
    seed: int

    def __len__(self) -> int:
        return len(self.captions)

    def scene(self, i: int) -> Scene:
        """Scene number ``i`` (0-based)."""
        i = check_int(i, 0, len(self) - 1, "The scene number")
        return Scene(self.images[i], self.captions[i], (int(self.digits[i, 0]), int(self.digits[i, 1])),
                     self.sizes[i], self.relations[i], self.boxes[i])


def caption_for(digits: tuple[int, int], sizes: tuple[str, str], relation: str) -> str:
    """The template: ``"a {size} {digit} {relation} a {size} {digit}"``, first-named digit first."""
    return f"a {sizes[0]} {digits[0]} {relation} a {sizes[1]} {digits[1]}"


@lru_cache(maxsize=2)
def digit_pool(split: str) -> tuple[np.ndarray, ...]:
    """For each digit 0–9, the MNIST-5k indices it may be drawn from in ``split`` (train or held-out)."""
    check_choice(split, SPLITS, "split")
    data = mnist_5k()
    train, held = train_test_split_stratified(data.labels, _HELD_OUT_FRACTION, _SPLIT_SEED)
    idx = train if split == "train" else held
    return tuple(idx[data.labels[idx] == d] for d in range(10))


def _paste(canvas: np.ndarray, digit: np.ndarray, x: int, y: int, side: int) -> None:
    interp = cv2.INTER_AREA if side < digit.shape[0] else cv2.INTER_LINEAR
    square = cv2.resize(digit, (side, side), interpolation=interp)
    np.maximum(canvas[y : y + side, x : x + side], square, out=canvas[y : y + side, x : x + side])


def _place(rng: np.random.Generator, sides: tuple[int, int], relation: str) -> np.ndarray:
    """Two squares of ``sides`` on the canvas, the first left of (or above) the second, without overlap; the
    centres are further apart along the relation's axis than across it, so the relation is plain to see."""
    s1, s2 = sides
    gap = int(rng.integers(2, CANVAS - s1 - s2 + 1))
    a1 = int(rng.integers(0, CANVAS - (s1 + gap + s2) + 1))
    a2 = a1 + s1 + gap
    along = abs((a2 + s2 / 2) - (a1 + s1 / 2))
    while True:
        b1, b2 = int(rng.integers(0, CANVAS - s1 + 1)), int(rng.integers(0, CANVAS - s2 + 1))
        if abs((b2 + s2 / 2) - (b1 + s1 / 2)) < 0.5 * along:
            break
    if relation == "left of":
        return np.array([[a1, b1, a1 + s1, b1 + s1], [a2, b2, a2 + s2, b2 + s2]], np.int64)
    return np.array([[b1, a1, b1 + s1, a1 + s1], [b2, a2, b2 + s2, a2 + s2]], np.int64)


def _draw(mnist_idx: tuple[int, int], boxes: np.ndarray) -> np.ndarray:
    images = mnist_5k().images
    canvas = np.zeros((CANVAS, CANVAS), np.uint8)
    for k, (x0, y0, x1, _) in zip(mnist_idx, boxes):
        _paste(canvas, images[k], int(x0), int(y0), int(x1 - x0))
    return np.repeat(canvas[..., None], 3, axis=2)


def _sides(rng: np.random.Generator, sizes: tuple[str, str]) -> tuple[int, int]:
    return tuple(int(rng.integers(SIZES[s][0], SIZES[s][1] + 1)) for s in sizes)  # type: ignore[return-value]


def make_scenes(n: int, split: str = "train", seed: int = 0) -> SceneSet:
    """``n`` random scenes of ``split`` (digits, sizes, relation, handwriting and placement drawn from ``seed``)."""
    n = check_int(n, 1, 20000, "The number of scenes")
    check_choice(split, SPLITS, "split")
    seed = check_int(seed, 0, 2**31 - 1, "The seed")
    pool = digit_pool(split)
    rng = np.random.default_rng([seed, SPLITS.index(split)])
    images = np.zeros((n, CANVAS, CANVAS, 3), np.uint8)
    digits = rng.integers(0, 10, size=(n, 2))
    size_words = tuple(SIZES)
    sizes = tuple((size_words[a], size_words[b]) for a, b in rng.integers(0, 2, size=(n, 2)))
    relations = tuple(RELATIONS[r] for r in rng.integers(0, len(RELATIONS), size=n))
    boxes = np.zeros((n, 2, 4), np.int64)
    for i in range(n):
        boxes[i] = _place(rng, _sides(rng, sizes[i]), relations[i])
        picks = (int(rng.choice(pool[digits[i, 0]])), int(rng.choice(pool[digits[i, 1]])))
        images[i] = _draw(picks, boxes[i])
    captions = tuple(caption_for((int(a), int(b)), s, r) for (a, b), s, r in zip(digits, sizes, relations))
    for arr in (images, digits, boxes):
        arr.setflags(write=False)
    return SceneSet(images, captions, digits, sizes, relations, boxes, split, seed)


def compose_scene(digits: tuple[int, int], sizes: tuple[str, str], layout: str, handwriting: int = 0,
                  placement: int = 0) -> Scene:
    """A scene the student composes from held-out handwriting: ``digits`` and ``sizes`` in reading order,
    ``layout`` one of ``LAYOUTS``; ``handwriting`` picks which held-out image of each digit, ``placement``
    seeds the exact sizes and positions."""
    for d in digits:
        check_int(d, 0, 9, "A digit")
    for s in sizes:
        check_choice(s, tuple(SIZES), "size")
    relation = LAYOUTS[check_choice(layout, tuple(LAYOUTS), "layout")]
    handwriting = check_int(handwriting, 0, 99, "The handwriting number")
    placement = check_int(placement, 0, 9999, "The placement number")
    pool = digit_pool("held-out")
    rng = np.random.default_rng([placement, 7])
    boxes = _place(rng, _sides(rng, tuple(sizes)), relation)  # type: ignore[arg-type]
    picks = (int(pool[digits[0]][handwriting % len(pool[digits[0]])]),
             int(pool[digits[1]][(handwriting + 1) % len(pool[digits[1]])]))
    image = _draw(picks, boxes)
    d = (int(digits[0]), int(digits[1]))
    return Scene(image, caption_for(d, tuple(sizes), relation), d, tuple(sizes), relation, boxes)  # type: ignore[arg-type]
