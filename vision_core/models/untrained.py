"""Untrained network architectures, for counting shapes, parameters and multiply-adds (never for inference).

- ``torchvision_architecture(builder, **kwargs)``: a zero-argument function that builds torchvision's
  ``builder`` (``"resnet50"``, ``"googlenet"`` …) with ``weights=None``: random weights, nothing downloaded.
  Call it under ``torch.device("meta")`` to allocate no memory at all.
- ``fasterrcnn_resnet50_fpn_v1()``: torchvision's Faster R-CNN ResNet-50 FPN (v1) with a ResNet-50 backbone
  whose batch norms are frozen and whose ``conv1``/``layer1`` are not trainable (``trainable_layers=3``), as in
  torchvision's recipe, with random weights and no backbone download.

These are the networks of the architecture explorer; pretrained models come from the registry (``get_model``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from torch import nn

__all__ = ["fasterrcnn_resnet50_fpn_v1", "torchvision_architecture"]


def torchvision_architecture(builder: str, **kwargs: Any) -> Callable[[], nn.Module]:
    """A builder of torchvision's ``builder`` network with random weights (``weights=None``) and ``kwargs``."""

    def build() -> nn.Module:
        from torchvision.models import get_model as torchvision_get_model

        return torchvision_get_model(builder, weights=None, **kwargs)

    build.__name__ = f"untrained_{builder}"
    return build


def fasterrcnn_resnet50_fpn_v1() -> nn.Module:
    """Faster R-CNN ResNet-50 FPN v1 (91 COCO classes), random weights, frozen batch norm, conv1/layer1 frozen."""
    from torchvision.models import resnet50
    from torchvision.models.detection import FasterRCNN
    from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
    from torchvision.ops.misc import FrozenBatchNorm2d

    backbone = _resnet_fpn_extractor(resnet50(weights=None, norm_layer=FrozenBatchNorm2d), 3)
    return FasterRCNN(backbone, num_classes=91)
