"""What a network sees: first-layer filters, feature maps, occlusion, Grad-CAM and saliency.

The lecture's "Visualization" part (Zeiler & Fergus 2014; Simonyan et al. 2014;
Selvaraju et al. 2017), on the embedded EfficientNet-Lite0 and VGG-16 conv layers
and on any classifier of ``vision_core.classify``.

Conventions: photos are ``(H, W, 3)`` uint8 RGB; every map is computed on the
``crop`` the classifier sees (``vision_core.classify.prepare``: shorter side 256,
centre crop 224) and has the crop's ``(224, 224)`` shape. Shared models are never
mutated: feature maps come from ``torchvision.models.feature_extraction`` (a new
graph module that reuses the weights), Captum's Grad-CAM hooks go on a private
copy, and occlusion/saliency only run forward/backward passes.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import cv2
import numpy as np
import torch
from torch import nn

from vision_core.classify import CLASSIFIERS, IMAGENET_CLASSES, Conv2dSame, Prepared, _default_net, prepare, probabilities
from vision_core.io.images import validate_image
from vision_core.models import get_model
from vision_core.models.vgg16 import LAYER_NAMES
from vision_core.models.vgg16 import preprocess as vgg_preprocess

__all__ = [
    "Attribution",
    "CLASS_OPTIONS",
    "TOP_PREDICTION",
    "FeatureMaps",
    "FilterGrid",
    "Grid",
    "LayerChoice",
    "VISUAL_MODELS",
    "channel_image",
    "class_index",
    "colourise",
    "describe",
    "feature_grid",
    "feature_layers",
    "feature_maps",
    "first_layer_filters",
    "grad_cam",
    "occlusion_map",
    "occlusion_passes",
    "option_target",
    "overlay",
    "saliency_map",
    "tile_grid",
]

VISUAL_MODELS: dict[str, str] = {
    "efficientnet_lite0": "EfficientNet-Lite0 (embedded)",
    "vgg16_features": "VGG-16 conv layers (embedded)",
}
"""Embedded networks whose filters and feature maps the page shows."""


def _model_net(model: str, net: nn.Module | None) -> nn.Module:
    if model not in VISUAL_MODELS and model not in CLASSIFIERS:
        raise ValueError(f"Unknown network {model!r}. Choose one of: {', '.join(VISUAL_MODELS)}.")
    if net is not None:
        return net
    return _default_net(model) if model in CLASSIFIERS else _vgg_default()


@lru_cache(maxsize=1)
def _vgg_default() -> nn.Module:
    return get_model("vgg16_features", "cpu")


def _device(net: nn.Module) -> torch.device:
    try:
        return next(net.parameters()).device
    except StopIteration:
        return torch.device("cpu")


# ---------------------------------------------------------------- grids and colours


@dataclass(frozen=True)
class Grid:
    """Tiles laid out in rows: ``image`` ``(H, W, 3)`` uint8; tile ``i`` sits at
    row ``i // cols``, column ``i % cols``, each cell ``cell`` pixels plus ``gap``."""

    image: np.ndarray
    cols: int
    cell: int
    gap: int
    count: int

    def index_at(self, x: float, y: float) -> int | None:
        """The tile under pixel ``(x, y)`` of ``image`` (None on a gap or outside)."""
        step = self.cell + self.gap
        col, row = int(x // step), int(y // step)
        if x < 0 or y < 0 or col >= self.cols or x - col * step >= self.cell or y - row * step >= self.cell:
            return None
        i = row * self.cols + col
        return i if i < self.count else None


def tile_grid(tiles: np.ndarray, cols: int, cell: int, gap: int = 2) -> Grid:
    """Lay ``(N, h, w, 3)`` uint8 tiles in a white grid of ``cols`` columns, each upscaled to ``cell`` (nearest)."""
    if tiles.ndim != 4 or tiles.shape[-1] != 3 or len(tiles) == 0:
        raise ValueError(f"tiles must be (N, h, w, 3) with N ≥ 1, got {tiles.shape}.")
    if cols < 1 or cell < 1 or gap < 0:
        raise ValueError("cols and cell must be positive and gap non-negative.")
    n = len(tiles)
    cols = min(cols, n)
    rows = -(-n // cols)
    step = cell + gap
    out = np.full((rows * step - gap, cols * step - gap, 3), 255, np.uint8)
    for i, tile in enumerate(tiles):
        r, c = divmod(i, cols)
        big = cv2.resize(np.ascontiguousarray(tile), (cell, cell), interpolation=cv2.INTER_NEAREST)
        out[r * step : r * step + cell, c * step : c * step + cell] = big
    return Grid(out, cols, cell, gap, n)


def colourise(values: np.ndarray, lo: float | None = None, hi: float | None = None) -> np.ndarray:
    """``(h, w)`` floats → ``(h, w, 3)`` uint8 RGB with the viridis colour map (``lo`` dark, ``hi`` yellow)."""
    v = np.asarray(values, np.float32)
    lo = float(v.min()) if lo is None else lo
    hi = float(v.max()) if hi is None else hi
    scaled = np.zeros_like(v) if hi <= lo else np.clip((v - lo) / (hi - lo), 0.0, 1.0)
    bgr = cv2.applyColorMap(np.rint(scaled * 255).astype(np.uint8), cv2.COLORMAP_VIRIDIS)
    return np.ascontiguousarray(bgr[..., ::-1])


# ---------------------------------------------------------------- first-layer filters


@dataclass(frozen=True)
class FilterGrid:
    """First-layer filters. ``weights``: ``(N, 3, k, k)`` float32 in RGB order;
    ``grid``: each filter as an RGB tile scaled on its own (grey = 0, ±max → 0/255)."""

    model: str
    layer: str
    weights: np.ndarray
    grid: Grid


def first_layer_filters(model: str = "efficientnet_lite0", *, net: nn.Module | None = None, cell: int = 36, cols: int = 8) -> FilterGrid:
    """The first conv layer of ``model`` (``efficientnet_lite0``: 32 filters 3×3, stride 2;
    ``vgg16_features``: 64 filters 3×3, block1_conv1) as RGB tiles.

    VGG-16's weights expect BGR input (Keras/Caffe), so their channels are flipped to RGB.
    """
    if model not in VISUAL_MODELS:
        raise ValueError(f"Filters are shown for {', '.join(VISUAL_MODELS)}; got {model!r}.")
    net = _model_net(model, net)
    if model == "efficientnet_lite0":
        w = net._conv_stem.weight.detach().cpu().numpy()
        layer = "_conv_stem (stem conv, 3×3, stride 2)"
    else:
        w = net[0].weight.detach().cpu().numpy()[:, ::-1]
        layer = "block1_conv1 (3×3, stride 1)"
    w = np.ascontiguousarray(w, dtype=np.float32)
    peak = np.abs(w).reshape(len(w), -1).max(axis=1).clip(min=1e-12)
    scaled = w / peak[:, None, None, None]
    tiles = np.clip(np.rint(127.5 + 127.5 * scaled), 0, 255).astype(np.uint8).transpose(0, 2, 3, 1)
    return FilterGrid(model, layer, w, tile_grid(tiles, cols, cell, gap=3))


# ---------------------------------------------------------------- feature maps


@dataclass(frozen=True)
class LayerChoice:
    """A layer a student can pick: ``key`` (short, for URLs), the torch module name, and what it is."""

    key: str
    module: str
    description: str


def _efficientnet_layers() -> tuple[LayerChoice, ...]:
    from vision_core.classify import STAGES

    out = [LayerChoice("stem", "_act_stem", "stem conv 3×3/2 + ReLU6: 32 × 112 × 112")]
    side, i = 112, 0
    for stage, (repeats, kernel, stride, _expand, c_out) in enumerate(STAGES, start=1):
        for r in range(repeats):
            if r == 0 and stride == 2:
                side //= 2
            out.append(LayerChoice(f"block{i}", f"_blocks.{i}", f"stage {stage}, MBConv {kernel}×{kernel}: {c_out} × {side} × {side}"))
            i += 1
    out.append(LayerChoice("head", "_act_head", "head conv 1×1 + ReLU6: 1280 × 7 × 7"))
    return tuple(out)


def _vgg_layers() -> tuple[LayerChoice, ...]:
    out: list[LayerChoice] = []
    channels = {1: 64, 2: 128, 3: 256, 4: 512, 5: 512}
    for idx, name in enumerate(LAYER_NAMES):
        block = int(name[5])
        side = 224 >> (block - 1)
        if "_relu" in name:
            key = name.replace("relu", "conv")
            out.append(LayerChoice(key, str(idx), f"conv 3×3 + ReLU: {channels[block]} × {side} × {side}"))
        elif name.endswith("_pool"):
            out.append(LayerChoice(name, str(idx), f"max-pool 2×2: {channels[block]} × {side // 2} × {side // 2}"))
    return tuple(out)


_LAYERS: dict[str, tuple[LayerChoice, ...]] = {"efficientnet_lite0": _efficientnet_layers(), "vgg16_features": _vgg_layers()}


def feature_layers(model: str) -> tuple[LayerChoice, ...]:
    """The layers of ``model`` whose feature maps can be shown, input to output (shapes at 224×224)."""
    try:
        return _LAYERS[model]
    except KeyError:
        raise ValueError(f"Feature maps are shown for {', '.join(_LAYERS)}; got {model!r}.") from None


def _layer(model: str, key: str) -> LayerChoice:
    for choice in feature_layers(model):
        if choice.key == key:
            return choice
    keys = ", ".join(c.key for c in feature_layers(model))
    raise ValueError(f"{VISUAL_MODELS[model]} has no layer {key!r}. Layers: {keys}.")


@lru_cache(maxsize=16)
def _extractor(net: nn.Module, module: str) -> nn.Module:
    from torchvision.models.feature_extraction import create_feature_extractor

    return create_feature_extractor(net, {module: "out"}, tracer_kwargs={"leaf_modules": [Conv2dSame]}).eval()


@dataclass(frozen=True)
class FeatureMaps:
    """Activations of one layer for one photo: ``maps`` ``(C, h, w)`` float32; ``crop`` the
    ``(224, 224, 3)`` uint8 input the network saw."""

    model: str
    layer: LayerChoice
    maps: np.ndarray
    crop: np.ndarray

    def ranked(self) -> np.ndarray:
        """Channel indices, strongest mean activation first."""
        return np.argsort(-self.maps.reshape(len(self.maps), -1).mean(axis=1), kind="stable")


def feature_maps(image: np.ndarray, model: str = "efficientnet_lite0", layer: str = "stem", *, net: nn.Module | None = None) -> FeatureMaps:
    """Feature maps of ``layer`` (a ``LayerChoice.key``) of ``model`` for ``(H, W, 3)`` uint8 RGB ``image``.

    The photo goes through EfficientNet-Lite0's resize/crop (256 → 224); VGG-16 then
    takes its own BGR mean-subtracted input. Extraction uses
    ``torchvision.models.feature_extraction`` (no hooks, the shared model is untouched).
    """
    image = validate_image(image)
    choice = _layer(model, layer)
    net = _model_net(model, net)
    prepared = prepare(image, "efficientnet_lite0")
    dev = _device(net)
    x = prepared.tensor if model == "efficientnet_lite0" else vgg_preprocess(prepared.crop)
    with torch.inference_mode():
        out = _extractor(net, choice.module)(x.to(dev))["out"]
    return FeatureMaps(model, choice, out[0].float().cpu().numpy(), prepared.crop)


def feature_grid(fm: FeatureMaps, channels: Sequence[int] | None = None, *, cols: int = 8, cell: int = 72) -> Grid:
    """Channels of ``fm`` as viridis tiles (each scaled on its own); default: the 32 strongest."""
    idx = list(fm.ranked()[:32]) if channels is None else list(channels)
    if not idx or any(not 0 <= c < len(fm.maps) for c in idx):
        raise ValueError(f"Channels must be between 0 and {len(fm.maps) - 1}.")
    tiles = np.stack([colourise(fm.maps[c]) for c in idx])
    return tile_grid(tiles, cols, cell)


def channel_image(fm: FeatureMaps, channel: int, size: int = 336) -> np.ndarray:
    """One channel enlarged to ``(size, size, 3)`` uint8 (viridis, bilinear), for a close look."""
    if not 0 <= channel < len(fm.maps):
        raise ValueError(f"{fm.layer.key} has {len(fm.maps)} channels (0–{len(fm.maps) - 1}); got {channel}.")
    m = cv2.resize(fm.maps[channel], (size, size), interpolation=cv2.INTER_LINEAR)
    return colourise(m, float(fm.maps[channel].min()), float(fm.maps[channel].max()))


# ---------------------------------------------------------------- attributions


@dataclass(frozen=True)
class Attribution:
    """Where the evidence for class ``target`` lies on the crop.

    ``heat``: ``(224, 224)`` float32, larger = more important (occlusion: drop in the
    class probability when that spot is covered; Grad-CAM: ReLU of the weighted
    activations, upsampled; saliency: max |∂score/∂pixel| over RGB). ``prob``: the
    class probability on the unoccluded crop.
    """

    method: str
    heat: np.ndarray
    target: int
    label: str
    prob: float
    crop: np.ndarray
    prepared: Prepared

    def peak(self) -> tuple[int, int]:
        """``(x, y)`` of the maximum of ``heat`` in crop pixels."""
        y, x = np.unravel_index(int(np.argmax(self.heat)), self.heat.shape)
        return int(x), int(y)

    def peak_in_original(self) -> tuple[float, float]:
        """The peak in the original photo's pixel coordinates."""
        return self.prepared.to_original(*self.peak())


def _setup(image: np.ndarray, model: str, net: nn.Module | None, target: int | None) -> tuple[nn.Module, Prepared, int, float]:
    if model not in CLASSIFIERS:
        raise ValueError(f"Attributions need a classifier: one of {', '.join(CLASSIFIERS)}; got {model!r}.")
    image = validate_image(image)
    net = _model_net(model, net)
    prepared = prepare(image, model)
    probs = probabilities(prepared, net)
    if target is None:
        target = int(probs.argmax())
    if not 0 <= target < len(IMAGENET_CLASSES):
        raise ValueError(f"The class must be an ImageNet index 0–999, got {target}.")
    return net, prepared, target, float(probs[target])


def occlusion_map(
    image: np.ndarray,
    model: str = "efficientnet_lite0",
    *,
    net: nn.Module | None = None,
    target: int | None = None,
    patch: int = 32,
    stride: int = 16,
    batch: int = 4,
) -> Attribution:
    """Zeiler & Fergus occlusion with Captum's ``Occlusion``: a ``patch`` × ``patch`` grey square
    (0 after normalisation, i.e. the mean colour) slides by ``stride`` over the crop; each
    pixel gets the mean drop of the ``target`` probability over the windows that covered it.

    Cost: ``((224 − patch) // stride + 1)²`` forward passes, ``batch`` at a time (small batches stay in the CPU cache: 4 ran faster than 16); on the CPU
    they run on a private channels-last copy of a small network (about a quarter faster).
    """
    if not 4 <= patch <= 224:
        raise ValueError(f"The patch size must be between 4 and 224 pixels, got {patch}.")
    if not 1 <= stride <= patch:
        raise ValueError(f"The stride must be between 1 and the patch size ({patch}), got {stride}.")
    from captum.attr import Occlusion

    net, prepared, target, prob = _setup(image, model, net, target)
    x = prepared.tensor.to(_device(net))
    if x.device.type == "cpu" and sum(p.numel() for p in net.parameters()) < 30_000_000:
        net = copy.deepcopy(net).to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)

    def prob_of(z: torch.Tensor) -> torch.Tensor:
        return torch.softmax(net(z), dim=1)

    with torch.no_grad():
        attr = Occlusion(prob_of).attribute(
            x, target=target, sliding_window_shapes=(3, patch, patch), strides=(3, stride, stride),
            baselines=0.0, perturbations_per_eval=batch,
        )
    heat = attr[0].mean(dim=0).float().cpu().numpy()
    return Attribution("occlusion", heat, target, IMAGENET_CLASSES[target], prob, prepared.crop, prepared)


def grad_cam(image: np.ndarray, model: str = "efficientnet_lite0", *, net: nn.Module | None = None, target: int | None = None) -> Attribution:
    """Grad-CAM (Selvaraju et al. 2017) with Captum's ``LayerGradCam`` on the last conv layer
    (EfficientNet-Lite0: the 1280 × 7 × 7 head), ReLU applied, bilinearly upsampled to 224 × 224.

    Captum's hooks go on a private copy of the network, so the shared model never carries one.
    """
    from captum.attr import LayerAttribution, LayerGradCam

    net, prepared, target, prob = _setup(image, model, net, target)
    private = copy.deepcopy(net)
    layer = private.get_submodule(CLASSIFIERS[model].cam_layer)
    x = prepared.tensor.to(_device(net))
    cam = LayerGradCam(private, layer).attribute(x, target=target, relu_attributions=True)
    up = LayerAttribution.interpolate(cam.detach(), x.shape[-2:], interpolate_mode="bilinear")
    heat = up[0, 0].float().cpu().numpy()
    return Attribution("grad-cam", heat, target, IMAGENET_CLASSES[target], prob, prepared.crop, prepared)


def saliency_map(image: np.ndarray, model: str = "efficientnet_lite0", *, net: nn.Module | None = None, target: int | None = None) -> Attribution:
    """Saliency (Simonyan et al. 2014) with Captum's ``Saliency``: |∂ logit / ∂ pixel|, max over RGB."""
    from captum.attr import Saliency

    net, prepared, target, prob = _setup(image, model, net, target)
    x = prepared.tensor.to(_device(net)).clone().requires_grad_(True)
    grads = Saliency(net).attribute(x, target=target, abs=True)
    heat = grads[0].amax(dim=0).float().cpu().numpy()
    return Attribution("saliency", heat, target, IMAGENET_CLASSES[target], prob, prepared.crop, prepared)


def overlay(image: np.ndarray, heat: np.ndarray, opacity: float = 0.5) -> np.ndarray:
    """Blend a heatmap over ``(h, w, 3)`` uint8 ``image``: negatives count as 0, the maximum is
    yellow (viridis); ``opacity`` 0 shows the photo only, 1 the heatmap only."""
    image = validate_image(image)
    if not 0.0 <= opacity <= 1.0:
        raise ValueError(f"Opacity must be between 0 and 1, got {opacity}.")
    h = np.asarray(heat, np.float32)
    if h.shape != image.shape[:2]:
        h = cv2.resize(h, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_LINEAR)
    top = float(h.max())
    colour = colourise(np.maximum(h, 0.0), 0.0, top if top > 0 else 1.0).astype(np.float32)
    mixed = (1.0 - opacity) * image.astype(np.float32) + opacity * colour
    return np.clip(np.rint(mixed), 0, 255).astype(np.uint8)


def class_index(label: str) -> int:
    """ImageNet index of a class name (exact, case-insensitive)."""
    lowered = label.strip().lower()
    for i, name in enumerate(IMAGENET_CLASSES):
        if name.lower() == lowered:
            return i
    raise ValueError(f"{label!r} is not an ImageNet class name.")


def describe(model: str) -> dict[str, Any]:
    """Facts for a page caption: title and preprocessing of a classifier or embedded network."""
    if model in CLASSIFIERS:
        return {"title": CLASSIFIERS[model].title, "preprocessing": CLASSIFIERS[model].recipe.text}
    return {"title": VISUAL_MODELS[model], "preprocessing": "crop as EfficientNet-Lite0, then BGR 0–255 minus the ImageNet means"}


TOP_PREDICTION = "top prediction"
CLASS_OPTIONS: tuple[str, ...] = (TOP_PREDICTION, *(f"{i} {name}" for i, name in enumerate(IMAGENET_CLASSES)))
"""Choices for the class an attribution explains: the top prediction, or ``"<index> <name>"`` (unique, readable in URLs)."""


def option_target(option: str) -> int | None:
    """``CLASS_OPTIONS`` entry → ImageNet index (``None`` for the top prediction)."""
    if option == TOP_PREDICTION:
        return None
    head = option.split(" ", 1)[0]
    if not head.isdigit() or not 0 <= int(head) < len(IMAGENET_CLASSES):
        raise ValueError(f"{option!r} is not one of the 1000 ImageNet classes.")
    return int(head)


def occlusion_passes(patch: int, stride: int, side: int = 224) -> int:
    """Forward passes an occlusion map needs: ``((side − patch) // stride + 1)²``."""
    return ((side - patch) // stride + 1) ** 2
