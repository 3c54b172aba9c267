"""Transfer learning, the lecture's galaxies experiment redone on data that ships offline.

Two feature spaces for the same small images: hand-made ones (HOG, intensity statistics and the
morphology measures the lecture lists for galaxies: concentration, asymmetry, smoothness,
entropy) and the global-average-pooled output of a block of VGG-16 pretrained on ImageNet. A
logistic classifier is trained on each; errors are shown with their 4 nearest neighbours in each
feature space; PCA and t-SNE give 2-D maps. "Bring your own classes" trains the same linear head on
the user's photos.

Conventions: image stacks are ``(N, H, W)`` uint8 grey or ``(N, H, W, 3)`` uint8 RGB; features are
``(N, D)`` float32; labels ``(N,)`` int64; indices always refer to the data set's order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from vision_core.io.datasets import Dataset, lfw_faces, mnist_5k, train_test_split_stratified
from vision_core.checks import check_image
from vision_core.training import limited_threads
from vision_core.models.vgg16 import layer_index, preprocess

__all__ = [
    "CNN_LAYERS",
    "DATASETS",
    "HANDMADE_NAMES",
    "CustomHead",
    "Evaluation",
    "Morphology",
    "classify_photo",
    "cnn_features",
    "demo_classes",
    "evaluate_features",
    "experiment_dataset",
    "handmade_features",
    "morphology",
    "nearest_neighbours",
    "project",
    "thumbnail",
    "to_rgb",
    "train_custom_head",
]

DATASETS: dict[str, str] = {
    "faces": "LFW faces vs non-faces (scikit-image lfw_subset, 200 images, 25×25)",
    "digits": "MNIST digits (40 of each digit from MNIST-5k, 28×28)",
}
CNN_LAYERS: tuple[str, ...] = ("block2_pool", "block3_pool", "block4_pool", "block5_pool")

ProgressFn = Callable[[float, str], None]


def experiment_dataset(name: str, per_class: int = 40, seed: int = 0) -> Dataset:
    """``"faces"``: the 200 LFW images (1 = face); ``"digits"``: ``per_class`` MNIST-5k digits of each
    class, chosen reproducibly with ``seed``."""
    if name == "faces":
        return lfw_faces()
    if name == "digits":
        if not 2 <= per_class <= 500:
            raise ValueError(f"per_class must be between 2 and 500, got {per_class}.")
        full = mnist_5k()
        rng = np.random.default_rng(seed)
        idx = np.sort(np.concatenate([rng.choice(np.flatnonzero(full.labels == c), per_class, replace=False) for c in range(10)]))
        return Dataset(full.images[idx], full.labels[idx], full.class_names, f"{full.source}, {per_class} per class")
    raise ValueError(f"Unknown data set {name!r}; choose one of: {', '.join(DATASETS)}.")


def _grey(image: np.ndarray) -> np.ndarray:
    arr = np.asarray(image)
    if arr.ndim == 3:
        arr = arr[..., :3].astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    return arr.astype(np.float32) / 255.0


@dataclass(frozen=True)
class Morphology:
    """The lecture's galaxy descriptors for one image (light = grey level).

    ``concentration`` = 5·log10(r80 / r20), radii around the light's centroid holding 80 % and 20 % of
    the light (CAS system); ``asymmetry`` = Σ|I − I₁₈₀| / (2 Σ|I|) with I₁₈₀ the image turned by
    180°; ``smoothness`` = Σ|I − I_blur| / Σ|I| (clumpiness, box blur of a quarter of the size);
    ``entropy`` = Shannon entropy in bits of the 32-bin grey-level histogram."""

    concentration: float
    asymmetry: float
    smoothness: float
    entropy: float

    def as_array(self) -> np.ndarray:
        return np.array([self.concentration, self.asymmetry, self.smoothness, self.entropy], np.float32)


def morphology(image: np.ndarray) -> Morphology:
    """Concentration, asymmetry, smoothness and entropy of one ``(H, W)`` or ``(H, W, 3)`` uint8 image."""
    import cv2

    img = _grey(image)
    if img.ndim != 2 or min(img.shape) < 4:
        raise ValueError(f"morphology needs an image of at least 4×4 pixels, got shape {np.shape(image)}.")
    total = float(img.sum())
    h, w = img.shape
    if total <= 0:
        return Morphology(0.0, 0.0, 0.0, 0.0)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    cy, cx = float((img * ys).sum() / total), float((img * xs).sum() / total)
    r = np.hypot(ys - cy, xs - cx).ravel()
    order = np.argsort(r)
    cum = np.cumsum(img.ravel()[order]) / total
    r20 = max(float(r[order][np.searchsorted(cum, 0.2)]), 0.5)
    r80 = max(float(r[order][min(np.searchsorted(cum, 0.8), len(r) - 1)]), 0.5)
    asym = float(np.abs(img - img[::-1, ::-1]).sum() / (2 * np.abs(img).sum()))
    k = max(3, (min(h, w) // 4) | 1)
    smooth = float(np.abs(img - cv2.blur(img, (k, k))).sum() / np.abs(img).sum())
    hist = np.histogram(img, bins=32, range=(0.0, 1.0))[0].astype(np.float64)
    p = hist[hist > 0] / hist.sum()
    return Morphology(5 * np.log10(r80 / r20), asym, smooth, float(-(p * np.log2(p)).sum()))


HANDMADE_NAMES: tuple[str, ...] = (
    "concentration", "asymmetry", "smoothness", "entropy",
    "mean", "std", "p10", "p50", "p90", "mean R", "mean G", "mean B",
)
"""Names of the non-HOG hand-made features, in order (HOG follows: 9 orientations, 8×8 cells, 2×2 blocks on 32×32)."""


def handmade_features(images: np.ndarray) -> np.ndarray:
    """``(N, H, W)`` or ``(N, H, W, 3)`` uint8 → ``(N, 12 + 324)`` float32: morphology (4), intensity
    statistics (mean, std, 10/50/90th percentiles), mean of each colour channel (grey: 3× the mean),
    then HOG of the image resized to 32×32."""
    import cv2
    from skimage.feature import hog

    arr = np.asarray(images)
    if arr.ndim not in (3, 4) or len(arr) == 0 or arr.dtype != np.uint8:
        raise ValueError(f"Expected a stack of uint8 images (N, H, W) or (N, H, W, 3), got {arr.dtype} {arr.shape}.")
    rows = []
    for img in arr:
        grey = _grey(img)
        colour = img[..., :3].reshape(-1, 3).mean(0) / 255.0 if img.ndim == 3 else np.repeat(grey.mean(), 3)
        stats = [grey.mean(), grey.std(), *np.percentile(grey, [10, 50, 90])]
        small = cv2.resize(grey, (32, 32), interpolation=cv2.INTER_AREA if min(grey.shape) > 32 else cv2.INTER_LINEAR)
        h = hog(small, orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2), feature_vector=True)
        rows.append(np.concatenate([morphology(img).as_array(), stats, colour, h]).astype(np.float32))
    return np.stack(rows)


def to_rgb(image: np.ndarray, size: int) -> np.ndarray:
    """One small image → ``(size, size, 3)`` uint8 RGB for an ImageNet network: grey is copied into the
    three channels, the image is resized with bicubic interpolation (upscaling) or area averaging
    (downscaling), so a 25×25 face or a 28×28 digit becomes a smooth ``size``-pixel picture."""
    import cv2

    arr = np.asarray(image)
    if arr.ndim == 2:
        arr = np.repeat(arr[..., None], 3, axis=2)
    arr = check_image(arr)
    interp = cv2.INTER_CUBIC if size > min(arr.shape[:2]) else cv2.INTER_AREA
    return np.ascontiguousarray(cv2.resize(arr, (size, size), interpolation=interp))


def thumbnail(image: np.ndarray, size: int = 84) -> np.ndarray:
    """A small ``(h, w)`` or ``(h, w, 3)`` uint8 image enlarged with nearest-neighbour pixels to
    ``(size, size, 3)`` uint8, so a 25×25 face stays crisp on screen."""
    import cv2

    return to_rgb(image, min(np.shape(image)[:2])) if size <= min(np.shape(image)[:2]) else np.ascontiguousarray(
        cv2.resize(to_rgb(image, min(np.shape(image)[:2])), (size, size), interpolation=cv2.INTER_NEAREST))


@torch.no_grad()
def cnn_features(
    images: np.ndarray | Sequence[np.ndarray],
    model: torch.nn.Sequential,
    layer: str = "block4_pool",
    size: int = 64,
    batch: int = 25,
    progress: ProgressFn | None = None,
    threads: int | None = 1,
) -> np.ndarray:
    """Pretrained VGG-16 features: each image through ``to_rgb(image, size)``, VGG preprocessing, the
    layers up to ``layer``, then a global average pool → ``(N, C)`` float32 (C = 128/256/512/512 for
    block2…5). ``model`` is the shared ``vgg16_features`` model; it is only read, never changed.
    ``threads``: torch threads for this call (see ``limited_threads``)."""
    if layer not in CNN_LAYERS:
        raise ValueError(f"Unknown layer {layer!r}; choose one of {', '.join(CNN_LAYERS)}.")
    if not 32 <= size <= 512:
        raise ValueError(f"The network input size must be between 32 and 512 pixels, got {size}.")
    n = len(images)
    if n == 0:
        raise ValueError("No images to extract features from.")
    stop = layer_index(layer) + 1
    device = next(model.parameters()).device
    out = []
    for i in range(0, n, batch):
        x = torch.cat([preprocess(to_rgb(img, size), device) for img in images[i : i + batch]])
        with limited_threads(threads if device.type == "cpu" else None):
            for module in list(model.children())[:stop]:
                x = module(x)
        out.append(x.mean(dim=(2, 3)).float().cpu().numpy())
        if progress:
            progress(min(i + batch, n) / n, f"{min(i + batch, n)} of {n} images through VGG-16")
    return np.concatenate(out).astype(np.float32)


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


def nearest_neighbours(features: np.ndarray, queries: np.ndarray, k: int = 4) -> np.ndarray:
    """Indices ``(len(queries), k)`` of the ``k`` nearest rows of ``features`` ``(N, D)`` to each query row
    index (features standardised per dimension, Euclidean distance, the query itself excluded)."""
    from sklearn.neighbors import NearestNeighbors
    from sklearn.preprocessing import StandardScaler

    feats = np.asarray(features, np.float32)
    if not 1 <= k < len(feats):
        raise ValueError(f"k must be between 1 and {len(feats) - 1}, got {k}.")
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
        raise ValueError(f"features must be (N, D) with one label per row; got {feats.shape} and {y.shape}.")
    if len(np.unique(y)) < 2:
        raise ValueError("At least two classes are needed to train a classifier.")
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

    feats = np.asarray(features, np.float32)
    if feats.ndim != 2 or len(feats) < 5:
        raise ValueError(f"A 2-D projection needs at least 5 feature rows, got shape {feats.shape}.")
    z = StandardScaler().fit_transform(feats)
    if method == "pca":
        from sklearn.decomposition import PCA

        return PCA(n_components=2, random_state=seed).fit_transform(z).astype(np.float32)
    if method == "tsne":
        from sklearn.manifold import TSNE

        perplexity = float(min(30.0, (len(z) - 1) / 4))
        with limited_threads(1):
            return TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed).fit_transform(z).astype(np.float32)
    raise ValueError(f"Unknown projection {method!r}; choose 'pca' or 'tsne'.")


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
        raise ValueError(f"Use 2 to 5 classes, got {len(names)}.")
    if any(not n for n in names) or len(set(names)) != len(names):
        raise ValueError("Every class needs a name, and the names must differ.")
    if feats.ndim != 2 or len(feats) != len(y):
        raise ValueError("There must be exactly one label per photo.")
    counts = np.bincount(y, minlength=len(names))
    if len(counts) > len(names):
        raise ValueError("A label does not match any class.")
    short = [names[i] for i, c in enumerate(counts) if c < 2]
    if short:
        raise ValueError(f"Each class needs at least 2 photos; add more to: {', '.join(short)}.")
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
    from vision_core.io.samples import load_sample

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
