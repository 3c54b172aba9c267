"""Stride, padding and output-size challenges: keep 28×28 through a 5×5 filter, and see 50 pixels with at most
four layers — scored with ``ops.shapes`` on the student's own settings."""

from __future__ import annotations

from collections.abc import Sequence

from vision_core.challenges._api import Attempt, Challenge, Score, clip01, need, register_challenge
from vision_core.errors import BadInput
from vision_core.ops.shapes import Layer, conv_output_size, receptive_field

LECTURE = "Spatial parameters — stride, padding, output size (N − F + 2P)/S + 1, receptive field; deck 003"


def _keep_28(attempt: Attempt) -> Score:
    size = need(attempt, "size", int)
    kernel = need(attempt, "kernel", int)
    stride = need(attempt, "stride", int)
    padding = need(attempt, "padding", int)
    dilation = int(attempt.get("dilation", 1))
    if kernel != 5:
        return Score(0.0, False, f"a {kernel}×{kernel} filter", "The task fixes the filter: set it to 5×5.")
    if size != 28:
        return Score(0.0, False, f"a {size}×{size} input", "Start from a 28×28 input (an MNIST digit).")
    try:
        out = conv_output_size(size, kernel, stride, padding, dilation, strict=False)
    except ValueError as exc:
        return Score(0.0, False, "no output", str(exc))
    measured = f"(28 − {dilation * 4 + 1} + 2·{padding})/{stride} + 1 → {out}×{out}"
    if out == 28:
        return Score(1.0, True, measured, "Solved: stride 1 and padding (F − 1)/2 keep the size.")
    if stride != 1:
        hint = "A stride above 1 always shrinks the output: go back to stride 1."
    elif out < 28:
        hint = f"The output shrank by {28 - out}: pad each side with more zeros."
    else:
        hint = "Too much padding: the output grew. Pad (F − 1)/2 on each side."
    return Score(clip01(1.0 - abs(out - 28) / 28), False, measured, hint)


def _layers(attempt: Attempt) -> Sequence[Layer]:
    layers = need(attempt, "layers", (list, tuple))
    if not all(isinstance(layer, Layer) for layer in layers):
        raise BadInput("The layer stack must be a list of layers.")
    return layers


def _receptive_50(attempt: Attempt) -> Score:
    layers = _layers(attempt)
    if not layers:
        return Score(0.0, False, "no layers", "Add a layer to the stack.")
    rf = receptive_field(layers)
    n = len(layers)
    measured = f"{n} layer{'s' if n != 1 else ''}, receptive field {rf} px"
    if n > 4:
        return Score(clip01(rf / 50) * 0.5, False, measured, "Use at most 4 layers: make each one see further instead.")
    if rf >= 50:
        return Score(1.0, True, measured, "Solved: each unit of the last layer sees at least 50 input pixels.")
    if all(layer.stride == 1 for layer in layers):
        hint = "With stride 1 everywhere each layer adds only F − 1 pixels: a stride-2 layer early multiplies what later layers see."
    else:
        hint = "Larger filters, dilation, or a stride of 2 in an early layer make every later layer see further."
    return Score(clip01(rf / 50), False, measured, hint)


register_challenge(Challenge(
    "size-keep-28", "output_size", "Keep 28×28 through a 5×5 filter",
    "An MNIST digit is 28×28. Choose the stride and padding so that a 5×5 filter gives a 28×28 output again.",
    LECTURE, _keep_28, needs=("size", "kernel", "stride", "padding"),
    start={"os_w": "28", "os_h": "28", "os_f": "5", "os_s": "1", "os_p": "0"},
))
register_challenge(Challenge(
    "size-receptive-50", "output_size", "See 50 pixels with four layers",
    "Build a stack of at most four layers whose last unit depends on an input region of at least 50×50 pixels. "
    "The receptive field grows by (F − 1) × the product of the earlier strides at every layer.",
    LECTURE, _receptive_50, needs=("layers",),
))
