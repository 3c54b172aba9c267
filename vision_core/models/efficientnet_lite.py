"""EfficientNet-Lite0 (Tan & Le 2019, the "Lite" variant for mobile), rebuilt in torch for the embedded weights.

TF layout rebuilt so the asset's 296 state_dict keys load unchanged. ReLU6 everywhere, no
squeeze-and-excitation, TensorFlow "SAME" padding (asymmetric for stride 2: the extra row/column goes
bottom/right), BatchNorm eps 1e-3. Input ``(N, 3, H, W)`` normalised RGB, output ``(N, 1000)`` logits.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from vision_core.assets import asset_path

__all__ = ["STAGES", "Conv2dSame", "EfficientNetLite0", "MBConv", "load_efficientnet_lite0"]

STAGES: tuple[tuple[int, int, int, int, int], ...] = (
    (1, 3, 1, 1, 16),
    (2, 3, 2, 6, 24),
    (2, 5, 2, 6, 40),
    (3, 3, 2, 6, 80),
    (3, 5, 1, 6, 112),
    (4, 5, 2, 6, 192),
    (1, 3, 1, 6, 320),
)
"""EfficientNet-Lite0 stages: (repeats, kernel, stride of the first block, expand ratio, output channels)."""

_BN_EPS = 1e-3
_BN_MOMENTUM = 0.01


class Conv2dSame(nn.Conv2d):
    """``nn.Conv2d`` with TensorFlow "SAME" padding computed from the input size.

    Output side = ceil(input / stride). The total padding ``max((out - 1)·s + k - in, 0)``
    is split with the smaller half top/left (TF's convention, asymmetric for stride 2).
    Stride 1 with an odd kernel pads (k − 1)/2 on every side, done inside the convolution.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kh, kw = self.kernel_size
        self._symmetric = self.stride == (1, 1) and kh % 2 == 1 and kw % 2 == 1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self._symmetric:
            kh, kw = self.kernel_size
            return F.conv2d(x, self.weight, self.bias, 1, (kh // 2, kw // 2), self.dilation, self.groups)
        ih, iw = x.shape[-2:]
        kh, kw = self.weight.shape[-2:]
        sh, sw = self.stride
        pad_h = max((math.ceil(ih / sh) - 1) * sh + kh - ih, 0)
        pad_w = max((math.ceil(iw / sw) - 1) * sw + kw - iw, 0)
        if pad_h or pad_w:
            x = F.pad(x, [pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2])
        return F.conv2d(x, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)


def _bn(channels: int) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(channels, eps=_BN_EPS, momentum=_BN_MOMENTUM)


class MBConv(nn.Module):
    """Mobile inverted bottleneck without squeeze-excite: 1×1 expand → k×k depthwise → 1×1 project (+ skip)."""

    def __init__(self, c_in: int, c_out: int, kernel: int, stride: int, expand: int) -> None:
        super().__init__()
        mid = c_in * expand
        self.has_expand = expand != 1
        if self.has_expand:
            self._expand_conv = Conv2dSame(c_in, mid, 1, bias=False)
            self._bn0 = _bn(mid)
            self._act0 = nn.ReLU6()
        self._depthwise_conv = Conv2dSame(mid, mid, kernel, stride=stride, groups=mid, bias=False)
        self._bn1 = _bn(mid)
        self._act1 = nn.ReLU6()
        self._project_conv = Conv2dSame(mid, c_out, 1, bias=False)
        self._bn2 = _bn(c_out)
        self.skip = stride == 1 and c_in == c_out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x
        if self.has_expand:
            y = self._act0(self._bn0(self._expand_conv(y)))
        y = self._act1(self._bn1(self._depthwise_conv(y)))
        y = self._bn2(self._project_conv(y))
        return y + x if self.skip else y


class EfficientNetLite0(nn.Module):
    """EfficientNet-Lite0: ``(N, 3, H, W)`` normalised RGB → ``(N, 1000)`` ImageNet logits.

    Module names follow the asset's state_dict: ``_conv_stem``, ``_bn0``, ``_blocks.0`` …
    ``_blocks.15``, ``_conv_head``, ``_bn1``, ``_fc``; the activations are separate
    modules (``_act_stem``, ``_act_head``) so hooks can read them.
    """

    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__()
        self._conv_stem = Conv2dSame(3, 32, 3, stride=2, bias=False)
        self._bn0 = _bn(32)
        self._act_stem = nn.ReLU6()
        blocks: list[nn.Module] = []
        c_in = 32
        for repeats, kernel, stride, expand, c_out in STAGES:
            for i in range(repeats):
                blocks.append(MBConv(c_in, c_out, kernel, stride if i == 0 else 1, expand))
                c_in = c_out
        self._blocks = nn.ModuleList(blocks)
        self._conv_head = Conv2dSame(c_in, 1280, 1, bias=False)
        self._bn1 = _bn(1280)
        self._act_head = nn.ReLU6()
        self._avg_pooling = nn.AdaptiveAvgPool2d(1)
        self._dropout = nn.Dropout(0.2)
        self._fc = nn.Linear(1280, num_classes)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, 3, H, W)`` → ``(N, 1280)`` pooled features (the input of the classifier)."""
        x = self._act_stem(self._bn0(self._conv_stem(x)))
        for block in self._blocks:
            x = block(x)
        x = self._act_head(self._bn1(self._conv_head(x)))
        return self._avg_pooling(x).flatten(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._fc(self._dropout(self.forward_features(x)))


def load_efficientnet_lite0(device: torch.device | str = "cpu") -> EfficientNetLite0:
    """EfficientNet-Lite0 with the embedded ImageNet weights, eval mode, on ``device``."""
    state = torch.load(asset_path("efficientnet_lite0"), map_location="cpu", weights_only=True)
    model = EfficientNetLite0()
    model.load_state_dict(state)
    return model.to(device).eval()


def activation_names(net: EfficientNetLite0) -> tuple[str, ...]:
    """The module names whose outputs ``activations`` can return, input to output."""
    return ("_act_stem", *(f"_blocks.{i}" for i in range(len(net._blocks))), "_act_head")


def activations(net: EfficientNetLite0, x: torch.Tensor, names: str | tuple[str, ...]) -> dict[str, torch.Tensor]:
    """Outputs of the named modules (``activation_names``) for input ``x``, running only as deep as needed.

    A plain forward pass, so the shared network needs no hook and no traced copy."""
    wanted = (names,) if isinstance(names, str) else tuple(names)
    order = activation_names(net)
    unknown = [n for n in wanted if n not in order]
    if unknown:
        raise ValueError(f"EfficientNet-Lite0 has no layer {unknown[0]!r}. Layers: {', '.join(order)}.")
    last = max(order.index(n) for n in wanted)
    out: dict[str, torch.Tensor] = {}
    x = net._act_stem(net._bn0(net._conv_stem(x)))
    if "_act_stem" in wanted:
        out["_act_stem"] = x
    for i, block in enumerate(net._blocks):
        if i + 1 > last:
            return out
        x = block(x)
        if f"_blocks.{i}" in wanted:
            out[f"_blocks.{i}"] = x
    if last == len(order) - 1:
        out["_act_head"] = net._act_head(net._bn1(net._conv_head(x)))
    return out
