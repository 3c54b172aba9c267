"""Where the evidence lies: occlusion (Zeiler & Fergus 2014), saliency (Simonyan et al. 2014) and Grad-CAM
(Selvaraju et al. 2017) with Captum, on any ImageNet classifier.

Every map is computed on the ``crop`` the classifier sees (its own resize and centre crop) and has the
crop's ``(224, 224)`` shape. The shared network is never changed: occlusion and saliency only run
forward/backward passes; Grad-CAM's hooks go on a per-call view (``vision_core.models.views``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from vision_core.checks import check_choice, check_image, check_int
from vision_core.errors import BadInput
from vision_core.models.classification import (
    CAM_LAYERS,
    CLASSIFIERS,
    IMAGENET_CLASSES,
    classifier_input,
    imagenet_probabilities,
)
from vision_core.models.device import net_device
from vision_core.models.transforms import Prepared
from vision_core.models.views import module_view
from vision_core.types import ProgressFn

__all__ = [
    "Attribution",
    "Occluded",
    "occluded_prediction",
    "CLASS_OPTIONS",
    "TOP_PREDICTION",
    "class_index",
    "grad_cam",
    "occlusion_map",
    "occlusion_passes",
    "option_target",
    "saliency_map",
]


@dataclass(frozen=True)
class Attribution:
    """Where the evidence for class ``target`` lies on the crop.

    ``heat``: ``(224, 224)`` float32, larger = more important (occlusion: drop in the class probability
    when that spot is covered; Grad-CAM: ReLU of the weighted activations, upsampled; saliency:
    max |∂score/∂pixel| over RGB). ``prob``: the class probability on the unoccluded crop.
    """

    method: str
    heat: np.ndarray
    target: int
    label: str
    prob: float
    crop: np.ndarray
    prepared: Prepared

    def peak(self) -> tuple[int, int]:
        """``(x, y)`` of the maximum of ``heat`` in crop pixels."""
        y, x = np.unravel_index(int(np.argmax(self.heat)), self.heat.shape)
        return int(x), int(y)

    def peak_in_original(self) -> tuple[float, float]:
        """The peak in the original photo's pixel coordinates."""
        return self.prepared.to_original(*self.peak())


def _setup(image: np.ndarray, model: str, net: nn.Module, target: int | None) -> tuple[Prepared, int, float]:
    check_choice(model, CLASSIFIERS, "classifier")
    image = check_image(image)
    prepared = classifier_input(model)(image)
    probs = imagenet_probabilities(prepared, net)
    if target is None:
        target = int(probs.argmax())
    check_int(target, 0, len(IMAGENET_CLASSES) - 1, "The class (an ImageNet index)")
    return prepared, target, float(probs[target])


def occlusion_passes(patch: int, stride: int, side: int = 224) -> int:
    """Forward passes an occlusion map needs: ``((side − patch) // stride + 1)²``."""
    return ((side - patch) // stride + 1) ** 2


def occlusion_map(
    image: np.ndarray,
    model: str = "efficientnet_lite0",
    *,
    net: nn.Module,
    target: int | None = None,
    patch: int = 32,
    stride: int = 16,
    batch: int = 4,
    progress: ProgressFn | None = None,
) -> Attribution:
    """Zeiler & Fergus occlusion with Captum's ``Occlusion``: a ``patch`` × ``patch`` grey square (0 after
    normalisation, i.e. the mean colour) slides by ``stride`` over the crop; each pixel gets the mean drop
    of the ``target`` probability over the windows that covered it.

    Cost: ``occlusion_passes(patch, stride)`` forward passes, ``batch`` at a time (small batches stay in
    the CPU cache: 4 ran faster than 16). ``progress(fraction, message)`` is called after each batch.
    """
    check_int(patch, 4, 224, "The patch size")
    check_int(stride, 1, patch, "The stride")
    from captum.attr import Occlusion

    prepared, target, prob = _setup(image, model, net, target)
    x = prepared.tensor.to(net_device(net))
    total = occlusion_passes(patch, stride)
    done = [0]

    def prob_of(z: torch.Tensor) -> torch.Tensor:
        out = torch.softmax(net(z), dim=1)
        if progress is not None and len(z) <= batch:
            done[0] += len(z)
            progress(min(done[0] / (total + 1), 1.0), f"{min(done[0], total)} of {total} occluded copies")
        return out

    with torch.no_grad():
        attr = Occlusion(prob_of).attribute(
            x, target=target, sliding_window_shapes=(3, patch, patch), strides=(3, stride, stride),
            baselines=0.0, perturbations_per_eval=batch,
        )
    heat = attr[0].mean(dim=0).float().cpu().numpy()
    return Attribution("occlusion", heat, target, IMAGENET_CLASSES[target], prob, prepared.crop, prepared)


def grad_cam(image: np.ndarray, model: str = "efficientnet_lite0", *, net: nn.Module, target: int | None = None) -> Attribution:
    """Grad-CAM with Captum's ``LayerGradCam`` on the last conv stage (``CAM_LAYERS``; EfficientNet-Lite0:
    the 1280 × 7 × 7 head), ReLU applied, bilinearly upsampled to 224 × 224.

    Captum's hooks go on a per-call view of the network (weights shared), so the shared model never carries one.
    """
    from captum.attr import LayerAttribution, LayerGradCam

    prepared, target, prob = _setup(image, model, net, target)
    view, layer = module_view(net, CAM_LAYERS[model])
    x = prepared.tensor.to(net_device(net))
    cam = LayerGradCam(view, layer).attribute(x, target=target, relu_attributions=True)
    up = LayerAttribution.interpolate(cam.detach(), x.shape[-2:], interpolate_mode="bilinear")
    heat = up[0, 0].float().cpu().numpy()
    return Attribution("grad-cam", heat, target, IMAGENET_CLASSES[target], prob, prepared.crop, prepared)


def saliency_map(image: np.ndarray, model: str = "efficientnet_lite0", *, net: nn.Module, target: int | None = None) -> Attribution:
    """Saliency with Captum's ``Saliency``: |∂ logit / ∂ pixel|, max over RGB."""
    from captum.attr import Saliency

    prepared, target, prob = _setup(image, model, net, target)
    x = prepared.tensor.to(net_device(net)).clone().requires_grad_(True)
    grads = Saliency(net).attribute(x, target=target, abs=True)
    heat = grads[0].amax(dim=0).float().cpu().numpy()
    return Attribution("saliency", heat, target, IMAGENET_CLASSES[target], prob, prepared.crop, prepared)


@dataclass(frozen=True)
class Occluded:
    """One grey square on the crop and what the classifier says before and after: ``crop`` is the
    ``(224, 224, 3)`` uint8 input with the square drawn in the mean colour; top-1 labels and probabilities."""

    crop: np.ndarray
    box: tuple[int, int, int, int]
    before: tuple[str, float]
    after: tuple[str, float]

    @property
    def flipped(self) -> bool:
        return self.before[0] != self.after[0]


def occluded_prediction(image: np.ndarray, model: str = "efficientnet_lite0", *, net: nn.Module, x: int, y: int,
                        side: int) -> Occluded:
    """Cover the square of ``side`` pixels whose top-left corner is ``(x, y)`` on the classifier's 224×224 crop
    with grey (0 after normalisation, the mean colour, as occlusion does) and classify again (two forward passes)."""
    check_int(side, 1, 224, "The square's side")
    check_int(x, 0, 224 - side, "The square's left edge")
    check_int(y, 0, 224 - side, "The square's top edge")
    prepared, target, prob = _setup(image, model, net, None)
    covered = prepared.tensor.clone()
    covered[..., y : y + side, x : x + side] = 0.0
    with torch.inference_mode():
        probs = torch.softmax(net(covered.to(net_device(net))).float(), dim=1)[0].cpu()
    top = int(probs.argmax())
    crop = prepared.crop.copy()
    mean = np.asarray(classifier_input(model).mean, np.float32)
    crop[y : y + side, x : x + side] = np.clip(np.rint(mean), 0, 255).astype(np.uint8)
    return Occluded(crop, (x, y, x + side, y + side), (IMAGENET_CLASSES[target], prob),
                    (IMAGENET_CLASSES[top], float(probs[top])))


def class_index(label: str) -> int:
    """ImageNet index of a class name (exact, case-insensitive)."""
    lowered = label.strip().lower()
    for i, name in enumerate(IMAGENET_CLASSES):
        if name.lower() == lowered:
            return i
    raise BadInput(f"{label!r} is not an ImageNet class name.")


TOP_PREDICTION = "top prediction"
CLASS_OPTIONS: tuple[str, ...] = (TOP_PREDICTION, *(f"{i} {name}" for i, name in enumerate(IMAGENET_CLASSES)))
"""Choices for the class an attribution explains: the top prediction, or ``"<index> <name>"`` (unique, readable in URLs)."""


def option_target(option: str) -> int | None:
    """``CLASS_OPTIONS`` entry → ImageNet index (``None`` for the top prediction)."""
    if option == TOP_PREDICTION:
        return None
    head = option.split(" ", 1)[0]
    if not head.isdigit() or not 0 <= int(head) < len(IMAGENET_CLASSES):
        raise BadInput(f"{option!r} is not one of the 1000 ImageNet classes.")
    return int(head)


def describe(model: str) -> dict[str, Any]:
    """Facts for a page caption: title and preprocessing of a classifier or embedded network."""
    from vision_core.models import get_spec
    from vision_core.see.filters import VISUAL_MODELS

    if model in CLASSIFIERS:
        spec = get_spec(model)
        return {"title": spec.title, "preprocessing": spec.preprocessing_text}
    check_choice(model, VISUAL_MODELS, "network")
    return {"title": VISUAL_MODELS[model], "preprocessing": "crop as EfficientNet-Lite0, then BGR 0–255 minus the ImageNet means"}
