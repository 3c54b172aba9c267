"""Helpers shared by the architecture tests: hand counts, and an edit of LeNet-5 that several tests diff or export."""

from __future__ import annotations

from dataclasses import replace

from torch import nn

from vision_core import architectures as arch
from vision_core.architectures import EditLayer


def unique_params(model: nn.Module) -> int:
    """``Σ p.numel()`` over the distinct parameters (``nn.Module.parameters`` yields a shared one once)."""
    return sum(p.numel() for p in model.parameters())


def inception_weights(cin: int, c1: int, r3: int, c3: int, r5: int, c5: int, pp: int) -> int:
    """Weights (no biases) of a GoogLeNet inception module by hand: four 1×1 on the input, a 3×3 and a 5×5."""
    return cin * (c1 + r3 + r5 + pp) + 9 * r3 * c3 + 25 * r5 * c5


def lenet_with_a_third_conv() -> tuple[tuple[int, int, int], list[EditLayer], list[EditLayer]]:
    """LeNet-5's preset and an edit of it: conv1 3×3 and a third conv (32, 3×3, same) + ReLU after pool2."""
    size, lenet = arch.preset("lenet5")
    edited = [*lenet[:6], arch.EditLayer("conv", 32, 3, 1, 1), arch.EditLayer("relu"), *lenet[6:]]
    edited[0] = replace(edited[0], kernel=3)
    return size, lenet, edited
