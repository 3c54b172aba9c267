"""Segmenters: MediaPipe's selfie segmentation (embedded TFLite) and torchvision's VOC and COCO models.

Registers ``selfie`` (256×256) and ``selfie_landscape`` (256 wide × 144 high), person/background
probabilities; with hub weights DeepLabV3 MobileNetV3-Large, FCN ResNet-50 and LR-ASPP (21 Pascal VOC
classes) and Mask R-CNN ResNet-50 FPN (COCO instances).
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from vision_core.assets import MANIFEST
from vision_core.models._api import ModelSpec, Task, register, torchvision_spec
from vision_core.models.tflite import TfliteModel, load_tflite
from vision_core.models.transforms import ShorterSideNormalize, Stretch, ToUnitTensor

__all__ = ["SELFIE_CLASSES", "SEMANTIC_MODELS", "TORCHVISION_SEMANTIC"]

SELFIE_CLASSES: tuple[str, ...] = ("background", "person")
SEMANTIC_MODELS: tuple[str, ...] = ("selfie", "selfie_landscape", "deeplabv3", "fcn_resnet50", "lraspp")
TORCHVISION_SEMANTIC: tuple[str, ...] = ("deeplabv3", "fcn_resnet50", "lraspp")


def _load_selfie(asset: str) -> Callable[[torch.device], TfliteModel]:
    def load(device: torch.device) -> TfliteModel:
        return load_tflite(asset)

    return load


_MP = MANIFEST["selfie_segmentation"]
for _name, _asset, _title, _w, _h in (
    ("selfie", "selfie_segmentation", "MediaPipe selfie segmentation (256×256)", 256, 256),
    ("selfie_landscape", "selfie_segmentation_landscape", "MediaPipe selfie segmentation, landscape (144×256)", 256, 144),
):
    register(
        ModelSpec(
            name=_name, task=Task.SEGMENTATION, title=_title, loader=_load_selfie(_asset), assets=(_asset,),
            preprocessing=Stretch(_w, _h, 0.0, 1.0), classes=SELFIE_CLASSES, licence=_MP.licence,
            citation=_MP.citation, thread_safe=False,
        )
    )
for _name, _title, _builder, _enum in (
    ("deeplabv3", "DeepLabV3 MobileNetV3-Large (VOC 21)", "deeplabv3_mobilenet_v3_large", "DeepLabV3_MobileNet_V3_Large_Weights"),
    ("fcn_resnet50", "FCN ResNet-50 (VOC 21)", "fcn_resnet50", "FCN_ResNet50_Weights"),
    ("lraspp", "LR-ASPP MobileNetV3-Large (VOC 21)", "lraspp_mobilenet_v3_large", "LRASPP_MobileNet_V3_Large_Weights"),
):
    register(torchvision_spec(_name, Task.SEGMENTATION, _title, _builder, _enum, preprocessing=ShorterSideNormalize(520)))
register(torchvision_spec("maskrcnn", Task.INSTANCE_SEGMENTATION, "Mask R-CNN ResNet-50 FPN (COCO)",
                          "maskrcnn_resnet50_fpn", "MaskRCNN_ResNet50_FPN_Weights", preprocessing=ToUnitTensor()))
