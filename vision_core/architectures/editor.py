"""The what-if editor: a network as a list of layers, its shapes by arithmetic, its measured summary, a diff.

- ``EditLayer``: one layer (``kind`` one of ``EDIT_KINDS``; fields bounded by ``EDIT_LIMITS``); a network is a
  ``list[EditLayer]`` of at most ``MAX_EDIT_LAYERS`` rows, named ``conv1, relu1, pool1 …`` (``edit_layer_names``).
- ``propagate(layers, (C, H, W))``: the output shape (``(C, H, W)`` or ``(F,)``), receptive field and jump after
  every layer, without building anything; it stops at the first layer that cannot run, with a sentence.
- ``build``: the network as an ``nn.Sequential`` (build it under ``torch.device("meta")`` to allocate nothing);
  residual, bottleneck, dense, transition and inception rows use ``vision_core.models.blocks``.
- ``evaluate``: propagate, then build on the meta device and ``summarize`` (measured parameters and MACs).
- ``diff``: the edited network aligned with the original layer by layer, with parameter and MAC differences.
- ``check_layers``: the one validation of a layer list (type, count, whole-number fields).
"""

from __future__ import annotations

import difflib
import numbers
from collections import OrderedDict
from dataclasses import dataclass

import torch
from torch import nn

from vision_core.errors import BadInput
from vision_core.models import blocks

from .summary import MAX_CHANNELS, ModelSummary, shape_text, summarize, validate_size

__all__ = [
    "EDIT_KINDS",
    "EDIT_LIMITS",
    "MAX_EDIT_LAYERS",
    "DiffRow",
    "EditLayer",
    "EditResult",
    "EditRow",
    "build",
    "check_layers",
    "diff",
    "edit_layer_names",
    "evaluate",
    "propagate",
]

EDIT_KINDS: tuple[str, ...] = (
    "conv", "bn", "relu", "tanh", "maxpool", "avgpool", "adaptiveavg", "flatten", "fc", "dropout",
    "residual", "residual-pad", "bottleneck", "dense", "transition", "inception",
)
"""Layer kinds of the what-if editor. ``out`` is channels (conv, residual, bottleneck, transition), features (fc)
or the output side (adaptiveavg); ``layers``/``growth`` configure a dense block; ``branches`` an inception module's
six widths (#1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj, as in GoogLeNet's Table 1); ``in_`` (0 = adapt)
is the input channels/features the layer was written for, as in hand-written PyTorch code."""

EDIT_LIMITS: dict[str, int] = {"out": MAX_CHANNELS, "kernel": 4096, "stride": 4096, "padding": 4096, "layers": 256,
                               "growth": 4096, "in_": 1 << 40, "branches": 65_536}
"""Largest value the what-if editor accepts per field (channels, features and widths up to 65,536)."""
MAX_EDIT_LAYERS = 1000
"""Most rows the what-if editor accepts."""

_SPATIAL = {"conv", "maxpool", "avgpool", "adaptiveavg", "residual", "residual-pad", "bottleneck", "dense", "transition",
            "inception"}
_WHOLE_FIELDS = ("out", "kernel", "stride", "padding", "layers", "growth", "in_")
_PREFIX = {"conv": "conv", "bn": "bn", "relu": "relu", "tanh": "tanh", "maxpool": "pool", "avgpool": "pool",
           "adaptiveavg": "gap", "flatten": "flatten", "fc": "fc", "dropout": "drop", "residual": "res",
           "residual-pad": "res", "bottleneck": "bneck", "dense": "dense", "transition": "trans",
           "inception": "incep"}


@dataclass(frozen=True)
class EditLayer:
    """One layer of an editable network (see ``EDIT_KINDS``)."""

    kind: str
    out: int = 0
    kernel: int = 0
    stride: int = 1
    padding: int = 0
    layers: int = 0
    growth: int = 0
    bias: bool = True
    in_: int = 0
    branches: tuple[int, ...] = ()


@dataclass(frozen=True)
class EditRow:
    """Shape propagation through one layer: ``in_shape``/``out_shape`` are ``(C, H, W)`` or ``(F,)``; ``rf`` is the
    receptive field side in input pixels (``None`` once every output sees the whole image), ``jump`` the input-pixel
    step between neighbouring outputs. ``error`` explains why this layer cannot run (the rows stop there)."""

    name: str
    kind: str
    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...] | None
    rf: int | None
    jump: int
    error: str = ""


def _conv_out(size: int, k: int, s: int, p: int) -> int:
    return (size + 2 * p - k) // s + 1


def edit_layer_names(layers: list[EditLayer]) -> list[str]:
    """Names of an edited network's rows, ``conv1, relu1, pool1, conv2 …``: each kind numbered from 1, in order
    (not to be confused with ``vision_core.style.layer_names``, VGG's layers)."""
    counts: dict[str, int] = {}
    names = []
    for layer in layers:
        prefix = _PREFIX.get(layer.kind, layer.kind)
        counts[prefix] = counts.get(prefix, 0) + 1
        names.append(f"{prefix}{counts[prefix]}")
    return names


def _whole(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_layers(layers: object) -> list[EditLayer]:
    """``layers`` if it is a list (or tuple) of at most ``MAX_EDIT_LAYERS`` ``EditLayer`` objects with whole-number
    fields; ``BadInput`` naming the first layer that is not. Sizes are checked by ``propagate``, layer by layer."""
    if not isinstance(layers, (list, tuple)):
        raise BadInput(f"The network must be a list of EditLayer, not {type(layers).__name__}.")
    if len(layers) > MAX_EDIT_LAYERS:
        raise BadInput(f"{len(layers)} layers is more than the editor takes (at most {MAX_EDIT_LAYERS}).")
    for n, layer in enumerate(layers, start=1):
        if not isinstance(layer, EditLayer):
            raise BadInput(f"Layer {n} is a {type(layer).__name__}, not an EditLayer.")
        for f in _WHOLE_FIELDS:
            if not _whole(getattr(layer, f)):
                raise BadInput(f"Layer {n} ({layer.kind}): {f.rstrip('_')} must be a whole number, got {getattr(layer, f)!r}.")
        if not isinstance(layer.branches, tuple) or not all(_whole(b) for b in layer.branches):
            raise BadInput(f"Layer {n} ({layer.kind}): branches must be a tuple of whole numbers, got {layer.branches!r}.")
    return list(layers)


def propagate(layers: list[EditLayer], input_size: tuple[int, int, int], adapt: bool = True) -> list[EditRow]:
    """Output shape and receptive field after every layer, by arithmetic (no model is built).

    Stops at the first layer that cannot run and explains it in that row's ``error``: an unknown kind, a
    non-positive size, a window larger than its (padded) input, a spatial layer after Flatten, FC on a map,
    or (``adapt=False``) a layer whose ``in_`` differs from what reaches it.
    """
    shape: tuple[int, ...] = validate_size(input_size)
    check_layers(layers)
    dense = sum(max(layer.layers, 0) for layer in layers if layer.kind == "dense")
    if dense > 2 * EDIT_LIMITS["layers"]:
        raise BadInput(f"{dense} dense layers in all is more than the editor takes (at most "
                         f"{2 * EDIT_LIMITS['layers']}; DenseNet-264 has 130).")
    rf: int | None = 1
    jump = 1
    rows: list[EditRow] = []
    for name, layer in zip(edit_layer_names(layers), layers, strict=True):
        k, s, p = layer.kernel, layer.stride, layer.padding
        in_shape = shape

        def fail(msg: str, name: str = name, layer: EditLayer = layer) -> list[EditRow]:
            rows.append(EditRow(name, layer.kind, shape, None, rf, jump, msg))
            return rows

        if layer.kind not in EDIT_KINDS:
            return fail(f"{name}: unknown layer kind {layer.kind!r}; use one of {', '.join(EDIT_KINDS)}.")
        for field_name, limit in EDIT_LIMITS.items():
            values = layer.branches if field_name == "branches" else (getattr(layer, field_name),)
            if any(abs(v) > limit for v in values):
                return fail(f"{name}: {field_name.rstrip('_')} {max(values, key=abs):,} is more than the editor takes "
                            f"(at most {limit:,}).")
        flat = len(shape) == 1
        where = "×".join(map(str, shape))
        if layer.kind in _SPATIAL and flat:
            return fail(f"{name} ({layer.kind}) needs a C×H×W feature map but receives a flat vector of {shape[0]} "
                        "features: spatial layers must come before Flatten.")
        if layer.kind == "fc" and not flat:
            return fail(f"{name} (fc) receives a {where} feature map; add a Flatten layer before it "
                        f"(it would then receive {shape[0] * shape[1] * shape[2]} features).")
        if layer.kind in ("conv", "fc", "residual", "residual-pad", "bottleneck", "transition", "adaptiveavg") and layer.out < 1:
            return fail(f"{name}: the number of {'features' if layer.kind == 'fc' else 'output channels'} must be at least 1 "
                        f"(got {layer.out}).")
        if not adapt and layer.in_ and layer.kind in ("conv", "fc", "bn", "residual", "residual-pad", "bottleneck",
                                                       "dense", "transition", "inception") and layer.in_ != shape[0]:
            what = "input features" if flat else "input channels"
            return fail(f"{name} was written for {layer.in_} {what} but receives {shape[0]} ({where}). "
                        f"Change its input to {shape[0]} or let input sizes adapt.")
        if layer.kind in ("conv", "maxpool", "avgpool"):
            if k < 1 or s < 1 or p < 0:
                return fail(f"{name}: kernel and stride must be at least 1 and padding at least 0 "
                            f"(got kernel {k}, stride {s}, padding {p}).")
            if layer.kind != "conv" and p > k // 2:
                return fail(f"{name}: padding {p} is more than half the {k}×{k} window; PyTorch's pooling refuses it.")
            h, w = _conv_out(shape[1], k, s, p), _conv_out(shape[2], k, s, p)
            if h < 1 or w < 1:
                return fail(f"{name}: the {shape[1]}×{shape[2]} input (padding {p}) is smaller than the {k}×{k} window, "
                            f"so the output would be {max(h, 0)}×{max(w, 0)}. Use a smaller kernel or stride, more "
                            "padding, or remove a pooling layer.")
            c = layer.out if layer.kind == "conv" else shape[0]
            rf = rf + (k - 1) * jump if rf is not None else None
            jump *= s
            shape = (c, h, w)
        elif layer.kind == "adaptiveavg":
            o = layer.out
            kh = -(-shape[1] // o)
            rf = rf + (kh - 1) * jump if rf is not None else None
            jump *= max(shape[1] // o, 1)
            shape = (shape[0], o, o)
        elif layer.kind in ("residual", "residual-pad", "bottleneck"):
            if s < 1:
                return fail(f"{name}: stride must be at least 1 (got {s}).")
            if layer.kind == "residual-pad" and layer.out < shape[0]:
                return fail(f"{name}: a parameter-free (zero-padding) shortcut can only add channels; it cannot go from "
                            f"{shape[0]} to {layer.out}. Use a projection shortcut (residual).")
            if layer.kind == "bottleneck" and layer.out < 4:
                return fail(f"{name}: a bottleneck needs at least 4 output channels (its 3×3 works on out/4).")
            h, w = _conv_out(shape[1], 3, s, 1), _conv_out(shape[2], 3, s, 1)
            rf = rf + (2 * jump + 2 * jump * s if layer.kind != "bottleneck" else 2 * jump) if rf is not None else None
            jump *= s
            shape = (layer.out, h, w)
        elif layer.kind == "dense":
            if layer.layers < 1 or layer.growth < 1:
                return fail(f"{name}: a dense block needs at least 1 layer and a growth rate of at least 1 "
                            f"(got {layer.layers} layers, growth {layer.growth}).")
            rf = rf + 2 * jump * layer.layers if rf is not None else None
            shape = (shape[0] + layer.layers * layer.growth, shape[1], shape[2])
        elif layer.kind == "transition":
            if min(shape[1], shape[2]) < 2:
                return fail(f"{name}: a transition halves H and W with 2×2 pooling, but the map is only {shape[1]}×{shape[2]}.")
            rf = rf + jump if rf is not None else None
            jump *= 2
            shape = (layer.out, shape[1] // 2, shape[2] // 2)
        elif layer.kind == "inception":
            if len(layer.branches) != 6 or min(layer.branches) < 1:
                return fail(f"{name}: an inception module needs six widths of at least 1 — #1×1, #3×3 reduce, #3×3, "
                            f"#5×5 reduce, #5×5, pool proj (GoogLeNet's 3a: 64,96,128,16,32,32); got "
                            f"{','.join(map(str, layer.branches)) or 'none'}.")
            c1, _, c3, _, c5, pp = layer.branches
            rf = rf + 4 * jump if rf is not None else None
            shape = (c1 + c3 + c5 + pp, shape[1], shape[2])
        elif layer.kind == "flatten":
            shape = (shape[0] * shape[1] * shape[2],) if not flat else shape
        elif layer.kind == "fc":
            rf = None
            shape = (layer.out,)
        if rf is not None and len(shape) == 3 and shape[1] == shape[2] == 1 and rf >= max(input_size[1], input_size[2]):
            rf = None
        rows.append(EditRow(name, layer.kind, in_shape, shape, rf, jump))
    return rows


def build(layers: list[EditLayer], input_size: tuple[int, int, int]) -> nn.Sequential:
    """The editable network as an ``nn.Sequential`` named ``conv1, relu1, …``; ``BadInput`` (at the offending
    layer) when the shapes do not work out. Build it under ``torch.device("meta")`` to allocate nothing."""
    rows = propagate(layers, input_size, adapt=True)
    if rows and rows[-1].error:
        raise BadInput(rows[-1].error)
    mods: OrderedDict[str, nn.Module] = OrderedDict()
    for row, layer in zip(rows, layers, strict=True):
        mods[row.name] = _module(layer, row.in_shape)
    return nn.Sequential(mods)


def _module(layer: EditLayer, in_shape: tuple[int, ...]) -> nn.Module:
    c = in_shape[0]
    kind = layer.kind
    if kind == "conv":
        return nn.Conv2d(c, layer.out, layer.kernel, layer.stride, layer.padding, bias=layer.bias)
    if kind == "bn":
        return nn.BatchNorm1d(c) if len(in_shape) == 1 else nn.BatchNorm2d(c)
    if kind == "relu":
        return nn.ReLU(inplace=True)
    if kind == "tanh":
        return nn.Tanh()
    if kind == "maxpool":
        return nn.MaxPool2d(layer.kernel, layer.stride, layer.padding)
    if kind == "avgpool":
        return nn.AvgPool2d(layer.kernel, layer.stride, layer.padding)
    if kind == "adaptiveavg":
        return nn.AdaptiveAvgPool2d(layer.out)
    if kind == "flatten":
        return nn.Flatten()
    if kind == "fc":
        return nn.Linear(c, layer.out, bias=layer.bias)
    if kind == "dropout":
        return nn.Dropout(0.5)
    if kind in ("residual", "residual-pad"):
        return blocks.ResidualBlock(c, layer.out, layer.stride, "pad" if kind == "residual-pad" else "projection")
    if kind == "bottleneck":
        return blocks.BottleneckBlock(c, layer.out, layer.stride)
    if kind == "dense":
        return blocks.DenseBlock(c, layer.layers, layer.growth)
    if kind == "transition":
        return blocks.Transition(c, layer.out)
    if kind == "inception":
        return blocks.InceptionBlock(c, *layer.branches)
    raise BadInput(f"Unknown layer kind {kind!r}.")


@dataclass(frozen=True)
class EditResult:
    """Shapes (always) and, when the network is valid, its measured summary; ``layer_params``/``layer_macs`` per row."""

    rows: tuple[EditRow, ...]
    summary: ModelSummary | None
    error: str
    error_index: int | None

    @property
    def ok(self) -> bool:
        return not self.error

    def layer_values(self) -> list[tuple[str, int, int]]:
        """``(name, params, macs)`` per edited layer (zeros when the network does not run)."""
        if self.summary is None:
            return [(r.name, 0, 0) for r in self.rows]
        by_name = {r.name: r for r in self.summary.layers}
        return [(r.name, by_name[r.name].params, by_name[r.name].macs) for r in self.rows]


def evaluate(layers: list[EditLayer], input_size: tuple[int, int, int], adapt: bool = True, title: str = "edited") -> EditResult:
    """Propagate shapes; if every layer fits, build the network on the meta device and summarise it (measured FLOPs)."""
    if not layers:
        return EditResult((), None, "The network is empty: add a layer.", None)
    try:
        rows = propagate(layers, input_size, adapt)
    except BadInput as exc:
        return EditResult((), None, str(exc), None)
    if rows[-1].error:
        return EditResult(tuple(rows), None, rows[-1].error, len(rows) - 1)
    with torch.device("meta"):
        model = build(layers, input_size)
    summary = summarize(model, input_size, title=title)
    return EditResult(tuple(rows), summary, "", None)


@dataclass(frozen=True)
class DiffRow:
    """One aligned layer of original versus edited: ``status`` is ``same``, ``changed``, ``added`` or ``removed``."""

    status: str
    original: str
    edited: str
    original_shape: str
    edited_shape: str
    params_delta: int
    macs_delta: int


def diff(original: EditResult, edited: EditResult, original_layers: list[EditLayer], edited_layers: list[EditLayer]) -> list[DiffRow]:
    """Align the two layer lists (``difflib`` on layer kinds) and give per-layer parameter and MAC differences."""
    a_vals, b_vals = original.layer_values(), edited.layer_values()
    a_rows, b_rows = list(original.rows), list(edited.rows)
    a_keys = [layer.kind for layer in original_layers[: len(a_rows)]]
    b_keys = [layer.kind for layer in edited_layers[: len(b_rows)]]
    out: list[DiffRow] = []

    def txt(row: EditRow) -> str:
        return shape_text((1, *row.out_shape)) if row.out_shape else "✗"

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a_keys, b=b_keys, autojunk=False).get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                same = original_layers[i] == edited_layers[j] and a_rows[i].out_shape == b_rows[j].out_shape
                out.append(DiffRow("same" if same else "changed", a_rows[i].name, b_rows[j].name, txt(a_rows[i]),
                                   txt(b_rows[j]), b_vals[j][1] - a_vals[i][1], b_vals[j][2] - a_vals[i][2]))
            continue
        for i in range(i1, i2):
            out.append(DiffRow("removed", a_rows[i].name, "", txt(a_rows[i]), "", -a_vals[i][1], -a_vals[i][2]))
        for j in range(j1, j2):
            out.append(DiffRow("added", "", b_rows[j].name, "", txt(b_rows[j]), b_vals[j][1], b_vals[j][2]))
    return out
