"""The two feature spaces of the transfer-learning experiment: hand-made descriptors and pooled VGG-16 blocks.

Hand-made: HOG, intensity statistics and the morphology measures the lecture lists for galaxies
(concentration, asymmetry, smoothness, entropy). CNN: the global-average-pooled output of a block of
VGG-16 pretrained on ImageNet (the shared ``vgg16_features`` model, passed in, only read).

Conventions: image stacks are ``(N, H, W)`` uint8 grey or ``(N, H, W, 3)`` uint8 RGB; features are
``(N, D)`` float32; indices always refer to the data set's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import torch

from vision_core.checks import check_choice, check_image
from vision_core.errors import BadInput
from vision_core.io.datasets import Dataset, lfw_faces, mnist_5k
from vision_core.models.device import limited_threads, net_device
from vision_core.models.vgg16 import layer_index, preprocess
from vision_core.types import ProgressFn

__all__ = [
    "CNN_LAYERS",
    "DATASETS",
    "HANDMADE_NAMES",
    "Morphology",
    "cnn_features",
    "experiment_dataset",
    "handmade_features",
    "morphology",
    "thumbnail",
    "to_rgb",
]

DATASETS: dict[str, str] = {
    "faces": "LFW faces vs non-faces (scikit-image lfw_subset, 200 images, 25×25)",
    "digits": "MNIST digits (40 of each digit from MNIST-5k, 28×28)",
}
CNN_LAYERS: tuple[str, ...] = ("block2_pool", "block3_pool", "block4_pool", "block5_pool")


def experiment_dataset(name: str, per_class: int = 40, seed: int = 0) -> Dataset:
    """``"faces"``: the 200 LFW images (1 = face); ``"digits"``: ``per_class`` MNIST-5k digits of each
    class, chosen reproducibly with ``seed``."""
    check_choice(name, DATASETS, "data set")
    if name == "faces":
        return lfw_faces()
    if not 2 <= per_class <= 500:
        raise BadInput(f"per_class must be between 2 and 500, got {per_class}.")
    full = mnist_5k()
    rng = np.random.default_rng(seed)
    idx = np.sort(np.concatenate([rng.choice(np.flatnonzero(full.labels == c), per_class, replace=False) for c in range(10)]))
    return Dataset(full.images[idx], full.labels[idx], full.class_names, f"{full.source}, {per_class} per class")


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
    img = _grey(image)
    if img.ndim != 2 or min(img.shape) < 4:
        raise BadInput(f"morphology needs an image of at least 4×4 pixels, got shape {np.shape(image)}.")
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
    from skimage.feature import hog

    arr = np.asarray(images)
    if arr.ndim not in (3, 4) or len(arr) == 0 or arr.dtype != np.uint8:
        raise BadInput(f"Expected a stack of uint8 images (N, H, W) or (N, H, W, 3), got {arr.dtype} {arr.shape}.")
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
    arr = np.asarray(image)
    if arr.ndim == 2:
        arr = np.repeat(arr[..., None], 3, axis=2)
    arr = check_image(arr)
    interp = cv2.INTER_CUBIC if size > min(arr.shape[:2]) else cv2.INTER_AREA
    return np.ascontiguousarray(cv2.resize(arr, (size, size), interpolation=interp))


def thumbnail(image: np.ndarray, size: int = 84) -> np.ndarray:
    """A small ``(h, w)`` or ``(h, w, 3)`` uint8 image enlarged with nearest-neighbour pixels to
    ``(size, size, 3)`` uint8, so a 25×25 face stays crisp on screen."""
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
    check_choice(layer, CNN_LAYERS, "VGG-16 block")
    if not 32 <= size <= 512:
        raise BadInput(f"The network input size must be between 32 and 512 pixels, got {size}.")
    n = len(images)
    if n == 0:
        raise BadInput("No images to extract features from.")
    stop = layer_index(layer) + 1
    device = net_device(model)
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

