"""Why segmentation networks are built as they are: the cost of a per-pixel sliding window, FCN-32s and U-Net shapes.

Sizes are ``height`` × ``width`` pixels; every ``ShapeRow`` is one feature map (channels, height, width).
"""

from __future__ import annotations

from dataclasses import dataclass

from vision_core.errors import BadInput

__all__ = ["ShapeRow", "SlidingWindowCost", "fcn_shapes", "sliding_window_cost", "unet_shapes"]


@dataclass(frozen=True)
class SlidingWindowCost:
    """Per-pixel classification with a ``patch``×``patch`` window (stride 1, zero padding).

    ``windows`` = H·W CNN runs; ``pixel_reads`` = windows · patch² (every pixel is
    read patch² times); an FCN reads each pixel once, in one forward pass.
    """

    height: int
    width: int
    patch: int
    windows: int
    pixel_reads: int
    redundancy: int


def sliding_window_cost(height: int, width: int, patch: int = 64) -> SlidingWindowCost:
    """How wasteful the per-pixel sliding window of the lecture is for an ``height``×``width`` photo."""
    if height < 1 or width < 1:
        raise BadInput(f"The image size must be positive, got {height}×{width}.")
    if patch < 1 or patch > 1024:
        raise BadInput(f"The patch size must be between 1 and 1024 pixels, got {patch}.")
    windows = height * width
    return SlidingWindowCost(height, width, patch, windows, windows * patch * patch, patch * patch)


@dataclass(frozen=True)
class ShapeRow:
    """One feature map: ``stage`` name, ``channels``, ``height``, ``width``; ``skip`` names the stage it joins."""

    stage: str
    channels: int
    height: int
    width: int
    skip: str = ""


def fcn_shapes(height: int, width: int, num_classes: int = 21) -> list[ShapeRow]:
    """FCN-32s on VGG-16 (Long et al. 2015): five 2× poolings, fc6/fc7 as convolutions, one 32× upsampling.

    Poolings halve with floor (``H // 2``), as torchvision's VGG-16 does; the
    final transposed convolution returns to ``height``×``width``.
    """
    if height < 32 or width < 32:
        raise BadInput(f"FCN-32s needs at least 32×32 pixels (five 2× poolings), got {height}×{width}.")
    rows = [ShapeRow("input", 3, height, width)]
    h, w = height, width
    for i, c in enumerate((64, 128, 256, 512, 512), start=1):
        h, w = h // 2, w // 2
        rows.append(ShapeRow(f"conv block {i} + pool (÷{2 ** i})", c, h, w))
    rows.append(ShapeRow("fc6 as 7×7 conv (padding 3)", 4096, h, w))
    rows.append(ShapeRow("fc7 as 1×1 conv", 4096, h, w))
    rows.append(ShapeRow("score: 1×1 conv to classes", num_classes, h, w))
    rows.append(ShapeRow("upsample ×32 (transposed conv)", num_classes, height, width))
    return rows


def unet_shapes(height: int, width: int, padding: str = "valid", base: int = 64, depth: int = 4) -> list[ShapeRow]:
    """U-Net (Ronneberger et al. 2015): ``depth`` down steps (two 3×3 convs, 2×2 max-pool), then up.

    ``padding="valid"`` is the paper's unpadded 3×3 convs (572×572 → 388×388);
    ``"same"`` keeps sizes so the output equals the input. Every up step joins
    the encoder map of the same level (copy and crop), listed in ``skip``.
    """
    if padding not in ("valid", "same"):
        raise BadInput(f"padding must be 'valid' or 'same', got {padding!r}.")
    shrink = 2 if padding == "valid" else 0
    rows = [ShapeRow("input", 3, height, width)]
    h, w = height, width
    enc: list[tuple[str, int, int]] = []
    for level in range(depth + 1):
        c = base * 2 ** level
        h, w = h - 2 * shrink, w - 2 * shrink
        if h < 1 or w < 1:
            raise BadInput(f"{height}×{width} is too small for a U-Net of depth {depth} with {padding} convolutions.")
        name = f"encoder {level + 1}: two 3×3 convs" if level < depth else "bottleneck: two 3×3 convs"
        rows.append(ShapeRow(name, c, h, w))
        if level < depth:
            enc.append((name, h, w))
            if h % 2 or w % 2:
                raise BadInput(f"{height}×{width} gives an odd size {h}×{w} before pooling; pick a size that divides evenly.")
            h, w = h // 2, w // 2
            rows.append(ShapeRow(f"max-pool 2×2 (level {level + 2})", c, h, w))
    for level in range(depth - 1, -1, -1):
        c = base * 2 ** level
        h, w = h * 2, w * 2
        name, eh, ew = enc[level]
        rows.append(ShapeRow(f"up-conv 2×2, concat copy of {name.split(':')[0]}", 2 * c, h, w, skip=f"{name.split(':')[0]} ({eh}×{ew}, cropped to {h}×{w})"))
        h, w = h - 2 * shrink, w - 2 * shrink
        rows.append(ShapeRow("two 3×3 convs", c, h, w))
    rows.append(ShapeRow("1×1 conv to classes", 2, h, w))
    return rows
