"""The networks the architecture explorer opens: name → builder, default input ``(C, H, W)``, family.

Every entry builds a fresh, untrained network (random weights, nothing downloaded); ``meta_device`` says whether
it can run on PyTorch's ``meta`` device (no memory allocated). The two Faster R-CNN detectors cannot (their NMS
output size depends on the data) and run on the CPU with a blank image; ``list_input`` marks networks that take a
list of ``(C, H, W)`` images instead of a batch tensor. ``torchvision`` names the torchvision builder whose weights'
metadata (parameters, GMACs, accuracy) the explorer compares with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from torch import nn

from vision_core.checks import check_choice
from vision_core.models import blocks
from vision_core.models.lenet import lenet5
from vision_core.models.untrained import fasterrcnn_resnet50_fpn_v1
from vision_core.models.untrained import torchvision_architecture as _tv

__all__ = ["TRAIN_MODE", "NetworkInfo", "available", "info"]

TRAIN_MODE = frozenset({"googlenet_aux"})
"""Networks summarised in training mode (so their auxiliary heads run)."""


@dataclass(frozen=True)
class NetworkInfo:
    """A network the explorer can open: its builder, default input ``(C, H, W)`` and family."""

    name: str
    title: str
    family: str
    input_size: tuple[int, int, int]
    build: Callable[[], nn.Module] = field(repr=False)
    meta_device: bool = True
    list_input: bool = False
    torchvision: str = ""
    note: str = ""


def _catalog() -> dict[str, NetworkInfo]:
    nets: list[NetworkInfo] = [
        NetworkInfo("lenet5", "LeNet-5 (lecture)", "LeNet", (1, 32, 32), lambda: lenet5("lecture")),
        NetworkInfo("lenet5_keras", "LeNet-5 (lecture's Keras variant, 3×3)", "LeNet", (1, 32, 32), lambda: lenet5("keras")),
        NetworkInfo("alexnet", "AlexNet", "AlexNet", (3, 224, 224), _tv("alexnet"), torchvision="alexnet"),
    ]
    for depth in (11, 13, 16, 19):
        for bn in ("", "_bn"):
            name = f"vgg{depth}{bn}"
            title = f"VGG-{depth}" + (" with batch norm" if bn else "")
            nets.append(NetworkInfo(name, title, "VGG", (3, 224, 224), _tv(name), torchvision=name))
    nets += [
        NetworkInfo("googlenet", "GoogLeNet (Inception v1)", "Inception", (3, 224, 224),
                    _tv("googlenet", aux_logits=False, init_weights=True), torchvision="googlenet",
                    note="Built without the two auxiliary classifiers, like torchvision's released weights; "
                         "see googlenet_aux for the training-time network."),
        NetworkInfo("googlenet_aux", "GoogLeNet with auxiliary classifiers (training mode)", "Inception",
                    (3, 224, 224), _tv("googlenet", aux_logits=True, init_weights=True),
                    note="Summarised in training mode so the auxiliary outputs run; they are dropped after training."),
        NetworkInfo("inception_v3", "Inception v3", "Inception", (3, 299, 299),
                    _tv("inception_v3", aux_logits=True, init_weights=True), torchvision="inception_v3",
                    note="Evaluation mode: the auxiliary classifier (AuxLogits) holds parameters but does not run."),
    ]
    for depth in (18, 34, 50, 101, 152):
        nets.append(NetworkInfo(f"resnet{depth}", f"ResNet-{depth}", "ResNet", (3, 224, 224), _tv(f"resnet{depth}"),
                                torchvision=f"resnet{depth}"))
    nets += [
        NetworkInfo("resnet56_cifar", "ResNet-56 (CIFAR, 6n+2, n=9)", "ResNet", (3, 32, 32), lambda: blocks.cifar_resnet(56)),
        NetworkInfo("resnet110_cifar", "ResNet-110 (CIFAR, 6n+2, n=18)", "ResNet", (3, 32, 32), lambda: blocks.cifar_resnet(110)),
    ]
    for depth in (121, 169, 201):
        nets.append(NetworkInfo(f"densenet{depth}", f"DenseNet-{depth}", "DenseNet", (3, 224, 224), _tv(f"densenet{depth}"),
                                torchvision=f"densenet{depth}"))
    nets += [
        NetworkInfo("mobilenet_v2", "MobileNet v2", "MobileNet", (3, 224, 224), _tv("mobilenet_v2"), torchvision="mobilenet_v2"),
        NetworkInfo("mobilenet_v3_small", "MobileNet v3 small", "MobileNet", (3, 224, 224), _tv("mobilenet_v3_small"),
                    torchvision="mobilenet_v3_small"),
        NetworkInfo("mobilenet_v3_large", "MobileNet v3 large", "MobileNet", (3, 224, 224), _tv("mobilenet_v3_large"),
                    torchvision="mobilenet_v3_large"),
        NetworkInfo("efficientnet_b0", "EfficientNet-B0", "EfficientNet", (3, 224, 224), _tv("efficientnet_b0"),
                    torchvision="efficientnet_b0"),
        NetworkInfo("fasterrcnn_resnet50_fpn", "Faster R-CNN ResNet-50 FPN (detection)", "Detection", (3, 224, 224),
                    fasterrcnn_resnet50_fpn_v1, meta_device=False, list_input=True, torchvision="fasterrcnn_resnet50_fpn",
                    note="Runs on the CPU with a blank image (NMS's output size depends on the data, so the meta device "
                         "cannot run it); the image is resized to 800×800 inside the model. The box head is counted for "
                         "the RPN's full 1000 proposals (its NMS set to keep every box), as torchvision's figure is. "
                         "Backbone conv1 and layer1 are frozen, as in torchvision's training recipe."),
        NetworkInfo("fasterrcnn_resnet50_fpn_v2", "Faster R-CNN ResNet-50 FPN v2 (detection)", "Detection", (3, 224, 224),
                    _tv("fasterrcnn_resnet50_fpn_v2", weights_backbone=None), meta_device=False, list_input=True,
                    torchvision="fasterrcnn_resnet50_fpn_v2",
                    note="Runs on the CPU with a blank image (NMS needs real data); resized to 800×800 inside the model. "
                         "The box head is counted for the RPN's full 1000 proposals, as torchvision's figure is."),
        NetworkInfo("fcn_resnet50", "FCN ResNet-50 (segmentation)", "Segmentation", (3, 520, 520),
                    _tv("fcn_resnet50", weights_backbone=None, aux_loss=True, num_classes=21), torchvision="fcn_resnet50"),
        NetworkInfo("deeplabv3_resnet50", "DeepLabV3 ResNet-50 (segmentation)", "Segmentation", (3, 520, 520),
                    _tv("deeplabv3_resnet50", weights_backbone=None, aux_loss=True, num_classes=21),
                    torchvision="deeplabv3_resnet50"),
        NetworkInfo("unet", "U-Net (small, base 32, 4 levels)", "Segmentation", (3, 256, 256), lambda: blocks.UNet()),
    ]
    return {n.name: n for n in nets}


CATALOG: dict[str, NetworkInfo] = _catalog()
"""Every network of the explorer by name, in course order (LeNet-5 → DenseNet → beyond)."""


def available() -> list[str]:
    """Names of every network the explorer opens, in course order (LeNet-5 → DenseNet → beyond)."""
    return list(CATALOG)


def info(name: str) -> NetworkInfo:
    """The catalogue entry for ``name``; ``BadInput`` listing the networks for an unknown name."""
    return CATALOG[check_choice(name, CATALOG, "network")]
