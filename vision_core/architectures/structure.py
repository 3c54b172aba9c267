"""The structure of a summarised network: its blocks in forward order, the way a block diagram draws them.

``block_structure(summary)`` reads a ``ModelSummary`` (no model is run again) and returns a ``Structure``:

- one ``Block`` per residual / inception / dense / transition / MBConv / U-Net block (``BLOCK_KINDS``, by the
  module's class name), and one per run of plain layers between blocks (kind ``""``; a run ends where its stage
  ends, so VGG's ``features`` splits after each pooling layer and a ResNet's stem stays one box);
- for an inception block its branches (``(name, output C×H×W)``: torchvision's Inception v3 names its branch
  layers ``branch3x3_1``, ``branch3x3_2a`` … and those are one branch, ``branch3x3``);
- the shortcut of each block: ``"identity"`` (F(x) + x), ``"projection"`` (a 1×1 convolution on the shortcut,
  torchvision's ``downsample``) or ``""``; an MBConv block has an identity shortcut when its output shape equals
  what reaches it;
- U-Net's skip concatenations as ``(encoder block index, decoder block index)`` pairs: each up-block takes the
  feature map of the first double convolution before it (in forward order) with the same H×W.

Shapes in ``output_shape`` include the batch of 1, ``output_text`` is ``C×H×W``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vision_core.checks import check_choice
from vision_core.errors import BadInput

from .summary import BLOCK_KINDS, LayerRow, ModelSummary, block_rows

__all__ = ["BLOCK_DETAILS", "SHORTCUTS", "Block", "Structure", "block_structure"]

BLOCK_DETAILS: dict[str, str] = {
    "residual": "F(x) + x", "mbconv": "expand → depthwise → project", "transition": "1×1 conv + pool",
    "inception": "parallel branches, concatenated", "auxiliary": "auxiliary classifier (training)",
}
"""What a block of each kind does, in a few words (dense blocks give their layer count; U-Net blocks their class)."""
SHORTCUTS = ("", "identity", "projection")
"""Values of ``Block.shortcut``."""
_KINDS = ("", *sorted(set(BLOCK_KINDS.values())))
_DENSE_LAYER_TYPES = ("_DenseLayer", "DenseLayer")
_BRANCH_SUFFIX = re.compile(r"_\d+[ab]?$")


@dataclass(frozen=True)
class Block:
    """One box of the block diagram.

    ``name`` is the block's module name, or for a run of plain layers ``first … last`` (with ``(shared, used n×)``
    when a module in it runs several times); ``title`` is the box's heading (``layer4.1 · BasicBlock``) and
    ``detail`` its second line (what the block does, or the layer types of a run). ``layers`` counts the leaf
    layers in a run or a block, but the dense layers of a dense block. ``params``/``macs`` cover the whole box.
    """

    name: str
    title: str
    detail: str
    kind: str
    stage: str
    output_shape: tuple[int, ...] | None
    output_text: str
    params: int
    macs: int
    layers: int
    branches: tuple[tuple[str, str], ...] = ()
    shortcut: str = ""


@dataclass(frozen=True)
class Structure:
    """The blocks of a network in forward order and its U-Net skip concatenations (pairs of block indices)."""

    title: str
    input_size: tuple[int, ...]
    blocks: tuple[Block, ...]
    concat_skips: tuple[tuple[int, int], ...]

    def of_kind(self, kind: str) -> tuple[Block, ...]:
        """The blocks of one kind (``"residual"``, ``"dense"`` …; ``""`` for runs of plain layers)."""
        check_choice(kind, _KINDS, "block kind")
        return tuple(b for b in self.blocks if b.kind == kind)

    def stages(self, kind: str) -> dict[str, int]:
        """Stage → number of blocks of ``kind`` in it, in forward order (ResNet-18: 2 residual blocks per layer)."""
        counts: dict[str, int] = {}
        for b in self.of_kind(kind):
            counts[b.stage] = counts.get(b.stage, 0) + 1
        return counts


def _children(summary: ModelSummary) -> dict[str, list[LayerRow]]:
    children: dict[str, list[LayerRow]] = {}
    for r in summary.layers:
        parent = r.name.rsplit(".", 1)[0] if "." in r.name else ""
        children.setdefault(parent, []).append(r)
    return children


def _run(group: list[LayerRow]) -> Block:
    names = [r.name for r in group]
    types = [r.type for r in group]
    name = names[0] if len(names) == 1 else f"{names[0]} … {names[-1]}"
    calls = max(r.calls for r in group)
    if calls > 1:
        name += f" (shared, used {calls}×)"
    detail = " → ".join(types if len(types) <= 4 else [*types[:2], "…", types[-1]])
    last = next((r for r in reversed(group) if r.output_shape is not None), group[-1])
    return Block(name, name, detail, "", group[0].stage, last.output_shape, last.output_text,
                 sum(r.params for r in group), sum(r.macs for r in group), len(group))


def _block(r: LayerRow, summary: ModelSummary, kids: list[LayerRow], reaching: tuple[int, ...] | None) -> Block:
    inside = [k for k in summary.layers if k.name.startswith(r.name + ".")]
    branches: list[tuple[str, str]] = []
    if r.block_kind == "inception":
        seen: dict[str, str] = {}
        for k in kids:
            if k.output_shape is not None:
                seen[_BRANCH_SUFFIX.sub("", k.name.rsplit(".", 1)[-1])] = k.output_text
        branches = list(seen.items())
    layers = sum(1 for k in inside if k.is_leaf)
    detail = BLOCK_DETAILS.get(r.block_kind, r.type)
    if r.block_kind == "dense":
        layers = sum(1 for k in inside if k.type in _DENSE_LAYER_TYPES)
        detail = f"{layers} dense layers, each sees all earlier maps"
    projection = any(k.name.endswith(".downsample") for k in kids)
    skip = r.block_kind == "residual" or (r.block_kind == "mbconv" and reaching is not None and reaching == r.output_shape)
    shortcut = ("projection" if projection else "identity") if skip else ""
    return Block(r.name, f"{r.name} · {r.type}", detail, r.block_kind, r.stage, r.output_shape, r.output_text,
                 r.params, r.macs, layers, tuple(branches), shortcut)


def _concat_skips(blocks: list[Block]) -> tuple[tuple[int, int], ...]:
    unet = [(i, b) for i, b in enumerate(blocks) if b.kind == "unet"]
    pairs = []
    for i, b in unet:
        if b.detail != "UpBlock" or b.output_shape is None:
            continue
        for j, e in unet:
            if j < i and e.detail == "DoubleConv" and e.output_shape is not None and e.output_shape[-2:] == b.output_shape[-2:]:
                pairs.append((j, i))
                break
    return tuple(pairs)


def block_structure(summary: ModelSummary) -> Structure:
    """The blocks of ``summary`` in forward order (see the module's docstring); ``BadInput`` for anything else."""
    if not isinstance(summary, ModelSummary):
        raise BadInput(f"block_structure() reads a ModelSummary (from summarize), not {type(summary).__name__}.")
    children = _children(summary)
    blocks: list[Block] = []
    group: list[LayerRow] = []
    reaching: tuple[int, ...] | None = (1, *summary.input_size)
    for r in block_rows(summary):
        if not r.block_kind:
            stem = group and group[-1].stage == group[-1].name and r.stage == r.name
            if group and group[-1].stage != r.stage and not stem:
                blocks.append(_run(group))
                reaching = blocks[-1].output_shape
                group = []
            group.append(r)
            continue
        if group:
            blocks.append(_run(group))
            reaching = blocks[-1].output_shape
            group = []
        blocks.append(_block(r, summary, children.get(r.name, []), reaching))
        reaching = blocks[-1].output_shape
    if group:
        blocks.append(_run(group))
    return Structure(summary.title, summary.input_size, tuple(blocks), _concat_skips(blocks))
