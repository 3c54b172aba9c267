"""Code export of an edited network: runnable PyTorch source that rebuilds it.

``export_code(layers, (C, H, W))`` writes the imports, the source of every block class the network uses (from
``vision_core.models.blocks``, which only uses ``torch`` and ``torch.nn``), ``model = nn.Sequential(OrderedDict(...))``
with the editor's layer names, and a ``__main__`` check that runs a ``(1, C, H, W)`` zero input and prints the
output shape and the parameter count.
"""

from __future__ import annotations

import inspect

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


def _ctor(m: nn.Module) -> str:
    if isinstance(m, nn.Conv2d):
        bias = "" if m.bias is not None else ", bias=False"
        return (f"nn.Conv2d({m.in_channels}, {m.out_channels}, {m.kernel_size[0]}, stride={m.stride[0]}, "
                f"padding={m.padding[0]}{bias})")
    if isinstance(m, nn.Linear):
        return f"nn.Linear({m.in_features}, {m.out_features}{'' if m.bias is not None else ', bias=False'})"
    if isinstance(m, nn.BatchNorm2d):
        return f"nn.BatchNorm2d({m.num_features})"
    if isinstance(m, nn.BatchNorm1d):
        return f"nn.BatchNorm1d({m.num_features})"
    if isinstance(m, nn.ReLU):
        return "nn.ReLU(inplace=True)"
    if isinstance(m, nn.Tanh):
        return "nn.Tanh()"
    if isinstance(m, nn.MaxPool2d):
        return f"nn.MaxPool2d({m.kernel_size}, stride={m.stride}, padding={m.padding})"
    if isinstance(m, nn.AvgPool2d):
        return f"nn.AvgPool2d({m.kernel_size}, stride={m.stride}, padding={m.padding})"
    if isinstance(m, nn.AdaptiveAvgPool2d):
        return f"nn.AdaptiveAvgPool2d({m.output_size})"
    if isinstance(m, nn.Flatten):
        return "nn.Flatten()"
    if isinstance(m, nn.Dropout):
        return f"nn.Dropout({m.p})"
    if isinstance(m, blocks.ResidualBlock):
        shortcut = "pad" if m.downsample is None and m.pad else "projection"
        return f"ResidualBlock({m.conv1.in_channels}, {m.conv1.out_channels}, {m.stride}, {shortcut!r})"
    if isinstance(m, blocks.BottleneckBlock):
        return f"BottleneckBlock({m.conv1.in_channels}, {m.conv3.out_channels}, {m.conv2.stride[0]})"
    if isinstance(m, blocks.DenseBlock):
        first = m.layers[0]
        return f"DenseBlock({first.norm1.num_features}, {len(m.layers)}, {first.conv2.out_channels})"
    if isinstance(m, blocks.Transition):
        return f"Transition({m.conv.in_channels}, {m.conv.out_channels})"
    if isinstance(m, blocks.InceptionBlock):
        widths = [m.branch1[0].out_channels, m.branch3[0][0].out_channels, m.branch3[1][0].out_channels,
                  m.branch5[0][0].out_channels, m.branch5[1][0].out_channels, m.branch_pool[1][0].out_channels]
        return f"InceptionBlock({m.branch1[0].in_channels}, {', '.join(map(str, widths))})"
    raise BadInput(f"Cannot export a {type(m).__name__}.")
