"""Code export of an edited network: runnable PyTorch source that rebuilds it.

``export_code(layers, (C, H, W))`` writes the imports, the source of every block class the network uses (from
``vision_core.models.blocks``, which only uses ``torch`` and ``torch.nn``), ``model = nn.Sequential(OrderedDict(...))``
with the editor's layer names, and a ``__main__`` check that runs a ``(1, C, H, W)`` zero input and prints the
output shape and the parameter count.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from vision_core.errors import BadInput
from vision_core.models import blocks

from .editor import EditLayer, build
from .summary import validate_size

__all__ = ["export_code"]

def export_code(layers: list[EditLayer], input_size: tuple[int, int, int]) -> str:
    """Runnable PyTorch source for the network: imports, the block classes it uses, ``model = nn.Sequential(...)``
    and a shape check on a ``(1, C, H, W)`` input. ``BadInput`` when the network does not run."""
    with torch.device("meta"):
        model = build(layers, input_size)
    needed: list[type] = []
    for m in model.modules():
        cls = type(m)
        if cls.__module__ == blocks.__name__ and cls not in needed:
            needed.append(cls)
    if blocks.DenseBlock in needed and blocks.DenseLayer not in needed:
        needed.insert(needed.index(blocks.DenseBlock), blocks.DenseLayer)
    classes = [inspect.getsource(cls) for cls in sorted(needed, key=lambda c: inspect.getsourcelines(c)[1])]
    lines = ["from collections import OrderedDict", "", "import torch", "from torch import nn", "", ""]
    for src in classes:
        lines += [src.rstrip(), "", ""]
    lines.append("model = nn.Sequential(OrderedDict([")
    for name, mod in model.named_children():
        lines.append(f"    ({name!r}, {_ctor(mod)}),")
    lines.append("]))")
    c, h, w = validate_size(input_size)
    lines += ["", "", "if __name__ == \"__main__\":",
              f"    x = torch.zeros(1, {c}, {h}, {w})",
              "    print(model(x).shape, sum(p.numel() for p in model.parameters()), \"parameters\")", ""]
    return "\n".join(lines)


def _no_bias(m: nn.Module) -> str:
    return "" if m.bias is not None else ", bias=False"


def _norm(name: str) -> Callable[[nn.Module], str]:
    return lambda m: f"nn.{name}({m.num_features})"


def _pool(name: str) -> Callable[[nn.Module], str]:
    return lambda m: f"nn.{name}({m.kernel_size}, stride={m.stride}, padding={m.padding})"


def _residual(m: blocks.ResidualBlock) -> str:
    shortcut = "pad" if m.downsample is None and m.pad else "projection"
    return f"ResidualBlock({m.conv1.in_channels}, {m.conv1.out_channels}, {m.stride}, {shortcut!r})"


def _dense(m: blocks.DenseBlock) -> str:
    first = m.layers[0]
    return f"DenseBlock({first.norm1.num_features}, {len(m.layers)}, {first.conv2.out_channels})"


def _inception(m: blocks.InceptionBlock) -> str:
    widths = [m.branch1[0].out_channels, m.branch3[0][0].out_channels, m.branch3[1][0].out_channels,
              m.branch5[0][0].out_channels, m.branch5[1][0].out_channels, m.branch_pool[1][0].out_channels]
    return f"InceptionBlock({m.branch1[0].in_channels}, {', '.join(map(str, widths))})"


_CONSTRUCTORS: tuple[tuple[type[nn.Module], Callable[[Any], str]], ...] = (
    (nn.Conv2d, lambda m: f"nn.Conv2d({m.in_channels}, {m.out_channels}, {m.kernel_size[0]}, stride={m.stride[0]}, "
                          f"padding={m.padding[0]}{_no_bias(m)})"),
    (nn.Linear, lambda m: f"nn.Linear({m.in_features}, {m.out_features}{_no_bias(m)})"),
    (nn.BatchNorm2d, _norm("BatchNorm2d")),
    (nn.BatchNorm1d, _norm("BatchNorm1d")),
    (nn.ReLU, lambda m: "nn.ReLU(inplace=True)"),
    (nn.Tanh, lambda m: "nn.Tanh()"),
    (nn.MaxPool2d, _pool("MaxPool2d")),
    (nn.AvgPool2d, _pool("AvgPool2d")),
    (nn.AdaptiveAvgPool2d, lambda m: f"nn.AdaptiveAvgPool2d({m.output_size})"),
    (nn.Flatten, lambda m: "nn.Flatten()"),
    (nn.Dropout, lambda m: f"nn.Dropout({m.p})"),
    (blocks.ResidualBlock, _residual),
    (blocks.BottleneckBlock, lambda m: f"BottleneckBlock({m.conv1.in_channels}, {m.conv3.out_channels}, "
                                       f"{m.conv2.stride[0]})"),
    (blocks.DenseBlock, _dense),
    (blocks.Transition, lambda m: f"Transition({m.conv.in_channels}, {m.conv.out_channels})"),
    (blocks.InceptionBlock, _inception),
)
"""How each exportable layer is written back as a constructor call, tried in order (the first class that
``isinstance`` matches)."""


def _ctor(m: nn.Module) -> str:
    for cls, write in _CONSTRUCTORS:
        if isinstance(m, cls):
            return write(m)
    raise BadInput(f"Cannot export a {type(m).__name__}.")
