"""A small live AdaBoost (the lecture's algorithm, Viola & Jones 2001) on Haar-like features of lfw_subset.

Data: scikit-image's ``lfw_subset``, 100 faces and 100 non-faces, ``(25, 25)`` uint8 grey; a weak
classifier is a stump on one Haar feature (``vision_core.classic.haar``) placed at (x, y, w, h) of the
25×25 patch. Every random step takes a ``seed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from vision_core.checks import check_int
from vision_core.classic.haar import HAAR_TYPES, draw_haar_feature, haar_rects
from vision_core.errors import BadInput
from vision_core.io.datasets import lfw_faces, train_test_split_stratified
from vision_core.ops.tiling import tile_grid

__all__ = ["AdaBoostResult", "WeakClassifier", "adaboost_haar", "weak_classifier_grid"]


@dataclass(frozen=True)
class WeakClassifier:
    """h(x) = 1 if p·f(x) < p·θ else 0, on Haar feature ``kind`` at (x, y, w, h) of a 25×25 patch."""

    kind: str
    x: int
    y: int
    w: int
    h: int
    polarity: int
    threshold: float
    error: float
    alpha: float


@dataclass(frozen=True)
class AdaBoostResult:
    """Rounds of discrete AdaBoost (Viola–Jones): chosen weak classifiers, training/test error after each round."""

    weak: tuple[WeakClassifier, ...]
    train_error: tuple[float, ...]
    test_error: tuple[float, ...]
    n_features: int
    n_train: int
    n_test: int
    mean_face: np.ndarray = field(repr=False)


def _random_haar_features(side: int, n: int, seed: int) -> list[tuple[str, int, int, int, int]]:
    rng = np.random.default_rng(seed)
    kinds = list(HAAR_TYPES)
    out: list[tuple[str, int, int, int, int]] = []
    while len(out) < n:
        kind = kinds[int(rng.integers(len(kinds)))]
        nx, ny = HAAR_TYPES[kind][0]
        cw = int(rng.integers(1, side // nx + 1))
        ch = int(rng.integers(1, side // ny + 1))
        w, h = cw * nx, ch * ny
        if w * h < 8:
            continue
        x = int(rng.integers(0, side - w + 1))
        y = int(rng.integers(0, side - h + 1))
        out.append((kind, x, y, w, h))
    return out


def _feature_matrix(iis: np.ndarray, feats: list[tuple[str, int, int, int, int]]) -> np.ndarray:
    cols = []
    for kind, x, y, w, h in feats:
        v = np.zeros(iis.shape[0])
        for rx, ry, rw, rh, sign in haar_rects(kind, x, y, w, h):
            v += sign * (iis[:, ry + rh, rx + rw] - iis[:, ry, rx + rw] - iis[:, ry + rh, rx] + iis[:, ry, rx])
        cols.append(v)
    return np.stack(cols, axis=1)


def _best_stumps(values: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[int, int, float, float]:
    """Best (feature, polarity, threshold, weighted error) over all features: sort once per feature."""
    order = np.argsort(values, axis=0, kind="stable")
    v_sorted = np.take_along_axis(values, order, axis=0)
    wp = np.where(y[order] == 1, w[order], 0.0)
    wn = np.where(y[order] == 0, w[order], 0.0)
    sp = np.cumsum(wp, axis=0) - wp
    sn = np.cumsum(wn, axis=0) - wn
    tp, tn = wp.sum(axis=0), wn.sum(axis=0)
    err_below_pos = sn + (tp - sp)
    err_below_neg = sp + (tn - sn)
    err = np.minimum(err_below_pos, err_below_neg)
    i, f = np.unravel_index(int(np.argmin(err)), err.shape)
    polarity = 1 if err_below_pos[i, f] <= err_below_neg[i, f] else -1
    thr = v_sorted[i, f] if i == 0 else 0.5 * (v_sorted[i, f] + v_sorted[i - 1, f])
    if i == 0:
        thr = v_sorted[0, f] - 1e-6
    return int(f), polarity, float(thr), float(err[i, f])


def adaboost_haar(rounds: int = 10, n_features: int = 1500, test_fraction: float = 0.25, seed: int = 0) -> AdaBoostResult:
    """Discrete AdaBoost (Viola–Jones 2001) on ``n_features`` random Haar-like features of lfw_subset (25×25).

    Images are normalised to zero mean and unit variance before the integral image. Weights start at
    1/2m, 1/2l; each round normalises them, picks the stump with the smallest weighted error εₜ,
    sets βₜ = εₜ/(1−εₜ), multiplies the weights of correct examples by βₜ, and αₜ = log(1/βₜ).
    The strong classifier says "face" when Σ αₜhₜ(x) ≥ ½ Σ αₜ.
    """
    check_int(rounds, 1, 100, "rounds")
    check_int(n_features, 10, 20000, "n_features")
    ds = lfw_faces()
    side = ds.images.shape[1]
    imgs = ds.images.astype(np.float64)
    imgs = (imgs - imgs.mean(axis=(1, 2), keepdims=True)) / (imgs.std(axis=(1, 2), keepdims=True) + 1e-6)
    iis = np.zeros((len(imgs), side + 1, side + 1))
    iis[:, 1:, 1:] = imgs.cumsum(1).cumsum(2)
    feats = _random_haar_features(side, n_features, seed)
    X = _feature_matrix(iis, feats)
    y = ds.labels
    tr, te = train_test_split_stratified(y, test_fraction, seed)
    m, l = int((y[tr] == 0).sum()), int((y[tr] == 1).sum())
    w = np.where(y[tr] == 1, 1 / (2 * l), 1 / (2 * m))
    score_tr, score_te = np.zeros(len(tr)), np.zeros(len(te))
    alpha_sum = 0.0
    weak, err_tr, err_te = [], [], []
    for _ in range(rounds):
        w = w / w.sum()
        f, p, thr, eps = _best_stumps(X[tr], y[tr], w)
        eps = min(max(eps, 1e-10), 1 - 1e-10)
        beta = eps / (1 - eps)
        alpha = float(np.log(1 / beta))
        h_tr = (p * X[tr, f] < p * thr).astype(int)
        h_te = (p * X[te, f] < p * thr).astype(int)
        e = (h_tr != y[tr]).astype(float)
        w = w * beta ** (1 - e)
        score_tr += alpha * h_tr
        score_te += alpha * h_te
        alpha_sum += alpha
        err_tr.append(float(np.mean((score_tr >= 0.5 * alpha_sum).astype(int) != y[tr])))
        err_te.append(float(np.mean((score_te >= 0.5 * alpha_sum).astype(int) != y[te])))
        kind, x, yy, ww, hh = feats[f]
        weak.append(WeakClassifier(kind, x, yy, ww, hh, p, thr, eps, alpha))
    mean_face = np.clip(np.rint(ds.images[y == 1].mean(axis=0)), 0, 255).astype(np.uint8)
    return AdaBoostResult(tuple(weak), tuple(err_tr), tuple(err_te), n_features, len(tr), len(te), mean_face)


def weak_classifier_grid(result: AdaBoostResult, count: int = 6, zoom: int = 6) -> np.ndarray:
    """The first ``count`` chosen features drawn over the mean lfw face, side by side with 4 white pixels
    between them: ``(25·zoom, n·(25·zoom+4)−4, 3)`` uint8."""
    tiles = [draw_haar_feature(result.mean_face, wc.kind, wc.x, wc.y, wc.w, wc.h, zoom) for wc in result.weak[:count]]
    if not tiles:
        raise BadInput("No weak classifier has been trained yet.")
    return tile_grid(np.stack(tiles), cols=len(tiles), gap=4).image
