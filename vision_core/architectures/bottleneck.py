"""The inception 1×1 bottleneck calculator: multiplications of one branch, directly or after a 1×1 reduction.

The lecture's example: a 28×28×192 input and 32 filters of 5×5 ('same' padding) cost 120.4M multiplications
directly, 12.4M after a 1×1 reduction to 16 channels (2.4M + 10.0M). Sizes are ``(H, W, C)`` as in the lecture;
the convolutions (no bias) run on the ``meta`` device under ``FlopCounterMode``, so the counts are measured and
equal the formula ``k·k·C_in·H·W·C_out``.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from vision_core.errors import BadInput

__all__ = ["BottleneckResult", "inception_bottleneck"]

@dataclass(frozen=True)
class BottleneckResult:
    """Multiplications of one inception branch, direct versus with a 1×1 reduction (counted by FlopCounterMode)."""

    input_size: tuple[int, int, int]
    filters: int
    kernel: int
    reduce_to: int
    output_size: tuple[int, int, int]
    direct_macs: int
    reduce_macs: int
    conv_macs: int
    direct_params: int
    reduced_params: int

    @property
    def reduced_macs(self) -> int:
        return self.reduce_macs + self.conv_macs

    @property
    def saving(self) -> float:
        return self.direct_macs / self.reduced_macs


def _count_macs(module: nn.Module, x: torch.Tensor) -> int:
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        module(x)
    return counter.get_total_flops() // 2


def inception_bottleneck(height: int = 28, width: int = 28, channels: int = 192, filters: int = 32,
                         kernel: int = 5, reduce_to: int = 16) -> BottleneckResult:
    """The lecture's example: a 28×28×192 input, 32 filters of 5×5 ('same' padding) directly, or after a 1×1
    reduction to 16 channels. Multiplications (no bias) are counted by running the convolutions on the meta device."""
    values = {"height": height, "width": width, "channels": channels, "filters": filters, "kernel": kernel, "reduce_to": reduce_to}
    for k, v in values.items():
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v) or int(v) != v or v < 1:
            raise BadInput(f"{k} must be a positive whole number, got {v}.")
    height, width, channels, filters, kernel, reduce_to = (int(v) for v in values.values())
    if kernel % 2 == 0:
        raise BadInput(f"Use an odd kernel (1, 3, 5, 7 …) so 'same' padding keeps {height}×{width}; got {kernel}.")
    if height * width * channels > 2**31:
        raise BadInput("That input is too large for the calculator.")
    pad = kernel // 2
    with torch.device("meta"):
        direct = nn.Conv2d(channels, filters, kernel, padding=pad, bias=False)
        reduce = nn.Conv2d(channels, reduce_to, 1, bias=False)
        conv = nn.Conv2d(reduce_to, filters, kernel, padding=pad, bias=False)
        x = torch.zeros(1, channels, height, width)
        mid = torch.zeros(1, reduce_to, height, width)
    return BottleneckResult(
        input_size=(height, width, channels), filters=filters, kernel=kernel, reduce_to=reduce_to,
        output_size=(height, width, filters),
        direct_macs=_count_macs(direct, x), reduce_macs=_count_macs(reduce, x), conv_macs=_count_macs(conv, mid),
        direct_params=direct.weight.numel(), reduced_params=reduce.weight.numel() + conv.weight.numel(),
    )
