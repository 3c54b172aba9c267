"""Building blocks and small networks that torchvision does not ship.

- ``ResidualBlock``: the basic residual block F(x) + x (two 3×3 convolutions), with a 1×1
  projection shortcut (``shortcut="projection"``, torchvision's ResNet-18/34) or the CIFAR paper's
  parameter-free shortcut (``shortcut="pad"``, option A: subsample by the stride, pad channels with zeros).
- ``InceptionBlock``: GoogLeNet's inception module as in the paper's Table 1 (1×1, 1×1→3×3, 1×1→5×5, pool→1×1).
- ``BottleneckBlock``: 1×1 reduce → 3×3 (stride here, torchvision's v1.5) → 1×1 expand, + shortcut.
- ``DenseBlock`` / ``Transition``: DenseNet's dense block (each layer BN-ReLU-1×1(4k)-BN-ReLU-3×3(k),
  concatenated, so channels grow by the growth rate k per layer) and transition layer (BN-ReLU-1×1-avgpool 2).
- ``cifar_resnet(n)``: the 6n+2-layer CIFAR ResNet of He et al. (ResNet-56: n=9, ResNet-110: n=18).
- ``UNet``: a small U-Net (Ronneberger 2015) with padded 3×3 convolutions, so output H×W = input H×W.

Every class only uses ``torch`` and ``torch.nn``, so its source can be exported as runnable code.
"""

from __future__ import annotations

import torch
from torch import nn

from vision_core.errors import BadInput

__all__ = ["BottleneckBlock", "DenseBlock", "InceptionBlock", "ResidualBlock", "Transition", "UNet", "cifar_resnet"]


class ResidualBlock(nn.Module):
    """Basic residual block: ``relu(F(x) + shortcut(x))``, ``(N, C_in, H, W)`` → ``(N, C_out, H/s, W/s)``."""

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1, shortcut: str = "projection") -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.stride = stride
        self.pad = 0
        self.downsample: nn.Module | None = None
        if stride != 1 or in_channels != out_channels:
            if shortcut == "pad":
                self.pad = out_channels - in_channels
            else:
                self.downsample = nn.Sequential(
                    nn.Conv2d(in_channels, out_channels, 1, stride, bias=False), nn.BatchNorm2d(out_channels)
                )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        else:
            identity = x[:, :, :: self.stride, :: self.stride] if self.stride != 1 else x
            if self.pad:
                identity = nn.functional.pad(identity, (0, 0, 0, 0, self.pad // 2, self.pad - self.pad // 2))
        return self.relu(out + identity)


class InceptionBlock(nn.Module):
    """GoogLeNet's inception module with dimension reductions, as in the paper (Szegedy et al. 2014, Table 1):
    four branches on the same ``(N, C_in, H, W)`` input, concatenated to ``(N, c1 + c3 + c5 + pool_proj, H, W)``:
    1×1 → ``c1``; 1×1 → ``r3`` then 3×3 → ``c3``; 1×1 → ``r5`` then 5×5 → ``c5``; 3×3 max pool then 1×1 →
    ``pool_proj``. Every convolution has a bias and a ReLU (no batch norm)."""

    def __init__(self, in_channels: int, c1: int, r3: int, c3: int, r5: int, c5: int, pool_proj: int) -> None:
        super().__init__()

        def conv(cin: int, cout: int, k: int) -> nn.Sequential:
            return nn.Sequential(nn.Conv2d(cin, cout, k, padding=k // 2), nn.ReLU(inplace=True))

        self.branch1 = conv(in_channels, c1, 1)
        self.branch3 = nn.Sequential(conv(in_channels, r3, 1), conv(r3, c3, 3))
        self.branch5 = nn.Sequential(conv(in_channels, r5, 1), conv(r5, c5, 5))
        self.branch_pool = nn.Sequential(nn.MaxPool2d(3, 1, 1), conv(in_channels, pool_proj, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.branch1(x), self.branch3(x), self.branch5(x), self.branch_pool(x)], 1)


class BottleneckBlock(nn.Module):
    """Bottleneck residual block: 1×1 to ``out/4`` → 3×3 (stride) → 1×1 to ``out``, plus a projection shortcut."""

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1) -> None:
        super().__init__()
        width = out_channels // 4
        self.conv1 = nn.Conv2d(in_channels, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, out_channels, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.downsample: nn.Module | None = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride, bias=False), nn.BatchNorm2d(out_channels)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        identity = self.downsample(x) if self.downsample is not None else x
        return self.relu(out + identity)


class DenseLayer(nn.Module):
    """BN-ReLU-1×1 conv (``bn_size·growth``) → BN-ReLU-3×3 conv (``growth``); returns only the new ``growth`` maps."""

    def __init__(self, in_channels: int, growth: int, bn_size: int = 4) -> None:
        super().__init__()
        self.norm1 = nn.BatchNorm2d(in_channels)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(in_channels, bn_size * growth, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(bn_size * growth, growth, 3, 1, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv2(self.relu2(self.norm2(self.conv1(self.relu1(self.norm1(x))))))


class DenseBlock(nn.Module):
    """``layers`` dense layers; each sees the concatenation of all earlier maps. ``C_in`` → ``C_in + layers·growth``."""

    def __init__(self, in_channels: int, layers: int, growth: int, bn_size: int = 4) -> None:
        super().__init__()
        self.layers = nn.ModuleList(DenseLayer(in_channels + i * growth, growth, bn_size) for i in range(layers))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features = [x]
        for layer in self.layers:
            features.append(layer(torch.cat(features, 1)))
        return torch.cat(features, 1)


class Transition(nn.Module):
    """DenseNet transition: BN-ReLU-1×1 conv to ``out_channels`` then 2×2 average pooling (H, W halve)."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.norm = nn.BatchNorm2d(in_channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(in_channels, out_channels, 1, bias=False)
        self.pool = nn.AvgPool2d(2, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(self.conv(self.relu(self.norm(x))))


class CifarResNet(nn.Module):
    """He et al.'s CIFAR-10 ResNet: 3×3 conv (16) → 3 stages of ``n`` residual blocks (16, 32, 64 channels,
    parameter-free shortcuts) → global average pool → FC 10. ``6n + 2`` weighted layers, input ``(N, 3, 32, 32)``."""

    def __init__(self, n: int, num_classes: int = 10) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU(inplace=True)
        stages = []
        in_c = 16
        for out_c, stride in ((16, 1), (32, 2), (64, 2)):
            blocks = [ResidualBlock(in_c, out_c, stride, "pad")]
            blocks += [ResidualBlock(out_c, out_c, 1, "pad") for _ in range(n - 1)]
            stages.append(nn.Sequential(*blocks))
            in_c = out_c
        self.layer1, self.layer2, self.layer3 = stages
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def cifar_resnet(depth: int) -> CifarResNet:
    """The CIFAR ResNet with ``depth = 6n + 2`` layers (20, 32, 44, 56, 110, …)."""
    if depth < 8 or (depth - 2) % 6:
        raise BadInput(f"A CIFAR ResNet has 6n+2 layers (20, 32, 44, 56, 110 …); {depth} is not of that form.")
    return CifarResNet((depth - 2) // 6)


class DoubleConv(nn.Sequential):
    """Two padded 3×3 conv → BN → ReLU; H×W unchanged."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__(
            nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False), nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False), nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True),
        )


class UpBlock(nn.Module):
    """2×2 transposed conv (×2 upsampling, halves channels), concatenate the skip connection, DoubleConv."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, 2, stride=2)
        self.conv = DoubleConv(in_channels // 2 + out_channels, out_channels)

    def forward(self, x: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        return self.conv(torch.cat([skip, self.up(x)], 1))


class UNet(nn.Module):
    """A small U-Net: encoder of ``depth`` max-pool stages (channels ``base·2^i``), decoder with skip
    concatenations, 1×1 conv to ``num_classes``. ``(N, C, H, W)`` → ``(N, num_classes, H, W)``; H, W divisible by 2^depth."""

    def __init__(self, in_channels: int = 3, num_classes: int = 2, base: int = 32, depth: int = 4) -> None:
        super().__init__()
        widths = [base * 2**i for i in range(depth + 1)]
        self.inc = DoubleConv(in_channels, widths[0])
        self.pool = nn.MaxPool2d(2)
        self.down = nn.ModuleList(DoubleConv(widths[i], widths[i + 1]) for i in range(depth))
        self.up = nn.ModuleList(UpBlock(widths[i + 1], widths[i]) for i in reversed(range(depth)))
        self.head = nn.Conv2d(widths[0], num_classes, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skips = [self.inc(x)]
        for block in self.down:
            skips.append(block(self.pool(skips[-1])))
        x = skips.pop()
        for block in self.up:
            x = block(x, skips.pop())
        return self.head(x)
