"""Output sizes, parameter counts and receptive fields of conv / pool / transposed-conv layers.

All sizes are per spatial axis (one number; width and height are computed the same way).
Formulas follow the lecture and PyTorch: W2 = (W − F_eff + 2P)/S + 1 with F_eff = D(F − 1) + 1;
transposed: S(W − 1) − 2P + D(F − 1) + output_padding + 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from vision_core.errors import BadInput

__all__ = [
    "MAX_STACK",
    "stack_from_text",
    "stack_to_text",
    "Fit",
    "ConvSummary",
    "Layer",
    "LayerResult",
    "conv_output_size",
    "conv_output_exact",
    "conv_params",
    "conv_summary",
    "transposed_output_size",
    "receptive_field",
    "suggest_fits",
    "stack_shapes",
    "LAYER_KINDS",
    "layers_from_rows",
    "same_padding",
]

LAYER_KINDS = ("conv", "pool", "tconv")
_LAYER_COLUMNS = ("kind", "kernel", "stride", "padding", "dilation", "filters", "output_padding")


MAX_VALUE = 1_000_000


def _check(name: str, value: int, minimum: int) -> int:
    """``value`` as an int in [minimum, MAX_VALUE]; a readable ``BadInput`` for anything else (NaN, inf, 2.5, 1e308)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise BadInput(f"{name} must be a whole number, got {value!r}.")
    if not math.isfinite(value) or int(value) != value:
        raise BadInput(f"{name} must be a whole number, got {value!r}.")
    if value < minimum:
        raise BadInput(f"{name} must be at least {minimum}, got {int(value)}.")
    if value > MAX_VALUE:
        raise BadInput(f"{name} must be at most {MAX_VALUE:,}, got {value:.3g}.")
    return int(value)


def conv_output_exact(size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> Fraction:
    """(W − F_eff + 2P)/S + 1 as an exact fraction (not floored), e.g. 7/3 + … = 2.33 for 7, 3, stride 3."""
    size = _check("Input size", size, 1)
    kernel = _check("Filter size", kernel, 1)
    stride = _check("Stride", stride, 1)
    padding = _check("Padding", padding, 0)
    dilation = _check("Dilation", dilation, 1)
    eff = dilation * (kernel - 1) + 1
    return Fraction(size - eff + 2 * padding, stride) + 1


@dataclass(frozen=True)
class Fit:
    """A nearby setting that fits exactly: ``stride``, ``padding`` and the whole-number ``output``."""

    stride: int
    padding: int
    output: int


def suggest_fits(size: int, kernel: int, stride: int, padding: int, dilation: int = 1, limit: int = 4) -> list[Fit]:
    """Settings close to (stride, padding) for which (W − F_eff + 2P)/S is a whole number, nearest first."""
    size, kernel = _check("Input size", size, 1), _check("Filter size", kernel, 1)
    stride, padding = _check("Stride", stride, 1), _check("Padding", padding, 0)
    dilation = _check("Dilation", dilation, 1)
    eff = dilation * (kernel - 1) + 1
    found: list[tuple[int, Fit]] = []
    for s in range(max(1, stride - 8), max(stride + 3, 4)):
        for p in range(max(0, padding - 8), min(eff, padding + 9)):
            num = size - eff + 2 * p
            if num >= 0 and num % s == 0 and (s, p) != (stride, padding):
                found.append((abs(s - stride) * 2 + abs(p - padding), Fit(s, p, num // s + 1)))
    found.sort(key=lambda t: (t[0], t[1].stride, t[1].padding))
    return [f for _, f in found[:limit]]


def conv_output_size(
    size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1, strict: bool = True
) -> int:
    """Output size of a convolution (or pooling) along one axis.

    ``strict=True`` raises ``BadInput`` with the explanation and nearby settings that fit when
    (W − F_eff + 2P)/S is not whole; ``strict=False`` floors as PyTorch does (the last columns are
    never visited). Raises when the filter is larger than the padded input, or the padding exceeds
    F_eff − 1 (the extra outputs would see only padding).
    """
    exact = conv_output_exact(size, kernel, stride, padding, dilation)
    size, kernel = _check("Input size", size, 1), _check("Filter size", kernel, 1)
    stride, padding = _check("Stride", stride, 1), _check("Padding", padding, 0)
    dilation = _check("Dilation", dilation, 1)
    eff = dilation * (kernel - 1) + 1
    if size + 2 * padding < eff:
        raise BadInput(
            f"The filter spans {eff} pixels but the padded input is only {size} + 2·{padding} = {size + 2 * padding}: "
            "it does not fit even once. Use a smaller filter or more padding."
        )
    if padding > eff - 1:
        raise BadInput(
            f"Padding {padding} is larger than the filter allows ({eff} − 1 = {eff - 1}): the outer output cells would "
            "see nothing but padding. Use padding ≤ F − 1; (F − 1)/2 keeps the size at stride 1."
        )
    if exact.denominator != 1:
        floored = math.floor(exact)
        if strict:
            fits = suggest_fits(size, kernel, stride, padding, dilation)
            hint = "; ".join(f"stride {f.stride}, padding {f.padding} → {f.output}" for f in fits)
            raise BadInput(
                f"Does not fit: ({size} − {eff} + 2·{padding})/{stride} + 1 = {float(exact):.2f}, not a whole number — "
                f"the filter cannot land on the last pixels in equal steps. PyTorch floors it to {floored} and ignores "
                f"the leftover pixels. Settings that fit: {hint}."
            )
        return floored
    return int(exact)


def conv_params(kernel: int | Sequence[int], in_channels: int, filters: int, bias: bool = True) -> int:
    """(F·F·D1)·K weights + K biases (F may be ``(kh, kw)``); the lecture's 5×5×3, 10 filters → 760."""
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else tuple(kernel)
    kh, kw = _check("Filter height", kh, 1), _check("Filter width", kw, 1)
    d1 = _check("Input depth", in_channels, 1)
    k = _check("Number of filters", filters, 1)
    return kh * kw * d1 * k + (k if bias else 0)


def transposed_output_size(
    size: int, kernel: int, stride: int = 1, padding: int = 0, output_padding: int = 0, dilation: int = 1
) -> int:
    """S(W − 1) − 2P + D(F − 1) + output_padding + 1, as ``torch.nn.functional.conv_transpose2d``."""
    size = _check("Input size", size, 1)
    kernel = _check("Filter size", kernel, 1)
    stride = _check("Stride", stride, 1)
    padding = _check("Padding", padding, 0)
    output_padding = _check("Output padding", output_padding, 0)
    dilation = _check("Dilation", dilation, 1)
    if output_padding >= max(stride, dilation):
        raise BadInput(f"Output padding must be smaller than the stride (or dilation); got {output_padding} with stride {stride}.")
    out = stride * (size - 1) - 2 * padding + dilation * (kernel - 1) + output_padding + 1
    if out < 1:
        raise BadInput(f"Padding {padding} crops away the whole output ({out} pixels left); use less padding.")
    return out


@dataclass(frozen=True)
class ConvSummary:
    """One conv layer on a W×H×D1 input: output W2×H2×D2, parameter count, multiply-adds, memory."""

    width: int
    height: int
    depth: int
    weights: int
    biases: int
    mult_adds: int
    activations: int

    @property
    def params(self) -> int:
        return self.weights + self.biases

    @property
    def memory_bytes(self) -> int:
        """Output activations as float32 (4 bytes each)."""
        return 4 * self.activations


def conv_summary(
    width: int, height: int, depth: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1,
    filters: int = 1, strict: bool = True,
) -> ConvSummary:
    """Output size, (F·F·D1)·K weights + K biases, W2·H2·K·F·F·D1 multiply-adds and W2·H2·K activations."""
    w2 = conv_output_size(width, kernel, stride, padding, dilation, strict)
    h2 = conv_output_size(height, kernel, stride, padding, dilation, strict)
    weights = conv_params(kernel, depth, filters, bias=False)
    return ConvSummary(w2, h2, filters, weights, filters, w2 * h2 * weights, w2 * h2 * filters)


@dataclass(frozen=True)
class Layer:
    """One row of a layer stack. ``kind``: conv / pool / tconv; ``filters`` is the output depth of conv/tconv."""

    kind: str = "conv"
    kernel: int = 3
    stride: int = 1
    padding: int = 0
    dilation: int = 1
    filters: int = 1
    output_padding: int = 0


@dataclass(frozen=True)
class LayerResult:
    """Size after a layer (``height``×``width``×``depth``), its parameters, and the receptive field so far.

    ``receptive`` is the side of the input region one output unit sees; ``jump`` the distance on the input
    between neighbouring output units; ``floored`` is True when PyTorch floored a size that did not fit.
    """

    layer: Layer
    height: int
    width: int
    depth: int
    params: int
    receptive: Fraction
    jump: Fraction
    floored: bool = False
    note: str = field(default="")


def _rf_step(layer: Layer, rf: Fraction, jump: Fraction) -> tuple[Fraction, Fraction]:
    eff = layer.dilation * (layer.kernel - 1) + 1
    if layer.kind == "tconv":
        taps = math.ceil(eff / layer.stride)
        return rf + (taps - 1) * jump, jump / layer.stride
    return rf + (eff - 1) * jump, jump * layer.stride


def receptive_field(layers: Sequence[Layer]) -> int:
    """Side of the input region that one unit of the last layer depends on: r ← r + (F_eff − 1)·j, j ← j·S.

    A transposed conv with stride S adds at most ⌈F_eff/S⌉ − 1 input steps and divides the jump by S.
    """
    rf, jump = Fraction(1), Fraction(1)
    for layer in layers:
        if layer.kind not in LAYER_KINDS:
            raise BadInput(f"Layer kind must be one of {', '.join(LAYER_KINDS)}, not {layer.kind!r}.")
        rf, jump = _rf_step(layer, rf, jump)
    return math.ceil(rf)


def stack_shapes(height: int, width: int, depth: int, layers: Sequence[Layer]) -> list[LayerResult]:
    """Sizes after each layer of a conv / pool / tconv stack (PyTorch's floor rule; floored rows are flagged)."""
    h, w, d = _check("Input height", height, 1), _check("Input width", width, 1), _check("Input depth", depth, 1)
    rf, jump = Fraction(1), Fraction(1)
    out: list[LayerResult] = []
    for i, layer in enumerate(layers, start=1):
        if layer.kind not in LAYER_KINDS:
            raise BadInput(f"Layer {i}: kind must be one of {', '.join(LAYER_KINDS)}, not {layer.kind!r}.")
        floored = False
        try:
            if layer.kind == "tconv":
                h2 = transposed_output_size(h, layer.kernel, layer.stride, layer.padding, layer.output_padding, layer.dilation)
                w2 = transposed_output_size(w, layer.kernel, layer.stride, layer.padding, layer.output_padding, layer.dilation)
            else:
                h2 = conv_output_size(h, layer.kernel, layer.stride, layer.padding, layer.dilation, strict=False)
                w2 = conv_output_size(w, layer.kernel, layer.stride, layer.padding, layer.dilation, strict=False)
                floored = (conv_output_exact(h, layer.kernel, layer.stride, layer.padding, layer.dilation).denominator != 1
                           or conv_output_exact(w, layer.kernel, layer.stride, layer.padding, layer.dilation).denominator != 1)
        except ValueError as exc:
            raise BadInput(f"Layer {i} ({layer.kind} {layer.kernel}×{layer.kernel}): {exc}") from None
        if layer.kind == "pool":
            d2, params = d, 0
        else:
            d2 = _check(f"Layer {i} filters", layer.filters, 1)
            params = conv_params(layer.kernel, d, d2)
        rf, jump = _rf_step(layer, rf, jump)
        note = "floored: the last pixels are not visited" if floored else ""
        out.append(LayerResult(layer, h2, w2, d2, params, rf, jump, floored, note))
        h, w, d = h2, w2, d2
    return out


def _empty(value: Any) -> bool:
    """None, NaN or a missing-value marker (pandas' NA, whose comparisons cannot be turned into a bool)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:
        return True


def layers_from_rows(rows: Sequence[Mapping[str, Any]]) -> list[Layer]:
    """``Layer`` s from table rows with the columns kind, kernel, stride, padding, dilation, filters, output_padding
    (numbers may arrive as floats from an editable table); an empty or non-numeric cell names its 1-based row."""
    layers = []
    for i, row in enumerate(rows, start=1):
        values = [row.get(name) for name in _LAYER_COLUMNS]
        if any(_empty(v) for v in values):
            raise BadInput(f"Row {i} has an empty cell; fill in every column.")
        try:
            numbers = [int(v) for v in values[1:]]
        except (TypeError, ValueError):
            raise BadInput(f"Row {i} holds a cell that is not a whole number.") from None
        layers.append(Layer(str(values[0]), *numbers))
    return layers


MAX_STACK = 64
"""The most layers a stack in a link may have."""


def stack_to_text(layers: Sequence[Layer]) -> str:
    """A layer stack as link text: one ``kind.kernel.stride.padding.dilation.filters.output_padding`` per layer,
    joined by ``_`` (e.g. ``conv.5.1.0.1.6.0_conv.5.1.0.1.6.0``, the lecture's 32 → 28 → 24)."""
    return "_".join(".".join([layer.kind, *(str(getattr(layer, c)) for c in _LAYER_COLUMNS[1:])]) for layer in layers)


def stack_from_text(text: str) -> list[Layer]:
    """The layers written by ``stack_to_text``; ``BadInput`` naming the first bad layer otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise BadInput("The layer stack in the link is empty.")
    items = text.strip().split("_")
    if len(items) > MAX_STACK:
        raise BadInput(f"The layer stack in the link has {len(items)} layers; at most {MAX_STACK}.")
    rows = []
    for n, item in enumerate(items, start=1):
        parts = item.split(".")
        if len(parts) != len(_LAYER_COLUMNS) or parts[0] not in LAYER_KINDS:
            raise BadInput(f"Layer {n} of the stack in the link is not kind.kernel.stride.padding.dilation.filters.output_padding.")
        rows.append(dict(zip(_LAYER_COLUMNS, parts)))
    layers = layers_from_rows(rows)
    for layer in layers:
        for name in _LAYER_COLUMNS[1:]:
            _check(name.replace("_", " ").capitalize(), getattr(layer, name), 0)
    return layers


def same_padding(kernel: int, dilation: int = 1) -> int:
    """Zero padding (F_eff − 1)/2 that keeps the size at stride 1 (F = 3 → 1, 5 → 2, 7 → 3)."""
    kernel = _check("Filter size", kernel, 1)
    eff = _check("Dilation", dilation, 1) * (kernel - 1) + 1
    if eff % 2 == 0:
        raise BadInput(f"An even filter ({eff} wide) cannot be centred: 'same' needs {eff - 1} padding split unevenly.")
    return (eff - 1) // 2
