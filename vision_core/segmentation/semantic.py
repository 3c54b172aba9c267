"""Semantic segmentation: one class per pixel with MediaPipe's selfie model or torchvision's VOC models, and how to show it.

``segment(image, model, net=)`` runs the network once and keeps the class map and every class's
probability; ``overlay_mask``, ``colour_mask``, ``probability_image`` and ``class_shares`` only read that
result (opacity, view and class choice never run the network again). The VOC colour map is ``palette``.

Conventions: images ``(H, W, 3)`` uint8 RGB; class maps ``(H, W)`` uint8 class indices; scores
``(C, H, W)`` float32 probabilities at the image's size.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import cv2
import numpy as np
import torch

from vision_core.checks import check_choice, check_fraction, check_image
from vision_core.errors import BadInput
from vision_core.models import get_spec
from vision_core.models.device import net_device
from vision_core.models.segmentation import SELFIE_CLASSES, SEMANTIC_MODELS
from vision_core.models.tflite import TfliteModel
from vision_core.models.transforms import ShorterSideNormalize, Stretch

__all__ = [
    "SELFIE_CLASSES",
    "SEMANTIC_MODELS",
    "SegmentationResult",
    "blend_masks",
    "class_colours",
    "class_shares",
    "colour_mask",
    "overlay_mask",
    "palette",
    "probability_image",
    "segment",
]


@dataclass(frozen=True)
class SegmentationResult:
    """One label per pixel.

    ``class_map`` ``(H, W)`` uint8 indexes ``class_names``; ``scores``
    ``(C, H, W)`` float32 per-class probabilities at the image's size, or None.
    ``seconds``: the time of the whole ``segment`` call (model loading excluded).
    ``probabilities``: after ``compact()``, the ``(H, W)`` uint8 probability image of each class present
    (what ``probability_image`` shows) in place of ``scores``.
    """

    class_map: np.ndarray
    class_names: tuple[str, ...]
    scores: np.ndarray | None
    model: str
    seconds: float = 0.0
    probabilities: Mapping[str, np.ndarray] | None = field(default=None, repr=False)

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.class_map.shape[0]), int(self.class_map.shape[1])

    def mask(self, class_name: str) -> np.ndarray:
        """``(H, W)`` bool: the pixels labelled ``class_name``."""
        check_choice(class_name, self.class_names, "class")
        return self.class_map == self.class_names.index(class_name)

    def compact(self) -> SegmentationResult:
        """The same result for display and caching: ``scores`` (4·C bytes a pixel, 84 for the VOC models) give way
        to the uint8 probability image of each class present (1 byte a pixel each); ``probability_image`` of a
        present class is unchanged."""
        if self.scores is None:
            return self
        present = [self.class_names[c] for c in np.unique(self.class_map).tolist()]
        probs = {}
        for name in present:
            img = _to_uint8(self.scores[self.class_names.index(name)])
            img.setflags(write=False)
            probs[name] = img
        return replace(self, scores=None, probabilities=probs)

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays of this result."""
        extra = sum(a.nbytes for a in (self.probabilities or {}).values())
        return int(self.class_map.nbytes + (self.scores.nbytes if self.scores is not None else 0) + extra)


def _selfie_scores(image: np.ndarray, net: TfliteModel) -> np.ndarray:
    """``(2, H, W)`` float32: background and person probability (the net's sigmoid output, bilinear to H×W).

    The photo is stretched to the input bilinearly, as MediaPipe's ``ImageToTensorCalculator`` does.
    """
    h, w = image.shape[:2]
    ih, iw = net.input_hw
    small = Stretch(iw, ih, 0.0, 1.0)(image)
    prob = net(small[None])[0][0, :, :, 0]
    scores = np.empty((2, h, w), np.float32)
    cv2.resize(prob, (w, h), dst=scores[1], interpolation=cv2.INTER_LINEAR)
    np.subtract(1.0, scores[1], out=scores[0])
    return scores


@torch.inference_mode()
def _voc_scores(image: np.ndarray, net: torch.nn.Module, spec_pre: ShorterSideNormalize) -> np.ndarray:
    """Softmax ``(21, H, W)`` float32 of a torchvision VOC segmenter at the photo's size."""
    h, w = image.shape[:2]
    x = spec_pre(image, net_device(net))
    logits = net(x)["out"]
    logits = torch.nn.functional.interpolate(logits, size=(h, w), mode="bilinear", align_corners=False)
    return torch.softmax(logits[0], dim=0).float().cpu().numpy()


def segment(image: np.ndarray, model: str = "selfie", *, net: Any, threshold: float = 0.5) -> SegmentationResult:
    """Label every pixel of ``image`` with ``model`` (one of ``SEMANTIC_MODELS``), the loaded network ``net``.

    For the selfie models a pixel is "person" when its probability is above
    ``threshold``; VOC models take the argmax of the 21 class probabilities.
    """
    image = check_image(image)
    check_choice(model, SEMANTIC_MODELS, "segmentation model")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0.0 < threshold < 1.0:
        raise BadInput(f"The threshold must be between 0 and 1 (exclusive), got {threshold}.")
    t0 = time.perf_counter()
    if model.startswith("selfie"):
        scores = _selfie_scores(image, net)
        class_map, names = (scores[1] > threshold).view(np.uint8), SELFIE_CLASSES
    else:
        scores = _voc_scores(image, net, get_spec(model).preprocessing)
        class_map, names = scores.argmax(0).astype(np.uint8), get_spec(model).classes
    for a in (class_map, scores):
        a.setflags(write=False)
    return SegmentationResult(class_map, names, scores, model, time.perf_counter() - t0)


def palette(n: int) -> np.ndarray:
    """The Pascal VOC colour map: ``(n, 3)`` uint8, class 0 black, 1 dark red, 15 (person) pinkish."""
    out = np.zeros((n, 3), dtype=np.uint8)
    for i in range(n):
        c, r, g, b = i, 0, 0, 0
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        out[i] = (r, g, b)
    return out


def class_colours(result: SegmentationResult) -> np.ndarray:
    """``(C, 3)`` uint8 colour of each class: VOC's colour map, or black / pink for the selfie model."""
    if result.class_names == SELFIE_CLASSES:
        return np.array([[0, 0, 0], [255, 64, 160]], dtype=np.uint8)
    return palette(len(result.class_names))


def colour_mask(result: SegmentationResult) -> np.ndarray:
    """The class map painted with the model's colours: ``(H, W, 3)`` uint8."""
    return class_colours(result)[result.class_map]


def blend_masks(image: np.ndarray, masks: np.ndarray, colours: Sequence[tuple[int, int, int]], alpha: float) -> np.ndarray:
    """``image`` with each of ``masks`` ``(N, H, W)`` bool painted in its colour at opacity ``alpha`` (pixels in
    several masks black), as ``torchvision.utils.draw_segmentation_masks`` does, in numpy (ten times faster)."""
    draw = np.array(image, copy=True)
    for m, c in zip(masks, colours):
        draw[m] = c
    if len(masks) > 1:
        draw[masks.sum(0) > 1] = 0
    out = image.astype(np.float32) * np.float32(1.0 - alpha) + draw.astype(np.float32) * np.float32(alpha)
    return out.astype(np.uint8)


def overlay_mask(image: np.ndarray, result: SegmentationResult, alpha: float = 0.5) -> np.ndarray:
    """The photo with every non-background class painted over it at opacity ``alpha`` (``blend_masks``)."""
    image = check_image(image)
    alpha = check_fraction(alpha, "Opacity")
    if result.shape != image.shape[:2]:
        raise BadInput(f"The segmentation is {result.shape}, the image {image.shape[:2]}: they must match.")
    present = [c for c in np.unique(result.class_map).tolist() if c != 0]
    if not present:
        return image.copy()
    masks = np.stack([result.class_map == c for c in present])
    colours = [tuple(int(v) for v in class_colours(result)[c]) for c in present]
    return blend_masks(image, masks, colours, alpha)


def _to_uint8(p: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(p * 255.0), 0, 255).astype(np.uint8)


def probability_image(result: SegmentationResult, class_name: str) -> np.ndarray:
    """The model's probability of ``class_name`` at every pixel as ``(H, W)`` uint8 (0 = 0.0, 255 = 1.0).

    A ``compact()`` result answers for the classes present in its class map."""
    if class_name not in result.class_names:
        raise BadInput(f"{class_name!r} is not one of this model's classes: {', '.join(result.class_names)}.")
    if result.scores is None:
        if result.probabilities is None:
            raise BadInput(f"{result.model} gives no per-class scores.")
        if class_name not in result.probabilities:
            raise BadInput(f"No pixel of this photo is {class_name!r}; choose one of: {', '.join(result.probabilities)}.")
        return result.probabilities[class_name]
    return _to_uint8(result.scores[result.class_names.index(class_name)])


def class_shares(result: SegmentationResult) -> dict[str, float]:
    """Share of pixels of each class present, largest first (fractions summing to 1)."""
    counts = np.bincount(result.class_map.ravel(), minlength=len(result.class_names))
    total = counts.sum()
    pairs = [(result.class_names[i], float(c / total)) for i, c in enumerate(counts) if c > 0]
    return dict(sorted(pairs, key=lambda p: -p[1]))
