"""Bring your own classes: a linear head (scaler + logistic regression) on VGG-16 features of a few photos.

Conventions: photos are ``(H, W, 3)`` uint8 RGB of any size; features ``(N, D)`` float32 (from
``features.cnn_features``); labels ``(N,)`` int64 index ``class_names``. 2 to 5 classes, 2 photos each
at least; the accuracy is a stratified k-fold cross-validation estimate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from vision_core.errors import BadInput
from vision_core.io.samples import load_sample
from vision_core.models.device import limited_threads

__all__ = ["CustomHead", "classify_photo", "demo_classes", "stack_classes", "train_custom_head"]


@dataclass(frozen=True)
class CustomHead:
    """A linear head on VGG-16 features for the user's classes: ``pipeline`` (scaler + logistic
    regression), class names, k-fold cross-validated accuracy and the number of folds."""

    pipeline: object
    class_names: tuple[str, ...]
    cv_accuracy: float
    cv_folds: int
    n_photos: int


def train_custom_head(features: np.ndarray, labels: np.ndarray, class_names: Sequence[str], seed: int = 0) -> CustomHead:
    """Cross-validate (stratified k-fold, k = min(5, smallest class)) then fit logistic regression on
    all photos. Needs 2–5 classes with at least 2 photos each."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    names = tuple(str(c).strip() for c in class_names)
    y = np.asarray(labels, np.int64)
    feats = np.asarray(features, np.float32)
    if not 2 <= len(names) <= 5:
        raise BadInput(f"Use 2 to 5 classes, got {len(names)}.")
    if any(not n for n in names) or len(set(names)) != len(names):
        raise BadInput("Every class needs a name, and the names must differ.")
    if feats.ndim != 2 or len(feats) != len(y):
        raise BadInput("There must be exactly one label per photo.")
    counts = np.bincount(y, minlength=len(names))
    if len(counts) > len(names):
        raise BadInput("A label does not match any class.")
    short = [names[i] for i, c in enumerate(counts) if c < 2]
    if short:
        raise BadInput(f"Each class needs at least 2 photos; add more to: {', '.join(short)}.")
    folds = int(min(5, counts.min()))
    clf = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=3000))
    with limited_threads(1):
        scores = cross_val_score(clf, feats, y, cv=StratifiedKFold(folds, shuffle=True, random_state=seed))
        clf.fit(feats, y)
    return CustomHead(clf, names, float(scores.mean()), folds, len(y))


def classify_photo(head: CustomHead, feature: np.ndarray) -> list[tuple[str, float]]:
    """Class probabilities for one photo's feature vector ``(D,)``, most likely first."""
    f = np.asarray(feature, np.float32).reshape(1, -1)
    probs = head.pipeline.predict_proba(f)[0]  # type: ignore[attr-defined]
    order = np.argsort(probs)[::-1]
    return [(head.class_names[i], float(probs[i])) for i in order]


def demo_classes(per_class: int = 6, seed: int = 0) -> dict[str, list[np.ndarray]]:
    """A ready-made "own classes" set from the bundled samples: random crops (40–70 % of the side)
    of the cat photo, the coffee cup and the rocket, ``(h, w, 3)`` uint8 each."""
    rng = np.random.default_rng(seed)
    out: dict[str, list[np.ndarray]] = {}
    for name, sample in (("cat", "chelsea"), ("coffee", "coffee"), ("rocket", "rocket")):
        img = load_sample(sample)
        h, w = img.shape[:2]
        crops = []
        for _ in range(per_class):
            f = rng.uniform(0.4, 0.7)
            ch, cw = int(h * f), int(w * f)
            y0, x0 = rng.integers(0, h - ch + 1), rng.integers(0, w - cw + 1)
            crops.append(np.ascontiguousarray(img[y0 : y0 + ch, x0 : x0 + cw]))
        out[name] = crops
    return out



def stack_classes(photos: Mapping[str, Sequence[np.ndarray]]) -> tuple[list[np.ndarray], np.ndarray, list[str]]:
    """``{class name: photos}`` → ``(photos in class order, labels (N,) int64, class names)``."""
    names = list(photos)
    stack = [img for name in names for img in photos[name]]
    labels = np.array([c for c, name in enumerate(names) for _ in photos[name]], np.int64)
    return stack, labels, names
