"""ImageNet classifiers: the embedded EfficientNet-Lite0 and torchvision's ResNet-50, VGG-16 and MobileNet v3.

Registers ``efficientnet_lite0`` (embedded) and, with hub weights, ``resnet50``, ``vgg16`` and
``mobilenet_v3_large``. Each spec's ``preprocessing`` is a ``ResizeCropNormalize``: calling it on a
photo gives the ``Prepared`` crop and tensor the network takes. Labels: torchvision's 1000
ImageNet categories. ``CAM_LAYERS`` names the last convolutional block Grad-CAM reads.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import torch
from torch import nn

from vision_core.models._api import ModelSpec, Task, get_spec, register, torchvision_spec
from vision_core.models.device import net_device
from vision_core.models.efficientnet_lite import load_efficientnet_lite0
from vision_core.models.transforms import Prepared, ResizeCropNormalize

__all__ = ["CAM_LAYERS", "CLASSIFIERS", "IMAGENET_CLASSES", "classifier_input", "imagenet_probabilities"]



def _imagenet_categories() -> tuple[str, ...]:
    """torchvision's 1000 ImageNet category names (``torchvision.models._meta._IMAGENET_CATEGORIES``), read from
    that data file without importing torchvision: its package import loads every submodule and its compiled
    extension (~165 MiB), which a page listing the embedded models does not need."""
    loaded = sys.modules.get("torchvision.models._meta")
    if loaded is not None:
        return tuple(loaded._IMAGENET_CATEGORIES)
    found = importlib.util.find_spec("torchvision")  # a top-level package: located, not imported
    if found is None or not found.submodule_search_locations:
        from torchvision.models._meta import _IMAGENET_CATEGORIES  # the ordinary error when it is missing

        return tuple(_IMAGENET_CATEGORIES)
    path = Path(next(iter(found.submodule_search_locations))) / "models" / "_meta.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return tuple(next(ast.literal_eval(node.value) for node in tree.body
                      if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "_IMAGENET_CATEGORIES"))


IMAGENET_CLASSES: tuple[str, ...] = _imagenet_categories()

CLASSIFIERS: tuple[str, ...] = ("efficientnet_lite0", "resnet50", "vgg16", "mobilenet_v3_large")
"""Classifier names in menu order (embedded first)."""

CAM_LAYERS: dict[str, str] = {
    "efficientnet_lite0": "_act_head",
    "resnet50": "layer4",
    "vgg16": "features.29",
    "mobilenet_v3_large": "features.16",
}
"""The module whose activations Grad-CAM weighs, per classifier (the last convolutional stage)."""

register(
    ModelSpec(
        name="efficientnet_lite0",
        task=Task.CLASSIFICATION,
        title="EfficientNet-Lite0 (ImageNet, embedded)",
        loader=load_efficientnet_lite0,
        assets=("efficientnet_lite0",),
        preprocessing=ResizeCropNormalize(256, 224, (127.0,) * 3, (128.0,) * 3),
        classes=IMAGENET_CLASSES,
    )
)
register(torchvision_spec("resnet50", Task.CLASSIFICATION, "ResNet-50 (torchvision, ImageNet)", "resnet50", "ResNet50_Weights"))
register(torchvision_spec("vgg16", Task.CLASSIFICATION, "VGG-16 (torchvision, ImageNet)", "vgg16", "VGG16_Weights"))
register(
    torchvision_spec(
        "mobilenet_v3_large", Task.CLASSIFICATION, "MobileNet v3 Large (torchvision, ImageNet)",
        "mobilenet_v3_large", "MobileNet_V3_Large_Weights",
    )
)


def classifier_input(model: str) -> ResizeCropNormalize:
    """The executable preprocessing of classifier ``model``; ``BadInput`` listing the classifiers otherwise."""
    from vision_core.checks import check_choice

    check_choice(model, CLASSIFIERS, "classifier")
    return get_spec(model).preprocessing


def imagenet_probabilities(prepared: Prepared, net: nn.Module) -> torch.Tensor:
    """Softmax over the 1000 ImageNet classes for a prepared photo, ``(1000,)`` float32 on the CPU."""
    with torch.inference_mode():
        logits = net(prepared.tensor.to(net_device(net)))
    return torch.softmax(logits.float(), dim=1)[0].cpu()
