"""Bag of visual words on lfw_subset: dense SIFT → k-means vocabulary → word histograms → a linear classifier.

Images are squeezed to ``(64, 64)`` uint8 grey; SIFT descriptors are computed on a grid of 16×16
patches every 8 pixels (49 per image, ``(49, 128)`` float32). Data: scikit-image's ``lfw_subset``
(100 faces, 100 non-faces, 25×25), the same stratified split as ``adaboost_haar`` (25 % held out).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from vision_core.checks import check_image, check_int
from vision_core.errors import BadInput
from vision_core.io.datasets import lfw_faces, train_test_split_stratified
from vision_core.io.images import to_gray
from vision_core.ops.tiling import tile_grid

__all__ = ["BOVW_SIDE", "BovwModel", "bovw_histogram", "train_bovw", "word_patch_grid"]

BOVW_SIDE = 64
"""Side in pixels of the grey image every photo is squeezed to before its words are counted."""
_BOVW_STEP = 8
_BOVW_PATCH = 16


def _dense_sift(gray: np.ndarray) -> np.ndarray:
    """SIFT descriptors ``(n, 128)`` float32 on a grid (step 8, patch 16) of a ``(64, 64)`` grey image."""
    sift = cv2.SIFT_create()
    r = _BOVW_PATCH // 2
    grid = [cv2.KeyPoint(float(x), float(y), float(_BOVW_PATCH))
            for y in range(r, BOVW_SIDE - r + 1, _BOVW_STEP) for x in range(r, BOVW_SIDE - r + 1, _BOVW_STEP)]
    _, desc = sift.compute(gray, grid)
    return desc.astype(np.float32)


def _grid_positions() -> list[tuple[int, int]]:
    r = _BOVW_PATCH // 2
    return [(x, y) for y in range(r, BOVW_SIDE - r + 1, _BOVW_STEP) for x in range(r, BOVW_SIDE - r + 1, _BOVW_STEP)]


def _to_bovw_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 3:
        image = to_gray(check_image(image))
    return cv2.resize(np.ascontiguousarray(image, dtype=np.uint8), (BOVW_SIDE, BOVW_SIDE), interpolation=cv2.INTER_AREA)


@dataclass(frozen=True)
class BovwModel:
    """A visual vocabulary (``centres`` ``(k, 128)``) and a logistic-regression classifier on word histograms.

    ``patches`` ``(k, n, 16, 16)`` uint8: for each word the training patches nearest to its centre.
    ``word_counts`` ``(k,)``: how often each word occurs in the training set.
    """

    k: int
    centres: np.ndarray
    coef: np.ndarray
    intercept: float
    train_accuracy: float
    test_accuracy: float
    chance: float
    n_train: int
    n_test: int
    class_names: tuple[str, ...]
    patches: np.ndarray = field(repr=False)
    word_counts: np.ndarray = field(repr=False)

    def frequent_words(self, n: int = 8) -> list[int]:
        """The ``n`` words seen most often in the training set, most frequent first (ties: lower word first)."""
        return [int(i) for i in np.argsort(-self.word_counts, kind="stable")[:n]]


def _histograms(words: np.ndarray, per_image: int, k: int) -> np.ndarray:
    w = words.reshape(-1, per_image)
    hist = np.zeros((w.shape[0], k), np.float64)
    np.add.at(hist, (np.repeat(np.arange(w.shape[0]), per_image), w.ravel()), 1.0)
    return hist / per_image


def train_bovw(k: int = 32, test_fraction: float = 0.25, seed: int = 0, patches_per_word: int = 8) -> BovwModel:
    """Bag of visual words on lfw_subset (faces vs non-faces): dense SIFT → k-means vocabulary → word
    histograms → logistic regression, scored on a stratified held-out split (chance = majority share)."""
    from sklearn.cluster import KMeans
    from sklearn.linear_model import LogisticRegression

    check_int(k, 4, 256, "The vocabulary size k")
    ds = lfw_faces()
    grays = np.stack([_to_bovw_gray(im) for im in ds.images])
    desc = np.stack([_dense_sift(g) for g in grays])
    per = desc.shape[1]
    tr, te = train_test_split_stratified(ds.labels, test_fraction, seed)
    km = KMeans(n_clusters=k, n_init=1, random_state=seed).fit(desc[tr].reshape(-1, 128))
    words = km.predict(desc.reshape(-1, 128)).reshape(len(grays), per)
    hist = _histograms(words, per, k)
    clf = LogisticRegression(C=10.0, max_iter=2000).fit(hist[tr], ds.labels[tr])
    train_acc = float(clf.score(hist[tr], ds.labels[tr]))
    test_acc = float(clf.score(hist[te], ds.labels[te]))
    chance = float(max(np.mean(ds.labels[te] == c) for c in np.unique(ds.labels)))
    flat = desc[tr].reshape(-1, 128)
    pos = _grid_positions()
    r = _BOVW_PATCH // 2
    patches = np.zeros((k, patches_per_word, _BOVW_PATCH, _BOVW_PATCH), np.uint8)
    for c in range(k):
        d = np.linalg.norm(flat - km.cluster_centers_[c], axis=1)
        for j, flat_i in enumerate(np.argsort(d)[:patches_per_word]):
            img_i, p_i = divmod(int(flat_i), per)
            x, y = pos[p_i]
            patches[c, j] = grays[tr[img_i], y - r:y + r, x - r:x + r]
    counts = np.bincount(words[tr].ravel(), minlength=k)
    return BovwModel(k, km.cluster_centers_.astype(np.float32), clf.coef_[0].copy(), float(clf.intercept_[0]),
                     train_acc, test_acc, chance, len(tr), len(te), ds.class_names, patches, counts)


def bovw_histogram(model: BovwModel, image: np.ndarray, box: np.ndarray | tuple[int, int, int, int] | None = None
                   ) -> tuple[np.ndarray, float]:
    """Word histogram ``(k,)`` (fractions summing to 1) of a photo squeezed to 64×64 grey, and P(face).

    With ``box`` (xyxy, e.g. a Viola–Jones face), only that part of the photo is described."""
    if box is not None:
        image = check_image(image)
        x0, y0, x1, y1 = (int(v) for v in box)
        if not (0 <= x0 < x1 <= image.shape[1] and 0 <= y0 < y1 <= image.shape[0]):
            raise BadInput(f"The box ({x0}, {y0}, {x1}, {y1}) is not inside the {image.shape[1]}×{image.shape[0]} image.")
        image = np.ascontiguousarray(image[y0:y1, x0:x1])
    desc = _dense_sift(_to_bovw_gray(image))
    d = ((desc[:, None, :] - model.centres[None]) ** 2).sum(-1)
    hist = _histograms(d.argmin(axis=1), len(desc), model.k)[0]
    p = float(1 / (1 + np.exp(-(hist @ model.coef + model.intercept))))
    return hist, p


def word_patch_grid(model: BovwModel, words: list[int] | None = None, zoom: int = 3) -> np.ndarray:
    """Patch grid ``(rows·(16·zoom+2), n·(16·zoom+2), 3)`` uint8: one row per visual word, its nearest patches
    (each enlarged ``zoom`` times, 2 white pixels between them and 1 around the grid)."""
    words = list(range(min(8, model.k))) if words is None else [int(w) for w in words]
    if not words or any(not 0 <= w < model.k for w in words):
        raise BadInput(f"Words must be between 0 and {model.k - 1}.")
    n = model.patches.shape[1]
    tiles = model.patches[words].reshape(-1, _BOVW_PATCH, _BOVW_PATCH)
    return tile_grid(tiles, cols=n, cell=_BOVW_PATCH * zoom, gap=2, border=1).image


