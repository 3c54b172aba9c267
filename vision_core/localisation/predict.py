"""Using a trained localiser: class and box for new scenes and for a drawing, the held-out scores, pictures.

Conventions: canvases ``(N, 64, 64)`` uint8 white on black; boxes ``xyxy`` pixels of the 64×64 canvas
(pixel edges, as in ``canvases``); the network is an argument (``net=``) and is only read. IoU comes from
``vision_core.ops.boxes.box_iou``, boxes are drawn with ``vision_core.ops.draw.draw_boxes``.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import torch

from vision_core.checks import check_int
from vision_core.errors import BadInput
from vision_core.io.canvas import ink
from vision_core.localisation.canvases import CANVAS, Scenes, ink_box
from vision_core.localisation.network import Localiser, cxcywh_to_xyxy
from vision_core.localisation.training import canvases_to_tensor, paired_iou
from vision_core.ops.draw import draw_boxes

__all__ = ["PRED_COLOUR", "TRUE_COLOUR", "Drawing", "Evaluation", "Prediction", "draw_scene", "evaluate",
           "predict", "read_drawing"]

TRUE_COLOUR = (60, 180, 75)
"""The true box: green."""
PRED_COLOUR = (245, 130, 48)
"""The predicted box: orange."""


@dataclass(frozen=True)
class Prediction:
    """``labels`` ``(N,)``, softmax ``probabilities`` ``(N, 10)``, ``boxes`` ``(N, 4)`` float32 xyxy pixels."""

    labels: np.ndarray
    probabilities: np.ndarray
    boxes: np.ndarray

    @property
    def confidence(self) -> np.ndarray:
        """The probability of each predicted class, ``(N,)``."""
        return self.probabilities[np.arange(len(self.labels)), self.labels]


def _canvases(images: np.ndarray) -> np.ndarray:
    a = np.asarray(images)
    if a.ndim == 2:
        a = a[None]
    if a.ndim != 3 or a.shape[1:] != (CANVAS, CANVAS) or a.dtype != np.uint8:
        raise BadInput(f"Canvases must be ({CANVAS}, {CANVAS}) uint8 images, got {a.shape} {a.dtype}.")
    return a


@torch.no_grad()
def predict(images: np.ndarray, *, net: Localiser) -> Prediction:
    """The class and the box the localiser gives each canvas (``(N, 64, 64)`` or one ``(64, 64)``)."""
    logits, box = net(canvases_to_tensor(_canvases(images)))
    probs = torch.softmax(logits, 1).numpy()
    return Prediction(probs.argmax(1), probs, cxcywh_to_xyxy(box.numpy(), CANVAS))


@dataclass(frozen=True)
class Evaluation:
    """Scores on a set of scenes: ``accuracy`` of the class head, ``ious`` ``(N,)`` of each predicted box with
    the true one, their mean, and the share with IoU ≥ 0.5 (the usual "found it" threshold)."""

    accuracy: float
    ious: np.ndarray
    prediction: Prediction

    @property
    def mean_iou(self) -> float:
        return float(self.ious.mean())

    @property
    def hit_rate(self) -> float:
        return float((self.ious >= 0.5).mean())


def evaluate(scenes: Scenes, *, net: Localiser) -> Evaluation:
    """Predict every scene and score classes and boxes against the truth."""
    pred = predict(scenes.images, net=net)
    return Evaluation(float((pred.labels == scenes.labels).mean()), paired_iou(pred.boxes, scenes.boxes), pred)


@dataclass(frozen=True)
class Drawing:
    """A drawing read as a scene: ``image`` ``(64, 64)`` uint8 white on black and the tight ``box`` of its ink
    (``(4,)`` float32 xyxy pixels, the "true box" a prediction is compared with)."""

    image: np.ndarray
    box: np.ndarray


def read_drawing(rgba: np.ndarray) -> Drawing:
    """A drawing from the browser canvas (white ink on black, ``(H, W, 4)`` RGBA, any size) shrunk to the
    64×64 canvas the localiser reads (area averaging); ``BadInput`` when it holds no ink."""
    amount = ink(rgba, "light")
    small = cv2.resize(amount, (CANVAS, CANVAS), interpolation=cv2.INTER_AREA)
    image = np.clip(np.rint(small * 255), 0, 255).astype(np.uint8)
    image[image < 13] = 0  # below 5 % ink is paper, not a stroke
    box = ink_box(image)
    if box is None:
        raise BadInput("The canvas is empty: draw a digit first.")
    return Drawing(image, np.array(box, np.float32))


def draw_scene(image: np.ndarray, pred_box: np.ndarray | None = None, true_box: np.ndarray | None = None,
               label: str | None = None, zoom: int = 4) -> np.ndarray:
    """A canvas enlarged ``zoom`` times (nearest) as ``(H, W, 3)`` uint8 RGB with the true box (green) and the
    predicted box (orange, tagged with ``label``) drawn on it."""
    check_int(zoom, 1, 16, "The zoom")
    grey = _canvases(image)[0]
    big = np.repeat(np.kron(grey, np.ones((zoom, zoom), np.uint8))[..., None], 3, axis=2)
    boxes, labels, colours = [], [], []
    for box, text, colour in ((true_box, "", TRUE_COLOUR), (pred_box, label or "", PRED_COLOUR)):
        if box is not None:
            boxes.append(np.asarray(box, np.float32).reshape(4) * zoom)
            labels.append(text)
            colours.append(colour)
    if not boxes:
        return big
    return draw_boxes(big, np.stack(boxes), labels if any(labels) else None, colours, width=2)
