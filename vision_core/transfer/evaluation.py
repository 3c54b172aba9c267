"""Scoring a feature space: a logistic classifier on a stratified split, nearest neighbours, 2-D maps.

Conventions: features are ``(N, D)`` float32 with labels ``(N,)`` int64; indices refer to the data
set's order; every feature dimension is standardised before a classifier, a neighbour search or a
projection sees it (scikit-learn ``StandardScaler``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vision_core.checks import check_choice
from vision_core.errors import BadInput
from vision_core.io.datasets import train_test_split_stratified
from vision_core.models.device import limited_threads

__all__ = ["PROJECTIONS", "Evaluation", "evaluate_features", "nearest_neighbours", "point_labels", "project"]

PROJECTIONS: tuple[str, ...] = ("pca", "tsne")


@dataclass(frozen=True)
class Evaluation:
    """A logistic classifier on one feature space. ``test_idx``/``predicted`` ``(T,)``: held-out images
    and their predicted labels; ``accuracy`` on them; ``misclassified`` indices; ``neighbours``
    ``(len(misclassified), 4)`` nearest images (standardised Euclidean, whole data set, self excluded)."""

    accuracy: float
    train_idx: np.ndarray
    test_idx: np.ndarray
    predicted: np.ndarray
    misclassified: np.ndarray
    neighbours: np.ndarray
    chance: float

    def prediction_of(self, index: int) -> int | None:
        """The predicted label of image ``index`` if it was held out, else None (a training image)."""
        where = np.flatnonzero(self.test_idx == int(index))
        return int(self.predicted[where[0]]) if len(where) else None

    def errors(self, limit: int | None = None) -> list[tuple[int, int, np.ndarray]]:
        """Misclassified held-out images as ``(index, predicted label, 4 neighbour indices)``, at most ``limit``."""
        rows = [(int(i), int(self.prediction_of(int(i))), nb) for i, nb in zip(self.misclassified, self.neighbours)]
        return rows if limit is None else rows[:limit]


def nearest_neighbours(features: np.ndarray, queries: np.ndarray, k: int = 4) -> np.ndarray:
    """Indices ``(len(queries), k)`` of the ``k`` nearest rows of ``features`` ``(N, D)`` to each query row
    index (features standardised per dimension, Euclidean distance, the query itself excluded)."""
    from sklearn.neighbors import NearestNeighbors
    from sklearn.preprocessing import StandardScaler

    feats = np.asarray(features, np.float32)
    if not 1 <= k < len(feats):
        raise BadInput(f"k must be between 1 and {len(feats) - 1}, got {k}.")
    q = np.asarray(queries, np.int64)
    if len(q) == 0:
        return np.zeros((0, k), np.int64)
    z = StandardScaler().fit_transform(feats)
    nn_ = NearestNeighbors(n_neighbors=k + 1).fit(z)
    idx = nn_.kneighbors(z[q], return_distance=False)
    return np.stack([[j for j in row if j != i][:k] for i, row in zip(q, idx)]).astype(np.int64)


def evaluate_features(features: np.ndarray, labels: np.ndarray, test_fraction: float = 0.25, seed: int = 0) -> Evaluation:
    """Standardise, fit scikit-learn's ``LogisticRegression`` on a stratified training split, score the
    held-out split; misclassified held-out images come with their 4 nearest neighbours."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    feats = np.asarray(features, np.float32)
    y = np.asarray(labels, np.int64)
    if feats.ndim != 2 or len(feats) != len(y):
        raise BadInput(f"features must be (N, D) with one label per row; got {feats.shape} and {y.shape}.")
    if len(np.unique(y)) < 2:
        raise BadInput("At least two classes are needed to train a classifier.")
    tr, te = train_test_split_stratified(y, test_fraction, seed)
    clf = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=3000))
    with limited_threads(1):
        clf.fit(feats[tr], y[tr])
        pred = clf.predict(feats[te]).astype(np.int64)
    wrong = te[pred != y[te]]
    counts = np.bincount(y[te])
    return Evaluation(
        accuracy=float((pred == y[te]).mean()),
        train_idx=tr,
        test_idx=te,
        predicted=pred,
        misclassified=wrong,
        neighbours=nearest_neighbours(feats, wrong, 4),
        chance=float(counts.max() / counts.sum()),
    )


def project(features: np.ndarray, method: str = "pca", seed: int = 0) -> np.ndarray:
    """``(N, D)`` → ``(N, 2)`` float32 with PCA or t-SNE (perplexity 30, or N/4 for small N), after
    standardising each dimension."""
    from sklearn.preprocessing import StandardScaler

    check_choice(method, PROJECTIONS, "projection")
    feats = np.asarray(features, np.float32)
    if feats.ndim != 2 or len(feats) < 5:
        raise BadInput(f"A 2-D projection needs at least 5 feature rows, got shape {feats.shape}.")
    z = StandardScaler().fit_transform(feats)
    if method == "pca":
        from sklearn.decomposition import PCA

        return PCA(n_components=2, random_state=seed).fit_transform(z).astype(np.float32)
    from sklearn.manifold import TSNE

    perplexity = float(min(30.0, (len(z) - 1) / 4))
    with limited_threads(1):
        return TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed).fit_transform(z).astype(np.float32)


def point_labels(labels: np.ndarray, class_names: Sequence[str], evaluation: Evaluation) -> list[str]:
    """One line per image for a scatter's hover: ``#i · class`` and whether it was held out (with the
    prediction) or used for training."""
    predicted = dict(zip(evaluation.test_idx.tolist(), evaluation.predicted.tolist()))
    out = []
    for i, y in enumerate(np.asarray(labels)):
        pred = predicted.get(i)
        where = " (training)" if pred is None else f" (held out, predicted {class_names[pred]})"
        out.append(f"#{i} · {class_names[int(y)]}{where}")
    return out
