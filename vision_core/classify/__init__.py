"""Classify a photo: top-k ImageNet classes, and the preprocessing shown step by step.

Every classifier (``vision_core.models.classification``) takes the same recipe with its own
numbers: shorter side resized, centre crop, ``(x − mean) / std``. ``prepare`` runs the model's
executable recipe; ``preprocessing_steps`` shows the photo after each step. The network is
always passed in (``net=``); pages pass the shared copy from ``ui.models``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from torch import nn

from vision_core.checks import check_image, check_int
from vision_core.models.classification import CLASSIFIERS, IMAGENET_CLASSES, classifier_input, imagenet_probabilities
from vision_core.models.transforms import Prepared

__all__ = [
    "CLASSIFIERS",
    "IMAGENET_CLASSES",
    "PreprocessStep",
    "classify",
    "classify_prepared",
    "class_probabilities",
    "top_classes",
    "prepare",
    "preprocessing_steps",
]


def prepare(image: np.ndarray, model: str = "efficientnet_lite0") -> Prepared:
    """Resize, centre-crop and normalise ``(H, W, 3)`` uint8 RGB for classifier ``model``."""
    return classifier_input(model)(image)


@dataclass(frozen=True)
class PreprocessStep:
    """One preprocessing step shown as a picture: ``image`` ``(h, w, 3)`` uint8 and what was done."""

    title: str
    image: np.ndarray
    caption: str


def preprocessing_steps(image: np.ndarray, model: str = "efficientnet_lite0") -> list[PreprocessStep]:
    """The photo at each step the network's input goes through: original, resized, cropped, normalised.

    The normalised step shows the three channels side by side as grey images, with the value range
    of the tensor in the caption (grey 0 ↔ the channel mean).
    """
    image = check_image(image)
    r = classifier_input(model)
    p = r(image)
    h, w = image.shape[:2]
    x = p.tensor[0].numpy()
    lo, hi = float(x.min()), float(x.max())
    span = max(abs(lo), abs(hi), 1e-6)
    grey = np.clip(np.rint((x / span + 1.0) * 127.5), 0, 255).astype(np.uint8)
    gap = np.full((r.crop, 6), 255, np.uint8)
    strip = np.concatenate([grey[0], gap, grey[1], gap, grey[2]], axis=1)
    rh, rw = p.resized.shape[:2]
    return [
        PreprocessStep("Your photo", np.asarray(image), f"{w}×{h} pixels, uint8 RGB 0–255"),
        PreprocessStep("Resize", p.resized, f"shorter side → {r.resize}: {rw}×{rh}"),
        PreprocessStep("Centre crop", p.crop, f"{r.crop}×{r.crop} from the middle (left {p.left}, top {p.top})"),
        PreprocessStep(
            "Normalise",
            np.repeat(strip[..., None], 3, axis=2),
            f"R, G, B as (x − mean) / std: values {lo:.2f} … {hi:.2f}; tensor (1, 3, {r.crop}, {r.crop}) float32",
        ),
    ]


def classify_prepared(prepared: Prepared, net: nn.Module, top_k: int = 5) -> list[tuple[str, float]]:
    """Top-``top_k`` (label, probability) pairs for an already prepared photo, best first."""
    check_int(top_k, 1, len(IMAGENET_CLASSES), "top_k")
    probs = imagenet_probabilities(prepared, net)
    values, indices = probs.topk(top_k)
    return [(IMAGENET_CLASSES[i], float(v)) for v, i in zip(values.tolist(), indices.tolist())]


def class_probabilities(image: np.ndarray, model: str = "efficientnet_lite0", *, net: nn.Module) -> np.ndarray:
    """The softmax over the 1000 ImageNet classes, ``(1000,)`` float32: the expensive part, computed once per photo
    and model; ``top_classes`` then reads any top-k from it."""
    return imagenet_probabilities(prepare(image, model), net).numpy()


def top_classes(probabilities: np.ndarray, top_k: int = 5) -> list[tuple[str, float]]:
    """The ``top_k`` most probable (label, probability) pairs of a ``(1000,)`` softmax, best first (ties by index)."""
    p = np.asarray(probabilities, dtype=np.float64).reshape(-1)
    if p.size != len(IMAGENET_CLASSES):
        raise ValueError(f"Expected {len(IMAGENET_CLASSES)} ImageNet probabilities, got {p.size}.")
    check_int(top_k, 1, len(IMAGENET_CLASSES), "top_k")
    order = np.argsort(-p, kind="stable")[:top_k]
    return [(IMAGENET_CLASSES[i], float(p[i])) for i in order]


def classify(image: np.ndarray, model: str = "efficientnet_lite0", top_k: int = 5, *, net: nn.Module) -> list[tuple[str, float]]:
    """Top-``top_k`` ImageNet classes of ``(H, W, 3)`` uint8 RGB ``image`` as (label, probability), best first.

    ``net`` is the loaded classifier ``model`` (``ui.models.require_model(model)`` on a page,
    ``vision_core.models.get_model(model)`` elsewhere).
    """
    return classify_prepared(prepare(image, model), net, top_k)
