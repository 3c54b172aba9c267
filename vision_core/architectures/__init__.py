"""Classic CNNs layer by layer: exact output shapes, parameters and multiply-adds.

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
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from vision_core.models import blocks as arch_zoo
from vision_core.models.lenet import lenet5

__all__ = [
    "EDIT_KINDS",
    "EDIT_LIMITS",
    "EDIT_PRESETS",
    "GOOGLENET_INCEPTION",
    "MAX_EDIT_LAYERS",
    "MAX_EDIT_TEXT",
    "BottleneckResult",
    "Claim",
    "DiffRow",
    "EditLayer",
    "EditResult",
    "EditRow",
    "LayerRow",
    "ModelSummary",
    "NetworkInfo",
    "Reference",
    "accuracy_table",
    "available",
    "block_rows",
    "build",
    "diff",
    "evaluate",
    "edit_from_text",
    "edit_to_text",
    "export_code",
    "inception_bottleneck",
    "info",
    "layer_names",
    "lecture_pattern",
    "preset",
    "propagate",
    "reference",
    "shape_text",
    "stage_totals",
    "summarize",
]


@dataclass(frozen=True)
class NetworkInfo:
    """A network the explorer can open: its builder, default input ``(C, H, W)`` and family."""

    name: str
    title: str
    family: str
    input_size: tuple[int, int, int]
    build: Callable[[], nn.Module] = field(repr=False)
    meta_device: bool = True
    list_input: bool = False
    torchvision: str = ""
    note: str = ""


def _tv(builder: str, **kwargs: Any) -> Callable[[], nn.Module]:
    def build() -> nn.Module:
        from torchvision.models import get_model

        return get_model(builder, weights=None, **kwargs)

    return build


def _fasterrcnn_v1() -> nn.Module:
    from torchvision.models import resnet50
    from torchvision.models.detection import FasterRCNN
    from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
    from torchvision.ops.misc import FrozenBatchNorm2d

    backbone = _resnet_fpn_extractor(resnet50(weights=None, norm_layer=FrozenBatchNorm2d), 3)
    return FasterRCNN(backbone, num_classes=91)


def _catalog() -> dict[str, NetworkInfo]:
    nets: list[NetworkInfo] = [
        NetworkInfo("lenet5", "LeNet-5 (lecture)", "LeNet", (1, 32, 32), lambda: lenet5("lecture")),
        NetworkInfo("lenet5_keras", "LeNet-5 (lecture's Keras variant, 3×3)", "LeNet", (1, 32, 32), lambda: lenet5("keras")),
        NetworkInfo("alexnet", "AlexNet", "AlexNet", (3, 224, 224), _tv("alexnet"), torchvision="alexnet"),
    ]
    for depth in (11, 13, 16, 19):
        for bn in ("", "_bn"):
            name = f"vgg{depth}{bn}"
            title = f"VGG-{depth}" + (" with batch norm" if bn else "")
            nets.append(NetworkInfo(name, title, "VGG", (3, 224, 224), _tv(name), torchvision=name))
    nets += [
        NetworkInfo("googlenet", "GoogLeNet (Inception v1)", "Inception", (3, 224, 224),
                    _tv("googlenet", aux_logits=False, init_weights=True), torchvision="googlenet",
                    note="Built without the two auxiliary classifiers, like torchvision's released weights; "
                         "see googlenet_aux for the training-time network."),
        NetworkInfo("googlenet_aux", "GoogLeNet with auxiliary classifiers (training mode)", "Inception",
                    (3, 224, 224), _tv("googlenet", aux_logits=True, init_weights=True),
                    note="Summarised in training mode so the auxiliary outputs run; they are dropped after training."),
        NetworkInfo("inception_v3", "Inception v3", "Inception", (3, 299, 299),
                    _tv("inception_v3", aux_logits=True, init_weights=True), torchvision="inception_v3",
                    note="Evaluation mode: the auxiliary classifier (AuxLogits) holds parameters but does not run."),
    ]
    for depth in (18, 34, 50, 101, 152):
        nets.append(NetworkInfo(f"resnet{depth}", f"ResNet-{depth}", "ResNet", (3, 224, 224), _tv(f"resnet{depth}"),
                                torchvision=f"resnet{depth}"))
    nets += [
        NetworkInfo("resnet56_cifar", "ResNet-56 (CIFAR, 6n+2, n=9)", "ResNet", (3, 32, 32), lambda: arch_zoo.cifar_resnet(56)),
        NetworkInfo("resnet110_cifar", "ResNet-110 (CIFAR, 6n+2, n=18)", "ResNet", (3, 32, 32), lambda: arch_zoo.cifar_resnet(110)),
    ]
    for depth in (121, 169, 201):
        nets.append(NetworkInfo(f"densenet{depth}", f"DenseNet-{depth}", "DenseNet", (3, 224, 224), _tv(f"densenet{depth}"),
                                torchvision=f"densenet{depth}"))
    nets += [
        NetworkInfo("mobilenet_v2", "MobileNet v2", "MobileNet", (3, 224, 224), _tv("mobilenet_v2"), torchvision="mobilenet_v2"),
        NetworkInfo("mobilenet_v3_small", "MobileNet v3 small", "MobileNet", (3, 224, 224), _tv("mobilenet_v3_small"),
                    torchvision="mobilenet_v3_small"),
        NetworkInfo("mobilenet_v3_large", "MobileNet v3 large", "MobileNet", (3, 224, 224), _tv("mobilenet_v3_large"),
                    torchvision="mobilenet_v3_large"),
        NetworkInfo("efficientnet_b0", "EfficientNet-B0", "EfficientNet", (3, 224, 224), _tv("efficientnet_b0"),
                    torchvision="efficientnet_b0"),
        NetworkInfo("fasterrcnn_resnet50_fpn", "Faster R-CNN ResNet-50 FPN (detection)", "Detection", (3, 224, 224),
                    _fasterrcnn_v1, meta_device=False, list_input=True, torchvision="fasterrcnn_resnet50_fpn",
                    note="Runs on the CPU with a blank image (NMS's output size depends on the data, so the meta device "
                         "cannot run it); the image is resized to 800×800 inside the model. The box head is counted for "
                         "the RPN's full 1000 proposals (its NMS set to keep every box), as torchvision's figure is. "
                         "Backbone conv1 and layer1 are frozen, as in torchvision's training recipe."),
        NetworkInfo("fasterrcnn_resnet50_fpn_v2", "Faster R-CNN ResNet-50 FPN v2 (detection)", "Detection", (3, 224, 224),
                    _tv("fasterrcnn_resnet50_fpn_v2", weights_backbone=None), meta_device=False, list_input=True,
                    torchvision="fasterrcnn_resnet50_fpn_v2",
                    note="Runs on the CPU with a blank image (NMS needs real data); resized to 800×800 inside the model. "
                         "The box head is counted for the RPN's full 1000 proposals, as torchvision's figure is."),
        NetworkInfo("fcn_resnet50", "FCN ResNet-50 (segmentation)", "Segmentation", (3, 520, 520),
                    _tv("fcn_resnet50", weights_backbone=None, aux_loss=True, num_classes=21), torchvision="fcn_resnet50"),
        NetworkInfo("deeplabv3_resnet50", "DeepLabV3 ResNet-50 (segmentation)", "Segmentation", (3, 520, 520),
                    _tv("deeplabv3_resnet50", weights_backbone=None, aux_loss=True, num_classes=21),
                    torchvision="deeplabv3_resnet50"),
        NetworkInfo("unet", "U-Net (small, base 32, 4 levels)", "Segmentation", (3, 256, 256), lambda: arch_zoo.UNet()),
    ]
    return {n.name: n for n in nets}


_CATALOG = _catalog()
_TRAIN_MODE = {"googlenet_aux"}


def available() -> list[str]:
    """Names of every network the explorer opens, in course order (LeNet-5 → DenseNet → beyond)."""
    return list(_CATALOG)


def info(name: str) -> NetworkInfo:
    """The catalogue entry for ``name``; ``ValueError`` for an unknown name."""
    try:
        return _CATALOG[name]
    except KeyError:
        raise ValueError(f"Unknown network {name!r}. Choose one of: {', '.join(_CATALOG)}.") from None


# --------------------------------------------------------------------------- summaries

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
    """One module of the network, in forward (pre-)order.

    ``params_*`` and ``macs`` cover the whole subtree (a leaf's own values); ``output_shape`` is the full
    shape of the (first) output tensor, ``None`` when the module did not run or returned no tensor.
    ``block`` is the nearest enclosing residual/inception/dense/MBConv block (or the stage), ``block_kind`` its kind.
    """

    name: str
    type: str
    depth: int
    is_leaf: bool
    output_shape: tuple[int, ...] | None
    output_text: str
    params_trainable: int
    params_frozen: int
    macs: int
    activation_bytes: int
    calls: int
    block: str
    block_kind: str
    stage: str

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
    def total_flops(self) -> int:
        return 2 * self.total_macs

    @property
    def leaves(self) -> tuple[LayerRow, ...]:
        return tuple(r for r in self.layers if r.is_leaf)

    def row(self, name: str) -> LayerRow:
        for r in self.layers:
            if r.name == name:
                return r
        raise ValueError(f"{self.title} has no layer named {name!r}.")


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


def _validate_size(input_size: Any) -> tuple[int, ...]:
    try:
        size = tuple(int(v) for v in input_size)
    except (TypeError, ValueError):
        raise ValueError(f"input_size must be (C, H, W) integers, got {input_size!r}.") from None
    if len(size) != 3 or min(size) < 1:
        raise ValueError(f"input_size must be three positive integers (C, H, W), got {size}.")
    if size[1] * size[2] > 4096 * 4096:
        raise ValueError(f"{size[1]}×{size[2]} is too large for the explorer; use at most 4096×4096 pixels.")
    if size[0] > EDIT_LIMITS["out"]:
        raise ValueError(f"{size[0]} input channels is more than the explorer takes (at most {EDIT_LIMITS['out']:,}).")
    return size


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
    Raises ``ValueError`` with a sentence when the input does not fit the network.
    """
    if isinstance(model, str):
        net = info(model)
        size = _validate_size(input_size or net.input_size)
        device = torch.device("meta" if net.meta_device else "cpu")
        with torch.device(device), torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            module = net.build()
        if hasattr(module, "rpn"):
            module.rpn.nms_thresh = 1.0  # random weights: every proposal kept, so the count does not depend on them
        name, label, note = net.name, title or net.title, net.note
        list_input = net.list_input
        train = (net.name in _TRAIN_MODE) if train_mode is None else train_mode
    elif isinstance(model, nn.Module):
        if input_size is None:
            raise ValueError("Give the input size (C, H, W) for a module of your own.")
        size = _validate_size(input_size)
        module = model
        first = next(iter(module.parameters()), None)
        device = first.device if first is not None else torch.device("cpu")
        name, label, note, list_input = type(model).__name__, title or type(model).__name__, "", False
        train = bool(train_mode)
    else:
        raise ValueError(f"summarize() takes a network name or an nn.Module, not {type(model).__name__}.")
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
        raise ValueError(
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


# --------------------------------------------------------------------------- references


@dataclass(frozen=True)
class Claim:
    """A figure quoted in the lecture: ``value`` parameters, where it comes from, and how it relates to ours."""

    text: str
    value: float
    source: str
    note: str = ""


@dataclass(frozen=True)
class Reference:
    """Published figures for a network: torchvision's weights metadata and the lecture's claims and ideas."""

    num_params: int | None
    gmacs: float | None
    metrics: dict[str, float]
    dataset: str
    weights: str
    claims: tuple[Claim, ...]
    ideas: tuple[str, ...]


_L000 = "lecture 000 (CNN architectures)"
_L003 = "lecture 003 (ImageNet challenge)"

_CLAIMS: dict[str, tuple[Claim, ...]] = {
    "alexnet": (
        Claim("60M parameters", 60e6, _L000, "The paper's rounded figure; torchvision's AlexNet (one-GPU variant, 64/192 "
              "filters in the first layers) has 61.1M, matching lecture 003's \"61 million\"."),
        Claim("61 million parameters", 61e6, _L003),
    ),
    "vgg16": (Claim("138M parameters (quoted for VGG-19)", 138e6, _L000,
                    "138M is VGG-16's count (138.4M); the lecture attaches it to VGG-19."),),
    "vgg19": (
        Claim("138M parameters", 138e6, _L000, "This is VGG-16's count; VGG-19 has 143.7M."),
        Claim("144 millions of parameters", 144e6, _L000, "Matches VGG-19 (143.7M) rounded."),
    ),
    "googlenet": (
        Claim("7M parameters", 7e6, _L000, "Close to torchvision's 6.6M without auxiliary classifiers."),
        Claim("4 million parameters (?)", 4e6, _L000, "The paper's ~4M leaves out the 1024×1000 classifier (1.0M) and "
              "counts no batch norm; torchvision's version has both."),
        Claim("5 million parameters", 5e6, _L003, "The paper's \"12× fewer than AlexNet\"; torchvision's has 6.6M."),
    ),
    "googlenet_aux": (Claim("7M parameters", 7e6, _L000, "The two auxiliary classifiers add 6.4M during training only."),),
    "resnet50": (Claim("25.5M parameters", 25.5e6, _L000, "Matches ResNet-50 (25.56M); the lecture does not say which depth."),),
    "resnet56_cifar": (Claim("ResNet 56 layers: 0.85M parameters (?)", 0.85e6, _L000, "Confirmed: 0.853M with parameter-free shortcuts."),),
    "resnet110_cifar": (Claim("ResNet 110 layers: 1.7M parameters (?)", 1.7e6, _L000, "Confirmed: 1.728M with parameter-free shortcuts."),),
}

_IDEAS: dict[str, tuple[str, ...]] = {
    "LeNet": ("LeCun, 1998, used on MNIST", "32×32×1 → conv 28×28×6 → subsample 14×14×6 → conv 10×10×16 → 5×5×16 → FC 120 → FC 84 → 10",
              "The Keras variant uses 3×3 filters, ReLU and average pooling"),
    "AlexNet": ("Winner of ILSVRC 2012: succeeded in training a large CNN", "Proposed ReLU", "Used dropout",
                "Trained on 2 GPUs", "Data augmentation (rotation, scale, crops, etc.)",
                "Indication that the number of layers is important"),
    "VGG": ("2nd place ILSVRC 2014", "Only 3×3 convolutions", "Stride 1 for the convolutions (AlexNet used stride ≥ 1)",
            "Few filters in the first layers, doubling as we advance (64 → 128 → 256 → 512)", "16 or 19 layers"),
    "Inception": ("Winner of ILSVRC 2014", "Network in network: inception modules with parallel 1×1, 3×3, 5×5 and pooling branches",
                  "1×1 convolutions reduce channels before the expensive 3×3 and 5×5 (see the bottleneck calculator)",
                  "Auxiliary outputs reinforce the intermediate layers during training",
                  "More aggressive data augmentation than AlexNet",
                  "Variants replace a 5×5 by two 3×3, or a 3×3 by a 1×3 and a 3×1 (Inception v3)"),
    "ResNet": ("Winner of ILSVRC 2015", "Learn the residual: H(x) = F(x) + x, so the identity is a zero residual",
               "Batch normalization after each convolution, before the activation", "No dropout",
               "Trains networks of more than 100 layers (ResNet-110, ResNet-152)"),
    "DenseNet": ("Dense blocks: each layer receives the feature maps of all previous layers (concatenation)",
                 "Growth rate k: each layer adds k channels", "Transition layers between dense blocks change the "
                 "feature-map size with convolution and pooling"),
}


def reference(name: str) -> Reference:
    """torchvision's published figures for ``name`` (offline, from its weights metadata) and the lecture's claims."""
    net = info(name)
    num_params = gmacs = None
    metrics: dict[str, float] = {}
    dataset = weights_name = ""
    if net.torchvision:
        from torchvision.models import get_model_weights

        w = get_model_weights(net.torchvision).DEFAULT
        num_params = int(w.meta["num_params"])
        gmacs = float(w.meta["_ops"]) if "_ops" in w.meta else None
        dataset, values = next(iter(w.meta.get("_metrics", {}).items()), ("", {}))
        metrics = {k: float(v) for k, v in values.items()}
        weights_name = str(w)
    return Reference(num_params, gmacs, metrics, dataset, weights_name, _CLAIMS.get(name, ()), _IDEAS.get(net.family, ()))


def accuracy_table() -> list[dict[str, Any]]:
    """ImageNet classifiers with published metadata: name, family, params, GMACs, top-1, top-5 (torchvision, offline)."""
    rows = []
    for name, net in _CATALOG.items():
        if not net.torchvision:
            continue
        ref = reference(name)
        if ref.dataset != "ImageNet-1K":
            continue
        rows.append({"name": name, "family": net.family, "params": ref.num_params, "gmacs": ref.gmacs,
                     "top1": ref.metrics.get("acc@1"), "top5": ref.metrics.get("acc@5")})
    return rows


# --------------------------------------------------------------------------- inception bottleneck


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
        if int(v) != v or v < 1:
            raise ValueError(f"{k} must be a positive whole number, got {v}.")
    if kernel % 2 == 0:
        raise ValueError(f"Use an odd kernel (1, 3, 5, 7 …) so 'same' padding keeps {height}×{width}; got {kernel}.")
    if height * width * channels > 2**31:
        raise ValueError("That input is too large for the calculator.")
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



# --------------------------------------------------------------------------- what-if editor

EDIT_KINDS: tuple[str, ...] = (
    "conv", "bn", "relu", "tanh", "maxpool", "avgpool", "adaptiveavg", "flatten", "fc", "dropout",
    "residual", "residual-pad", "bottleneck", "dense", "transition", "inception",
)
"""Layer kinds of the what-if editor. ``out`` is channels (conv, residual, bottleneck, transition), features (fc)
or the output side (adaptiveavg); ``layers``/``growth`` configure a dense block; ``branches`` an inception module's
six widths (#1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj, as in GoogLeNet's Table 1); ``in_`` (0 = adapt)
is the input channels/features the layer was written for, as in hand-written PyTorch code."""

EDIT_LIMITS: dict[str, int] = {"out": 65_536, "kernel": 4096, "stride": 4096, "padding": 4096, "layers": 256,
                               "growth": 4096, "in_": 1 << 40, "branches": 65_536}
"""Largest value the what-if editor accepts per field (channels, features and widths up to 65,536)."""
MAX_EDIT_LAYERS = 1000
"""Most rows the what-if editor accepts."""

_SPATIAL = {"conv", "maxpool", "avgpool", "adaptiveavg", "residual", "residual-pad", "bottleneck", "dense", "transition",
            "inception"}
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


def layer_names(layers: list[EditLayer]) -> list[str]:
    """``conv1, relu1, pool1, conv2 …``: each kind numbered from 1, in order."""
    counts: dict[str, int] = {}
    names = []
    for layer in layers:
        prefix = _PREFIX.get(layer.kind, layer.kind)
        counts[prefix] = counts.get(prefix, 0) + 1
        names.append(f"{prefix}{counts[prefix]}")
    return names


def propagate(layers: list[EditLayer], input_size: tuple[int, int, int], adapt: bool = True) -> list[EditRow]:
    """Output shape and receptive field after every layer, by arithmetic (no model is built).

    Stops at the first layer that cannot run and explains it in that row's ``error``: an unknown kind, a
    non-positive size, a window larger than its (padded) input, a spatial layer after Flatten, FC on a map,
    or (``adapt=False``) a layer whose ``in_`` differs from what reaches it.
    """
    shape: tuple[int, ...] = _validate_size(input_size)
    if len(layers) > MAX_EDIT_LAYERS:
        raise ValueError(f"{len(layers)} layers is more than the editor takes (at most {MAX_EDIT_LAYERS}).")
    dense = sum(max(layer.layers, 0) for layer in layers if layer.kind == "dense")
    if dense > 2 * EDIT_LIMITS["layers"]:
        raise ValueError(f"{dense} dense layers in all is more than the editor takes (at most "
                         f"{2 * EDIT_LIMITS['layers']}; DenseNet-264 has 130).")
    rf: int | None = 1
    jump = 1
    rows: list[EditRow] = []
    for name, layer in zip(layer_names(layers), layers, strict=True):
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
    """The editable network as an ``nn.Sequential`` named ``conv1, relu1, …``; ``ValueError`` (at the offending
    layer) when the shapes do not work out. Build it under ``torch.device("meta")`` to allocate nothing."""
    rows = propagate(layers, input_size, adapt=True)
    if rows and rows[-1].error:
        raise ValueError(rows[-1].error)
    from collections import OrderedDict

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
        return arch_zoo.ResidualBlock(c, layer.out, layer.stride, "pad" if kind == "residual-pad" else "projection")
    if kind == "bottleneck":
        return arch_zoo.BottleneckBlock(c, layer.out, layer.stride)
    if kind == "dense":
        return arch_zoo.DenseBlock(c, layer.layers, layer.growth)
    if kind == "transition":
        return arch_zoo.Transition(c, layer.out)
    if kind == "inception":
        return arch_zoo.InceptionBlock(c, *layer.branches)
    raise ValueError(f"Unknown layer kind {kind!r}.")


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
    except ValueError as exc:
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
    import difflib

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


MAX_EDIT_TEXT = 20_000
"""Longest layer-list text ``edit_from_text`` reads (a shared link's parameter)."""
_TEXT_FIELDS = ("out", "kernel", "stride", "padding", "layers", "growth", "bias", "in_")


def edit_to_text(layers: list[EditLayer]) -> str:
    """A compact, URL-safe text of a layer list, for shared links: one ``kind.f1.f2…`` item per layer, joined by
    ``_``; the fields are ``out, kernel, stride, padding, layers, growth, bias (0/1), in_`` then the inception
    widths, trailing defaults left out. ``edit_from_text`` reads it back."""
    defaults = EditLayer("conv")
    items = []
    for layer in layers:
        values = [str(int(getattr(layer, f))) for f in _TEXT_FIELDS] + [str(int(b)) for b in layer.branches]
        if not layer.branches:
            default_values = [str(int(getattr(defaults, f))) for f in _TEXT_FIELDS]
            while values and values[-1] == default_values[len(values) - 1]:
                values.pop()
        items.append(".".join([layer.kind, *values]))
    return "_".join(items)


def edit_from_text(text: str) -> list[EditLayer]:
    """The layer list written by ``edit_to_text``; ``ValueError`` with a sentence when the text is not one."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("The shared network is empty.")
    if len(text) > MAX_EDIT_TEXT:
        raise ValueError(f"The shared network is too long ({len(text):,} characters; at most {MAX_EDIT_TEXT:,}).")
    layers = []
    defaults = EditLayer("conv")
    for n, item in enumerate(text.strip().split("_"), start=1):
        kind, *fields = item.split(".")
        if kind not in EDIT_KINDS:
            raise ValueError(f"Layer {n} of the shared network has an unknown kind {kind!r}.")
        try:
            numbers = [int(v) for v in fields]
        except ValueError:
            raise ValueError(f"Layer {n} of the shared network ({item[:40]!r}) has a field that is not a whole "
                             "number.") from None
        head, branches = numbers[: len(_TEXT_FIELDS)], numbers[len(_TEXT_FIELDS):]
        values = {f: getattr(defaults, f) for f in _TEXT_FIELDS}
        values.update(zip(_TEXT_FIELDS, head))
        values["bias"] = bool(values["bias"])
        layers.append(EditLayer(kind, branches=tuple(branches), **values))
    if len(layers) > MAX_EDIT_LAYERS:
        raise ValueError(f"The shared network has {len(layers)} layers; the editor takes at most {MAX_EDIT_LAYERS}.")
    return layers


def export_code(layers: list[EditLayer], input_size: tuple[int, int, int]) -> str:
    """Runnable PyTorch source for the network: imports, the block classes it uses, ``model = nn.Sequential(...)``
    and a shape check on a ``(1, C, H, W)`` input. ``ValueError`` when the network does not run."""
    import inspect

    with torch.device("meta"):
        model = build(layers, input_size)
    needed: list[type] = []
    for m in model.modules():
        cls = type(m)
        if cls.__module__ == arch_zoo.__name__ and cls not in needed:
            needed.append(cls)
    if arch_zoo.DenseBlock in needed and arch_zoo.DenseLayer not in needed:
        needed.insert(needed.index(arch_zoo.DenseBlock), arch_zoo.DenseLayer)
    classes = [inspect.getsource(cls) for cls in sorted(needed, key=lambda c: inspect.getsourcelines(c)[1])]
    lines = ["from collections import OrderedDict", "", "import torch", "from torch import nn", "", ""]
    for src in classes:
        lines += [src.rstrip(), "", ""]
    lines.append("model = nn.Sequential(OrderedDict([")
    for name, mod in model.named_children():
        lines.append(f"    ({name!r}, {_ctor(mod)}),")
    lines.append("]))")
    c, h, w = input_size
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
    if isinstance(m, arch_zoo.ResidualBlock):
        shortcut = "pad" if m.downsample is None and m.pad else "projection"
        return f"ResidualBlock({m.conv1.in_channels}, {m.conv1.out_channels}, {m.stride}, {shortcut!r})"
    if isinstance(m, arch_zoo.BottleneckBlock):
        return f"BottleneckBlock({m.conv1.in_channels}, {m.conv3.out_channels}, {m.conv2.stride[0]})"
    if isinstance(m, arch_zoo.DenseBlock):
        first = m.layers[0]
        return f"DenseBlock({first.norm1.num_features}, {len(m.layers)}, {first.conv2.out_channels})"
    if isinstance(m, arch_zoo.Transition):
        return f"Transition({m.conv.in_channels}, {m.conv.out_channels})"
    if isinstance(m, arch_zoo.InceptionBlock):
        widths = [m.branch1[0].out_channels, m.branch3[0][0].out_channels, m.branch3[1][0].out_channels,
                  m.branch5[0][0].out_channels, m.branch5[1][0].out_channels, m.branch_pool[1][0].out_channels]
        return f"InceptionBlock({m.branch1[0].in_channels}, {', '.join(map(str, widths))})"
    raise ValueError(f"Cannot export a {type(m).__name__}.")


def _conv(out: int, k: int, s: int = 1, p: int = 0, bias: bool = True, in_: int = 0) -> EditLayer:
    return EditLayer("conv", out, k, s, p, bias=bias, in_=in_)


def _vgg(cfg: list[int | str], bn: bool = False) -> list[EditLayer]:
    layers: list[EditLayer] = []
    c = 3
    for v in cfg:
        if v == "M":
            layers.append(EditLayer("maxpool", kernel=2, stride=2))
        else:
            layers.append(_conv(int(v), 3, 1, 1, in_=c))
            if bn:
                layers.append(EditLayer("bn", in_=int(v)))
            layers.append(EditLayer("relu"))
            c = int(v)
    return layers + [EditLayer("adaptiveavg", 7), EditLayer("flatten"), EditLayer("fc", 4096, in_=512 * 49), EditLayer("relu"),
                     EditLayer("dropout"), EditLayer("fc", 4096, in_=4096), EditLayer("relu"), EditLayer("dropout"),
                     EditLayer("fc", 1000, in_=4096)]


_VGG_CFG: dict[int, list[int | str]] = {
    11: [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    13: [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    16: [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    19: [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}


def _resnet(kind: str, counts: tuple[int, ...], widths: tuple[int, ...], classes: int = 1000, cifar: bool = False) -> list[EditLayer]:
    if cifar:
        layers = [_conv(16, 3, 1, 1, bias=False, in_=3), EditLayer("bn", in_=16), EditLayer("relu")]
        c = 16
    else:
        layers = [_conv(64, 7, 2, 3, bias=False, in_=3), EditLayer("bn", in_=64), EditLayer("relu"),
                  EditLayer("maxpool", kernel=3, stride=2, padding=1)]
        c = 64
    for stage, (n, width) in enumerate(zip(counts, widths, strict=True)):
        for i in range(n):
            layers.append(EditLayer(kind, width, stride=2 if stage > 0 and i == 0 else 1, in_=c))
            c = width
    return layers + [EditLayer("adaptiveavg", 1), EditLayer("flatten"), EditLayer("fc", classes, in_=c)]


def _densenet(blocks: tuple[int, ...], growth: int = 32, init: int = 64) -> list[EditLayer]:
    layers = [_conv(init, 7, 2, 3, bias=False, in_=3), EditLayer("bn", in_=init), EditLayer("relu"),
              EditLayer("maxpool", kernel=3, stride=2, padding=1)]
    c = init
    for i, n in enumerate(blocks):
        layers.append(EditLayer("dense", layers=n, growth=growth, in_=c))
        c += n * growth
        if i < len(blocks) - 1:
            layers.append(EditLayer("transition", c // 2, in_=c))
            c //= 2
    return layers + [EditLayer("bn", in_=c), EditLayer("relu"), EditLayer("adaptiveavg", 1), EditLayer("flatten"),
                     EditLayer("fc", 1000, in_=c)]


def _lenet(keras: bool) -> list[EditLayer]:
    k = 3 if keras else 5
    flat = 16 * 6 * 6 if keras else 16 * 5 * 5
    return [_conv(6, k, in_=1), EditLayer("relu"), EditLayer("avgpool", kernel=2, stride=2),
            _conv(16, k, in_=6), EditLayer("relu"), EditLayer("avgpool", kernel=2, stride=2), EditLayer("flatten"),
            EditLayer("fc", 120, in_=flat), EditLayer("relu"), EditLayer("fc", 84, in_=120), EditLayer("relu"),
            EditLayer("fc", 10, in_=84)]


GOOGLENET_INCEPTION: dict[str, tuple[int, int, int, int, int, int]] = {
    "3a": (64, 96, 128, 16, 32, 32), "3b": (128, 128, 192, 32, 96, 64),
    "4a": (192, 96, 208, 16, 48, 64), "4b": (160, 112, 224, 24, 64, 64), "4c": (128, 128, 256, 24, 64, 64),
    "4d": (112, 144, 288, 32, 64, 64), "4e": (256, 160, 320, 32, 128, 128),
    "5a": (256, 160, 320, 32, 128, 128), "5b": (384, 192, 384, 48, 128, 128),
}
"""GoogLeNet's inception widths (Szegedy et al. 2014, Table 1): #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj."""


def _googlenet() -> list[EditLayer]:
    pool = EditLayer("maxpool", kernel=3, stride=2, padding=1)
    layers = [_conv(64, 7, 2, 3, in_=3), EditLayer("relu"), pool, _conv(64, 1, in_=64), EditLayer("relu"),
              _conv(192, 3, 1, 1, in_=64), EditLayer("relu"), pool]
    c = 192
    for stage in ("3", "4", "5"):
        for name, widths in GOOGLENET_INCEPTION.items():
            if name.startswith(stage):
                layers.append(EditLayer("inception", branches=widths, in_=c))
                c = widths[0] + widths[2] + widths[4] + widths[5]
        if stage != "5":
            layers.append(pool)
    return layers + [EditLayer("adaptiveavg", 1), EditLayer("flatten"), EditLayer("dropout"),
                     EditLayer("fc", 1000, in_=c)]


def _alexnet() -> list[EditLayer]:
    return [_conv(64, 11, 4, 2, in_=3), EditLayer("relu"), EditLayer("maxpool", kernel=3, stride=2),
            _conv(192, 5, 1, 2, in_=64), EditLayer("relu"), EditLayer("maxpool", kernel=3, stride=2),
            _conv(384, 3, 1, 1, in_=192), EditLayer("relu"), _conv(256, 3, 1, 1, in_=384), EditLayer("relu"),
            _conv(256, 3, 1, 1, in_=256), EditLayer("relu"), EditLayer("maxpool", kernel=3, stride=2),
            EditLayer("adaptiveavg", 6), EditLayer("flatten"), EditLayer("dropout"), EditLayer("fc", 4096, in_=9216),
            EditLayer("relu"), EditLayer("dropout"), EditLayer("fc", 4096, in_=4096), EditLayer("relu"),
            EditLayer("fc", 1000, in_=4096)]


EDIT_PRESETS: dict[str, tuple[tuple[int, int, int], Callable[[], list[EditLayer]]]] = {
    "lenet5": ((1, 32, 32), lambda: _lenet(False)),
    "lenet5_keras": ((1, 32, 32), lambda: _lenet(True)),
    "alexnet": ((3, 224, 224), _alexnet),
    **{f"vgg{d}": ((3, 224, 224), (lambda d=d: _vgg(_VGG_CFG[d]))) for d in (11, 13, 16, 19)},
    **{f"vgg{d}_bn": ((3, 224, 224), (lambda d=d: _vgg(_VGG_CFG[d], bn=True))) for d in (11, 13, 16, 19)},
    "resnet18": ((3, 224, 224), lambda: _resnet("residual", (2, 2, 2, 2), (64, 128, 256, 512))),
    "resnet34": ((3, 224, 224), lambda: _resnet("residual", (3, 4, 6, 3), (64, 128, 256, 512))),
    "resnet50": ((3, 224, 224), lambda: _resnet("bottleneck", (3, 4, 6, 3), (256, 512, 1024, 2048))),
    "resnet56_cifar": ((3, 32, 32), lambda: _resnet("residual-pad", (9, 9, 9), (16, 32, 64), 10, cifar=True)),
    "resnet110_cifar": ((3, 32, 32), lambda: _resnet("residual-pad", (18, 18, 18), (16, 32, 64), 10, cifar=True)),
    "densenet121": ((3, 224, 224), lambda: _densenet((6, 12, 24, 16))),
    "googlenet": ((3, 224, 224), _googlenet),
}
"""Networks the editor can start from: name → (input size, layer list). Their parameter counts equal torchvision's,
but GoogLeNet's, which follows the paper's Table 1 (no batch norm, real 5×5 branches, no LRN or auxiliary heads;
torchvision's ``googlenet`` adds batch norm and uses 3×3 in the "5×5" branch)."""


def preset(name: str) -> tuple[tuple[int, int, int], list[EditLayer]]:
    """``(input_size, layers)`` of an editor preset (see ``EDIT_PRESETS``)."""
    if name not in EDIT_PRESETS:
        raise ValueError(f"The editor can start from {', '.join(EDIT_PRESETS)} or the lecture's pattern; not {name!r}.")
    size, make = EDIT_PRESETS[name]
    return size, make()


def lecture_pattern(n: int = 2, m: int = 2, k: int = 1, conv_width: int = 32, fc_width: int = 128, pool: bool = True,
                    classes: int = 10, double: bool = True) -> list[EditLayer]:
    """INPUT → [[CONV → RELU]·N → POOL?]·M → [FC → RELU]·K → FC, with 3×3 'same' convolutions and 2×2 max pooling.
    Channels start at ``conv_width`` and double after each pool when ``double`` (VGG's rule)."""
    for label, v, lo in (("N", n, 1), ("M", m, 1), ("K", k, 0), ("conv width", conv_width, 1), ("FC width", fc_width, 1),
                         ("classes", classes, 1)):
        if int(v) != v or v < lo:
            raise ValueError(f"{label} must be a whole number of at least {lo}, got {v}.")
    layers: list[EditLayer] = []
    width = conv_width
    for _ in range(m):
        for _ in range(n):
            layers += [_conv(width, 3, 1, 1), EditLayer("relu")]
        if pool:
            layers.append(EditLayer("maxpool", kernel=2, stride=2))
        if double:
            width *= 2
    layers.append(EditLayer("flatten"))
    for _ in range(k):
        layers += [EditLayer("fc", fc_width), EditLayer("relu")]
    return layers + [EditLayer("fc", classes)]
