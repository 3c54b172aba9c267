"""Networks the what-if editor starts from, as layer lists (``EditLayer``), and the lecture's pattern.

- ``EDIT_PRESETS`` / ``preset(name)``: LeNet-5 (and its Keras variant), AlexNet, VGG-11…19 (with or without batch
  norm), ResNet-18/34/50, the CIFAR ResNet-56/110, DenseNet-121 and GoogLeNet, each ``(input (C, H, W), layers)``.
  Their parameter counts and MACs equal torchvision's (and the catalogue's summaries), except GoogLeNet's, which
  follows the paper's Table 1 (``GOOGLENET_INCEPTION``: 7.0M parameters, 1.58G MACs).
- ``lecture_pattern(n, m, k)``: INPUT → [[CONV → RELU]·N → POOL?]·M → [FC → RELU]·K → FC.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

from vision_core.checks import check_choice
from vision_core.errors import BadInput

from .editor import MAX_EDIT_LAYERS, EditLayer

__all__ = ["EDIT_PRESETS", "GOOGLENET_INCEPTION", "lecture_pattern", "preset"]

def _conv(out: int, k: int, s: int = 1, p: int = 0, bias: bool = True, in_: int = 0) -> EditLayer:
    return EditLayer("conv", out, k, s, p, bias=bias, in_=in_)


def _vgg(cfg: list[int | str], bn: bool = False) -> list[EditLayer]:
    layers: list[EditLayer] = []
    c = 3
    for v in cfg:
        if v == "M":
            layers.append(EditLayer("maxpool", kernel=2, stride=2))
        else:
            layers.append(_conv(int(v), 3, 1, 1, in_=c))
            if bn:
                layers.append(EditLayer("bn", in_=int(v)))
            layers.append(EditLayer("relu"))
            c = int(v)
    return layers + [EditLayer("adaptiveavg", 7), EditLayer("flatten"), EditLayer("fc", 4096, in_=512 * 49), EditLayer("relu"),
                     EditLayer("dropout"), EditLayer("fc", 4096, in_=4096), EditLayer("relu"), EditLayer("dropout"),
                     EditLayer("fc", 1000, in_=4096)]


_VGG_CFG: dict[int, list[int | str]] = {
    11: [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    13: [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    16: [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    19: [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}


def _resnet(kind: str, counts: tuple[int, ...], widths: tuple[int, ...], classes: int = 1000, cifar: bool = False) -> list[EditLayer]:
    if cifar:
        layers = [_conv(16, 3, 1, 1, bias=False, in_=3), EditLayer("bn", in_=16), EditLayer("relu")]
        c = 16
    else:
        layers = [_conv(64, 7, 2, 3, bias=False, in_=3), EditLayer("bn", in_=64), EditLayer("relu"),
                  EditLayer("maxpool", kernel=3, stride=2, padding=1)]
        c = 64
    for stage, (n, width) in enumerate(zip(counts, widths, strict=True)):
        for i in range(n):
            layers.append(EditLayer(kind, width, stride=2 if stage > 0 and i == 0 else 1, in_=c))
            c = width
    return layers + [EditLayer("adaptiveavg", 1), EditLayer("flatten"), EditLayer("fc", classes, in_=c)]


def _densenet(blocks: tuple[int, ...], growth: int = 32, init: int = 64) -> list[EditLayer]:
    layers = [_conv(init, 7, 2, 3, bias=False, in_=3), EditLayer("bn", in_=init), EditLayer("relu"),
              EditLayer("maxpool", kernel=3, stride=2, padding=1)]
    c = init
    for i, n in enumerate(blocks):
        layers.append(EditLayer("dense", layers=n, growth=growth, in_=c))
        c += n * growth
        if i < len(blocks) - 1:
            layers.append(EditLayer("transition", c // 2, in_=c))
            c //= 2
    return layers + [EditLayer("bn", in_=c), EditLayer("relu"), EditLayer("adaptiveavg", 1), EditLayer("flatten"),
                     EditLayer("fc", 1000, in_=c)]


def _lenet(keras: bool) -> list[EditLayer]:
    k = 3 if keras else 5
    flat = 16 * 6 * 6 if keras else 16 * 5 * 5
    return [_conv(6, k, in_=1), EditLayer("relu"), EditLayer("avgpool", kernel=2, stride=2),
            _conv(16, k, in_=6), EditLayer("relu"), EditLayer("avgpool", kernel=2, stride=2), EditLayer("flatten"),
            EditLayer("fc", 120, in_=flat), EditLayer("relu"), EditLayer("fc", 84, in_=120), EditLayer("relu"),
            EditLayer("fc", 10, in_=84)]


GOOGLENET_INCEPTION: dict[str, tuple[int, int, int, int, int, int]] = {
    "3a": (64, 96, 128, 16, 32, 32), "3b": (128, 128, 192, 32, 96, 64),
    "4a": (192, 96, 208, 16, 48, 64), "4b": (160, 112, 224, 24, 64, 64), "4c": (128, 128, 256, 24, 64, 64),
    "4d": (112, 144, 288, 32, 64, 64), "4e": (256, 160, 320, 32, 128, 128),
    "5a": (256, 160, 320, 32, 128, 128), "5b": (384, 192, 384, 48, 128, 128),
}
"""GoogLeNet's inception widths (Szegedy et al. 2014, Table 1): #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj."""


def _googlenet() -> list[EditLayer]:
    pool = EditLayer("maxpool", kernel=3, stride=2, padding=1)
    layers = [_conv(64, 7, 2, 3, in_=3), EditLayer("relu"), pool, _conv(64, 1, in_=64), EditLayer("relu"),
              _conv(192, 3, 1, 1, in_=64), EditLayer("relu"), pool]
    c = 192
    for stage in ("3", "4", "5"):
        for name, widths in GOOGLENET_INCEPTION.items():
            if name.startswith(stage):
                layers.append(EditLayer("inception", branches=widths, in_=c))
                c = widths[0] + widths[2] + widths[4] + widths[5]
        if stage != "5":
            layers.append(pool)
    return layers + [EditLayer("adaptiveavg", 1), EditLayer("flatten"), EditLayer("dropout"),
                     EditLayer("fc", 1000, in_=c)]


def _alexnet() -> list[EditLayer]:
    return [_conv(64, 11, 4, 2, in_=3), EditLayer("relu"), EditLayer("maxpool", kernel=3, stride=2),
            _conv(192, 5, 1, 2, in_=64), EditLayer("relu"), EditLayer("maxpool", kernel=3, stride=2),
            _conv(384, 3, 1, 1, in_=192), EditLayer("relu"), _conv(256, 3, 1, 1, in_=384), EditLayer("relu"),
            _conv(256, 3, 1, 1, in_=256), EditLayer("relu"), EditLayer("maxpool", kernel=3, stride=2),
            EditLayer("adaptiveavg", 6), EditLayer("flatten"), EditLayer("dropout"), EditLayer("fc", 4096, in_=9216),
            EditLayer("relu"), EditLayer("dropout"), EditLayer("fc", 4096, in_=4096), EditLayer("relu"),
            EditLayer("fc", 1000, in_=4096)]


EDIT_PRESETS: dict[str, tuple[tuple[int, int, int], Callable[[], list[EditLayer]]]] = {
    "lenet5": ((1, 32, 32), lambda: _lenet(False)),
    "lenet5_keras": ((1, 32, 32), lambda: _lenet(True)),
    "alexnet": ((3, 224, 224), _alexnet),
    **{f"vgg{d}": ((3, 224, 224), (lambda d=d: _vgg(_VGG_CFG[d]))) for d in (11, 13, 16, 19)},
    **{f"vgg{d}_bn": ((3, 224, 224), (lambda d=d: _vgg(_VGG_CFG[d], bn=True))) for d in (11, 13, 16, 19)},
    "resnet18": ((3, 224, 224), lambda: _resnet("residual", (2, 2, 2, 2), (64, 128, 256, 512))),
    "resnet34": ((3, 224, 224), lambda: _resnet("residual", (3, 4, 6, 3), (64, 128, 256, 512))),
    "resnet50": ((3, 224, 224), lambda: _resnet("bottleneck", (3, 4, 6, 3), (256, 512, 1024, 2048))),
    "resnet56_cifar": ((3, 32, 32), lambda: _resnet("residual-pad", (9, 9, 9), (16, 32, 64), 10, cifar=True)),
    "resnet110_cifar": ((3, 32, 32), lambda: _resnet("residual-pad", (18, 18, 18), (16, 32, 64), 10, cifar=True)),
    "densenet121": ((3, 224, 224), lambda: _densenet((6, 12, 24, 16))),
    "googlenet": ((3, 224, 224), _googlenet),
}
"""Networks the editor can start from: name → (input size, layer list). Their parameter counts equal torchvision's,
but GoogLeNet's, which follows the paper's Table 1 (no batch norm, real 5×5 branches, no LRN or auxiliary heads;
torchvision's ``googlenet`` adds batch norm and uses 3×3 in the "5×5" branch)."""


def preset(name: str) -> tuple[tuple[int, int, int], list[EditLayer]]:
    """``(input_size, layers)`` of an editor preset (see ``EDIT_PRESETS``)."""
    size, make = EDIT_PRESETS[check_choice(name, EDIT_PRESETS, "editor preset")]
    return size, make()


def lecture_pattern(n: int = 2, m: int = 2, k: int = 1, conv_width: int = 32, fc_width: int = 128, pool: bool = True,
                    classes: int = 10, double: bool = True) -> list[EditLayer]:
    """INPUT → [[CONV → RELU]·N → POOL?]·M → [FC → RELU]·K → FC, with 3×3 'same' convolutions and 2×2 max pooling.
    Channels start at ``conv_width`` and double after each pool when ``double`` (VGG's rule)."""
    for label, v, lo in (("N", n, 1), ("M", m, 1), ("K", k, 0), ("conv width", conv_width, 1), ("FC width", fc_width, 1),
                         ("classes", classes, 1)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v) or int(v) != v or v < lo:
            raise BadInput(f"{label} must be a whole number of at least {lo}, got {v}.")
    n, m, k, conv_width, fc_width, classes = int(n), int(m), int(k), int(conv_width), int(fc_width), int(classes)
    count = m * (2 * n + int(bool(pool))) + 2 * k + 2
    if count > MAX_EDIT_LAYERS:
        raise BadInput(f"That pattern has {count:,} layers, more than the editor takes (at most {MAX_EDIT_LAYERS}).")
    layers: list[EditLayer] = []
    width = conv_width
    for _ in range(m):
        for _ in range(n):
            layers += [_conv(width, 3, 1, 1), EditLayer("relu")]
        if pool:
            layers.append(EditLayer("maxpool", kernel=2, stride=2))
        if double:
            width *= 2
    layers.append(EditLayer("flatten"))
    for _ in range(k):
        layers += [EditLayer("fc", fc_width), EditLayer("relu")]
    return layers + [EditLayer("fc", classes)]
