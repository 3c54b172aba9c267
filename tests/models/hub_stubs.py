"""``weights=None`` torchvision networks with the architecture of each hub download, for stubbed downloads and
stubbed torch.hub caches (DeepLabV3's weights carry the auxiliary head, as torchvision builds it when weights
are given, so the stub must too)."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torchvision
from torchvision.models import detection, segmentation

BUILDERS: dict[str, Callable[[], torch.nn.Module]] = {
    "fasterrcnn_v2": lambda: detection.fasterrcnn_resnet50_fpn_v2(weights=None, weights_backbone=None),
    "deeplabv3": lambda: segmentation.deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, aux_loss=True),
    "maskrcnn": lambda: detection.maskrcnn_resnet50_fpn(weights=None, weights_backbone=None),
    "keypointrcnn": lambda: detection.keypointrcnn_resnet50_fpn(weights=None, weights_backbone=None),
    "lraspp": lambda: segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None),
    "ssdlite": lambda: detection.ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None),
    "resnet50": lambda: torchvision.models.resnet50(weights=None),
}


def untrained(name: str) -> torch.nn.Module:
    """Hub model ``name``'s network with seeded random weights (the same every call)."""
    torch.manual_seed(0)
    return BUILDERS[name]()
