"""Summaries of a network layer by layer: exact output shapes, parameters and multiply-adds.

Conventions
- Shapes are ``(C, H, W)`` for one image (batch size 1, float32); ``output_shape`` keeps the full tensor
  shape including the batch dimension, ``shape_text`` drops a leading batch of 1.
- Compute is measured, not derived from formulas: the model runs once under
  ``torch.utils.flop_counter.FlopCounterMode`` (on the ``meta`` device, so no weights are allocated),
  which counts 2 FLOPs per multiply-add of convolutions and matrix products. ``macs = flops / 2``;
  torchvision's ``_ops`` metadata ("GFLOPS") is this same multiply-add count. Element-wise ops
  (ReLU, BN, additions, pooling) are not counted, as in torchvision and the papers.
- Parameters are counted once per ``nn.Parameter`` object, even when a module or weight is shared;
  ``trainable`` means ``requires_grad``. Buffers (BN running statistics) are not parameters.
- Activation memory of a row: bytes of that module's output tensor(s), summed over its calls.
- Rows are grouped into stages (a top-level child, or a run of a plain Sequential up to a pooling layer) and
  blocks (residual, inception, dense, MBConv … by class name, ``BLOCK_KINDS``); ``structure`` reads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from vision_core.errors import BadInput

from .catalog import TRAIN_MODE, info

__all__ = [
    "BLOCK_KINDS",
    "MAX_CHANNELS",
    "MAX_PIXELS",
    "LayerRow",
    "ModelSummary",
    "block_rows",
    "shape_text",
    "stage_totals",
    "summarize",
    "validate_size",
]

MAX_CHANNELS = 65_536
"""Most input (and, in the editor, output) channels the explorer takes."""
MAX_PIXELS = 4096 * 4096
"""Largest input H×W the explorer takes."""

BLOCK_KINDS: dict[str, str] = {
    "BasicBlock": "residual", "Bottleneck": "residual", "ResidualBlock": "residual", "BottleneckBlock": "residual",
    "Inception": "inception", "InceptionA": "inception", "InceptionB": "inception", "InceptionC": "inception",
    "InceptionD": "inception", "InceptionE": "inception", "InceptionAux": "auxiliary",
    "_DenseBlock": "dense", "DenseBlock": "dense", "_Transition": "transition", "Transition": "transition",
    "InvertedResidual": "mbconv", "MBConv": "mbconv", "FusedMBConv": "mbconv",
    "DoubleConv": "unet", "UpBlock": "unet",
}
_POOLS = (nn.MaxPool2d, nn.AvgPool2d)


@dataclass(frozen=True)
class LayerRow:
    """One module of the network, in forward (pre-)order: what it is, where it sits, what it costs, its output.

    ``block`` is the nearest enclosing residual/inception/dense/MBConv block (or the stage), ``block_kind`` its kind.
    ``params_*`` and ``macs`` cover the whole subtree (a leaf's own values); ``output_shape`` is the full
    shape of the (first) output tensor, ``None`` when the module did not run or returned no tensor.
    """

    name: str
    type: str
    depth: int
    is_leaf: bool
    block: str
    block_kind: str
    stage: str
    params_trainable: int
    params_frozen: int
    macs: int
    activation_bytes: int
    calls: int
    output_text: str
    output_shape: tuple[int, ...] | None

    @property
    def params(self) -> int:
        return self.params_trainable + self.params_frozen


@dataclass(frozen=True)
class ModelSummary:
    """Every layer of a network and its totals, for one ``(C, H, W)`` input at batch size 1."""

    name: str
    title: str
    input_size: tuple[int, ...]
    layers: tuple[LayerRow, ...]
    total_params: int
    trainable_params: int
    frozen_params: int
    total_macs: int
    activation_bytes: int
    output_text: str
    device: str
    note: str = ""

    @property
    def leaves(self) -> tuple[LayerRow, ...]:
        return tuple(r for r in self.layers if r.is_leaf)

    @property
    def total_flops(self) -> int:
        return 2 * self.total_macs

    def row(self, name: str) -> LayerRow:
        for r in self.layers:
            if r.name == name:
                return r
        raise BadInput(f"{self.title} has no layer named {name!r}.")


def shape_text(shape: tuple[int, ...] | None) -> str:
    """``(1, 64, 56, 56)`` → ``"64×56×56"`` (a leading batch of 1 dropped); ``None`` → ``"—"``."""
    if shape is None:
        return "—"
    dims = shape[1:] if len(shape) > 1 and shape[0] == 1 else shape
    return "×".join(str(d) for d in dims) if dims else "scalar"


def _tensors(obj: Any) -> Iterator[torch.Tensor]:
    if isinstance(obj, torch.Tensor):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _tensors(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _tensors(v)


def _describe(obj: Any) -> tuple[tuple[int, ...] | None, str]:
    if isinstance(obj, torch.Tensor):
        shape = tuple(int(d) for d in obj.shape)
        return shape, shape_text(shape)
    ts = list(_tensors(obj))
    if not ts:
        return None, "—"
    first = tuple(int(d) for d in ts[0].shape)
    kind = "dict" if isinstance(obj, dict) else type(obj).__name__
    if len(ts) == 1:
        return first, shape_text(first)
    return first, f"{kind} of {len(ts)}: {shape_text(first)}, …"


def validate_size(input_size: Any) -> tuple[int, int, int]:
    """``input_size`` as three positive integers ``(C, H, W)``; ``BadInput`` with a sentence when it is not one,
    or when it exceeds ``MAX_PIXELS`` pixels or ``MAX_CHANNELS`` channels."""
    try:
        size = tuple(int(v) for v in input_size)
    except (TypeError, ValueError):
        raise BadInput(f"input_size must be (C, H, W) integers, got {input_size!r}.") from None
    if len(size) != 3 or min(size) < 1:
        raise BadInput(f"input_size must be three positive integers (C, H, W), got {size}.")
    if size[1] * size[2] > MAX_PIXELS:
        raise BadInput(f"{size[1]}×{size[2]} is too large for the explorer; use at most 4096×4096 pixels.")
    if size[0] > MAX_CHANNELS:
        raise BadInput(f"{size[0]} input channels is more than the explorer takes (at most {MAX_CHANNELS:,}).")
    return size  # type: ignore[return-value]


def _stage_names(model: nn.Module) -> dict[str, str]:
    """Leaf name → stage label. A depth-1 child is a stage; a plain Sequential of leaves (VGG's
    ``features``, LeNet itself) is split after each pooling layer."""
    stages: dict[str, str] = {}

    def split(prefix: str, container: nn.Module) -> None:
        group: list[str] = []
        for child_name, child in container.named_children():
            full = f"{prefix}{child_name}"
            group.append(full)
            if isinstance(child, _POOLS):
                label = f"{group[0]}…{group[-1]}" if len(group) > 1 else group[0]
                for n in group:
                    stages[n] = label
                group = []
        if group:
            label = f"{group[0]}…{group[-1]}" if len(group) > 1 else group[0]
            for n in group:
                stages[n] = label

    def flat(m: nn.Module) -> bool:
        kids = list(m.children())
        return isinstance(m, nn.Sequential) and bool(kids) and all(not list(k.children()) for k in kids)

    if flat(model):
        split("", model)
        return stages
    top = list(model.named_children())
    wrapped = len(top) <= 3
    for child_name, child in top:
        kids = list(child.named_children())
        if flat(child) and any(isinstance(k, _POOLS) for k in child.children()):
            split(f"{child_name}.", child)
        elif isinstance(child, nn.ModuleList) or (
            wrapped and len(kids) >= 3 and type(child).__name__ not in BLOCK_KINDS and not flat(child)
        ):
            for kid_name, _ in kids:
                stages[f"{child_name}.{kid_name}"] = f"{child_name}.{kid_name}"
        else:
            stages[child_name] = child_name
    return stages


def _stage_of(name: str, stages: dict[str, str]) -> str:
    probe = name
    while probe:
        if probe in stages:
            return stages[probe]
        probe = probe.rsplit(".", 1)[0] if "." in probe else ""
    return name.split(".")[0]


def summarize(
    model: str | nn.Module,
    input_size: tuple[int, int, int] | None = None,
    *,
    title: str | None = None,
    train_mode: bool | None = None,
) -> ModelSummary:
    """Run ``model`` once on a ``(1, *input_size)`` input and return every layer's shape, parameters and MACs.

    ``model`` is a name from ``available()`` (built fresh with random weights, on the meta device where
    possible, and dropped afterwards) or any ``nn.Module`` (run on the device of its parameters, in eval
    mode unless ``train_mode``; its mode is restored). ``input_size`` defaults to the network's own size.
    Raises ``BadInput`` with a sentence when the input does not fit the network.
    """
    if isinstance(model, str):
        net = info(model)
        size = validate_size(input_size or net.input_size)
        device = torch.device("meta" if net.meta_device else "cpu")
        with torch.device(device), torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            module = net.build()
        if hasattr(module, "rpn"):
            module.rpn.nms_thresh = 1.0  # random weights: every proposal kept, so the count does not depend on them
        name, label, note = net.name, title or net.title, net.note
        list_input = net.list_input
        train = (net.name in TRAIN_MODE) if train_mode is None else train_mode
    elif isinstance(model, nn.Module):
        if input_size is None:
            raise BadInput("Give the input size (C, H, W) for a module of your own.")
        size = validate_size(input_size)
        module = model
        first = next(iter(module.parameters()), None)
        device = first.device if first is not None else torch.device("cpu")
        name, label, note, list_input = type(model).__name__, title or type(model).__name__, "", False
        train = bool(train_mode)
    else:
        raise BadInput(f"summarize() takes a network name or an nn.Module, not {type(model).__name__}.")
    return _summarize_module(module, size, device, name, label, note, list_input, train)


def _summarize_module(
    module: nn.Module, size: tuple[int, ...], device: torch.device, name: str, label: str, note: str,
    list_input: bool, train: bool,
) -> ModelSummary:
    named = list(module.named_modules())
    seen: set[int] = set()
    own_train: dict[str, int] = {}
    own_frozen: dict[str, int] = {}
    for n, m in named:
        t = f = 0
        for p in m.parameters(recurse=False):
            if id(p) in seen:
                continue
            seen.add(id(p))
            if p.requires_grad:
                t += p.numel()
            else:
                f += p.numel()
        own_train[n], own_frozen[n] = t, f

    counter = FlopCounterMode(display=False)
    start: dict[int, list[int]] = {}
    flops: dict[int, int] = {}
    calls: dict[int, int] = {}
    outputs: dict[int, tuple[tuple[int, ...] | None, str]] = {}
    out_bytes: dict[int, int] = {}

    def total() -> int:
        return int(sum(counter.flop_counts["Global"].values()))

    def pre(m: nn.Module, _args: Any) -> None:
        start.setdefault(id(m), []).append(total())

    def post(m: nn.Module, _args: Any, out: Any) -> None:
        key = id(m)
        flops[key] = flops.get(key, 0) + total() - start[key].pop()
        calls[key] = calls.get(key, 0) + 1
        if key not in outputs:
            outputs[key] = _describe(out)
        out_bytes[key] = out_bytes.get(key, 0) + sum(t.numel() * t.element_size() for t in _tensors(out))

    handles = []
    for _, m in named:
        handles.append(m.register_forward_pre_hook(pre))
        handles.append(m.register_forward_hook(post))
    was_training = module.training
    module.train(train)
    x = torch.zeros((1, *size), device=device)
    try:
        with counter, torch.no_grad():
            out = module([x[0]]) if list_input else module(x)
    except RuntimeError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BadInput(
            f"{label} cannot run on a {'×'.join(map(str, size))} input: {first_line[:300]}"
        ) from None
    finally:
        for h in handles:
            h.remove()
        module.train(was_training)

    stages = _stage_names(module)
    rows: list[LayerRow] = []
    sub_train = dict(own_train)
    sub_frozen = dict(own_frozen)
    for n, _m in sorted((nm for nm in named if nm[0]), key=lambda nm: -nm[0].count(".")):
        parent = n.rsplit(".", 1)[0] if "." in n else ""
        sub_train[parent] += sub_train[n]
        sub_frozen[parent] += sub_frozen[n]

    block_of: dict[str, tuple[str, str]] = {}
    for n, m in named:
        if not n:
            continue
        parent = n.rsplit(".", 1)[0] if "." in n else ""
        kind = BLOCK_KINDS.get(type(m).__name__, "")
        inherited = block_of.get(parent, ("", ""))
        block_of[n] = inherited if inherited[0] else ((n, kind) if kind else ("", ""))
        stage = _stage_of(n, stages)
        shape, text = outputs.get(id(m), (None, "—"))
        rows.append(LayerRow(
            name=n, type=type(m).__name__, depth=n.count(".") + 1, is_leaf=not list(m.children()),
            output_shape=shape, output_text=text, params_trainable=sub_train[n], params_frozen=sub_frozen[n],
            macs=flops.get(id(m), 0) // 2, activation_bytes=out_bytes.get(id(m), 0), calls=calls.get(id(m), 0),
            block=block_of[n][0] or stage, block_kind=block_of[n][1], stage=stage,
        ))
    total_macs = total() // 2
    _, out_text = _describe(out)
    act = sum(r.activation_bytes for r in rows if r.is_leaf)
    return ModelSummary(
        name=name, title=label, input_size=size, layers=tuple(rows),
        total_params=sub_train[""] + sub_frozen[""], trainable_params=sub_train[""], frozen_params=sub_frozen[""],
        total_macs=total_macs, activation_bytes=int(act), output_text=out_text, device=str(device), note=note,
    )


def block_rows(summary: ModelSummary) -> list[LayerRow]:
    """The rows at block level: every residual/inception/dense/MBConv block as one row, other layers as leaves.

    A row is kept when it is a block (``block_kind`` set and it is the block itself) or a leaf outside any block.
    """
    out: list[LayerRow] = []
    for r in summary.layers:
        if r.block_kind and r.block == r.name:
            out.append(r)
        elif r.is_leaf and not r.block_kind:
            out.append(r)
    return out


def stage_totals(summary: ModelSummary) -> list[tuple[str, int, int]]:
    """``(stage, params, macs)`` per stage in forward order, from the leaves (plus container-only compute)."""
    order: list[str] = []
    params: dict[str, int] = {}
    macs: dict[str, int] = {}
    for r in summary.layers:
        if not r.is_leaf:
            continue
        if r.stage not in params:
            order.append(r.stage)
            params[r.stage] = macs[r.stage] = 0
        params[r.stage] += r.params
        macs[r.stage] += r.macs
    rest_p = summary.total_params - sum(params.values())
    rest_m = summary.total_macs - sum(macs.values())
    out = [(s, params[s], macs[s]) for s in order]
    if rest_p or rest_m:
        out.append(("(outside layers)", rest_p, rest_m))
    return out

