"""What a neuron wants (Zeiler & Fergus 2014; Erhan et al. 2009; Olah et al. 2017), on the embedded VGG-16.

A "neuron" here is one channel of one VGG-16 conv layer (``feature_layers("vgg16_features")`` keys,
e.g. ``block3_conv1``), read after its ReLU. Three views of it:

- ``maximise_channel``: activation maximisation — an image optimised from noise so the channel's mean
  activation is as large as possible, regularised by random jitter, periodic blur and a decorrelated
  colour space (Lucid's ImageNet colour correlation), yielding its progress step by step;
- ``top_patches``: the 9 input patches (one unit's receptive field) that excite the channel most over a
  set of photos (the lecture's "9 images that caused the largest activations");
- ``reconstruct``: the lecture's recipe — pass a photo through the network, keep only the strongest unit
  of the channel, propagate its value back to the input — with Captum's guided backprop or deconvnet.

Photos go through EfficientNet-Lite0's crop (shorter side 256, centre 224), as on the feature-map view.
The shared network is never changed: Captum's ReLU hooks go on ``models.views.relu_view``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from vision_core.checks import check_choice, check_image, check_int, check_range
from vision_core.errors import BadInput
from vision_core.models.classification import classifier_input
from vision_core.models.device import net_device
from vision_core.models.transforms import CaffeBGR
from vision_core.models.vgg16 import LAYER_NAMES, features_at
from vision_core.models.views import relu_view
from vision_core.ops.shapes import Layer, stack_shapes
from vision_core.ops.tiling import Grid
from vision_core.see.feature_maps import feature_layers

__all__ = [
    "COLOUR_CORRELATION",
    "MaxStep",
    "Patch",
    "Reconstruction",
    "channel_count",
    "maximise_channel",
    "neuron_layers",
    "patch_grid",
    "receptive_box",
    "reconstruct",
    "top_patches",
]

COLOUR_CORRELATION = np.array([[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]], np.float32)
"""The square root of ImageNet's RGB colour correlation (Lucid's ``color_correlation_svd_sqrt``): optimising in
the space it maps from gives natural-looking colours instead of high-frequency rainbow noise."""
_CAFFE = CaffeBGR()


def neuron_layers() -> tuple[str, ...]:
    """VGG-16 conv layer keys whose channels can be explored (``block1_conv1`` … ``block5_conv3``)."""
    return tuple(c.key for c in feature_layers("vgg16_features") if "_conv" in c.key)


def _index(layer: str) -> int:
    check_choice(layer, neuron_layers(), "VGG-16 layer")
    return next(int(c.module) for c in feature_layers("vgg16_features") if c.key == layer)


def _channels(net: nn.Module, index: int) -> int:
    conv = [m for m in list(net)[: index + 1] if isinstance(m, nn.Conv2d)][-1]
    return int(conv.out_channels)


def _check_channel(net: nn.Module, index: int, channel: int) -> None:
    check_int(channel, 0, _channels(net, index) - 1, "The channel")


def receptive_box(layer: str, row: int, col: int) -> tuple[float, float, float, float]:
    """The input box (xyxy, crop pixels, unclipped) that unit ``(row, col)`` of ``layer`` sees: its receptive field
    (``ops.shapes`` on VGG-16's 3×3/1/1 convs and 2×2/2 pools) centred on ``jump·i + (jump − 1)/2``."""
    idx = _index(layer)
    layers = []
    for name in LAYER_NAMES[: idx + 1]:
        if name.endswith("_pool"):
            layers.append(Layer("pool", 2, 2, 0))
        elif "_conv" in name:
            layers.append(Layer("conv", 3, 1, 1, filters=1))
    last = stack_shapes(224, 224, 3, layers)[-1]
    rf, jump = float(last.receptive), float(last.jump)
    cx, cy = jump * col + (jump - 1) / 2, jump * row + (jump - 1) / 2
    return (cx - rf / 2 + 0.5, cy - rf / 2 + 0.5, cx + rf / 2 + 0.5, cy + rf / 2 + 0.5)


# ------------------------------------------------------------------------------------------------ maximisation


@dataclass(frozen=True)
class MaxStep:
    """One report of activation maximisation: ``image`` ``(size, size, 3)`` uint8, the channel's mean activation."""

    step: int
    steps: int
    activation: float
    image: np.ndarray


def _to_rgb01(param: torch.Tensor, decorrelate: bool) -> torch.Tensor:
    if decorrelate:
        c = torch.from_numpy(COLOUR_CORRELATION / np.linalg.norm(COLOUR_CORRELATION, axis=0).max()).to(param)
        param = torch.einsum("ij,njhw->nihw", c, param)
    return torch.sigmoid(param)


def _blur(x: torch.Tensor) -> torch.Tensor:
    k = torch.tensor([1.0, 2.0, 1.0], dtype=x.dtype, device=x.device)
    k = (k[:, None] * k[None, :]) / 16.0
    return torch.nn.functional.conv2d(torch.nn.functional.pad(x, (1, 1, 1, 1), mode="reflect"),
                                      k.expand(3, 1, 3, 3), groups=3)


def maximise_channel(
    net: nn.Module,
    layer: str,
    channel: int,
    *,
    size: int = 112,
    steps: int = 96,
    lr: float = 0.1,
    jitter: int = 6,
    blur_every: int = 4,
    decorrelate: bool = True,
    seed: int = 0,
    report_every: int = 8,
    should_stop: Callable[[], bool] | None = None,
) -> Iterator[MaxStep]:
    """Optimise an image so that ``channel`` of ``layer`` fires as much as possible (Adam on the mean activation).

    The image is ``sigmoid(M · p)`` with ``p`` the parameters and ``M`` the colour decorrelation (identity when
    ``decorrelate`` is off); each step shifts it by up to ``jitter`` pixels at random, every ``blur_every`` steps
    ``p`` is smoothed with a 3×3 binomial filter. Yields a ``MaxStep`` every ``report_every`` steps and at the end.
    """
    idx = _index(layer)
    _check_channel(net, idx, channel)
    check_int(size, 32, 256, "The image size")
    check_int(steps, 1, 2000, "The number of steps")
    check_range(lr, 1e-4, 1.0, "The learning rate")
    check_int(jitter, 0, 32, "The jitter")
    check_int(blur_every, 0, 100, "Blur every")
    check_int(report_every, 1, 1000, "Report every")
    device = net_device(net)
    gen = torch.Generator().manual_seed(int(seed))
    param = (0.5 * torch.randn(1, 3, size + 2 * jitter, size + 2 * jitter, generator=gen)).to(device).requires_grad_(True)
    opt = torch.optim.Adam([param], lr=lr)
    rng = np.random.default_rng(seed)
    value = 0.0
    for step in range(1, steps + 1):
        dx, dy = (int(v) for v in rng.integers(0, 2 * jitter + 1, 2)) if jitter else (0, 0)
        with torch.enable_grad():
            img = _to_rgb01(param, decorrelate)[..., dy : dy + size, dx : dx + size]
            act = features_at(net, _CAFFE.from_unit(img), idx)[0, channel]
            loss = -act.mean()
            opt.zero_grad()
            loss.backward()
        opt.step()
        value = float(-loss.detach())
        if blur_every and step % blur_every == 0:
            with torch.no_grad():
                param.copy_(_blur(param))
        stop = should_stop is not None and should_stop()
        if step % report_every == 0 or step == steps or stop:
            with torch.no_grad():
                shown = _to_rgb01(param, decorrelate)[0, :, jitter : jitter + size, jitter : jitter + size]
            pixels = np.ascontiguousarray((shown.clamp(0, 1) * 255).round().byte().permute(1, 2, 0).cpu().numpy())
            yield MaxStep(step, steps, value, pixels)
        if stop:
            return


# ------------------------------------------------------------------------------------------------ top patches


@dataclass(frozen=True)
class Patch:
    """One strongly excited unit: which photo, its activation, the unit's receptive box (xyxy, crop pixels,
    clipped) and the ``(h, w, 3)`` uint8 pixels of that box."""

    source: str
    activation: float
    row: int
    col: int
    box: tuple[int, int, int, int]
    pixels: np.ndarray


def _crop_and_maps(net: nn.Module, image: np.ndarray, idx: int) -> tuple[np.ndarray, torch.Tensor]:
    crop = classifier_input("efficientnet_lite0")(check_image(image)).crop
    with torch.inference_mode():
        maps = features_at(net, _CAFFE(crop, net_device(net)), idx)[0].float().cpu()
    return crop, maps


def top_patches(net: nn.Module, photos: Sequence[tuple[str, np.ndarray]], layer: str, channel: int,
                k: int = 9) -> list[Patch]:
    """The ``k`` units of ``channel`` with the largest activations over ``photos`` (name, image) and their input
    patches, strongest first; within a photo, units closer than half a receptive field to a chosen one are skipped
    (so the 9 patches are not 9 views of one spot)."""
    idx = _index(layer)
    _check_channel(net, idx, channel)
    check_int(k, 1, 64, "k")
    if not photos:
        raise BadInput("Give at least one photo.")
    candidates: list[tuple[float, int, int, int]] = []
    crops = []
    for n, (_, image) in enumerate(photos):
        crop, maps = _crop_and_maps(net, image, idx)
        crops.append(crop)
        m = maps[channel].numpy()
        flat = np.argsort(-m, axis=None, kind="stable")[: 8 * k]
        candidates += [(float(m.flat[f]), n, *divmod(int(f), m.shape[1])) for f in flat]
    candidates.sort(key=lambda c: -c[0])
    x0, y0, x1, y1 = receptive_box(layer, 0, 0)
    min_gap = max(1.0, (x1 - x0) / 2 / max(1.0, 224 / maps.shape[-1]))
    chosen: list[Patch] = []
    for value, n, row, col in candidates:
        if any(p.source == photos[n][0] and abs(p.row - row) < min_gap and abs(p.col - col) < min_gap for p in chosen):
            continue
        bx0, by0, bx1, by1 = receptive_box(layer, row, col)
        box = (max(0, int(np.floor(bx0))), max(0, int(np.floor(by0))), min(224, int(np.ceil(bx1))), min(224, int(np.ceil(by1))))
        chosen.append(Patch(photos[n][0], value, row, col, box, crops[n][box[1] : box[3], box[0] : box[2]].copy()))
        if len(chosen) == k:
            break
    return chosen


# ------------------------------------------------------------------------------------------------ reconstruction


@dataclass(frozen=True)
class Reconstruction:
    """One unit's value propagated back to the input: ``gradient`` ``(224, 224, 3)`` float32 (RGB), ``image`` the
    same as uint8 (grey = 0, scaled by the 99.5th percentile of |gradient|), the unit and its activation."""

    method: str
    row: int
    col: int
    activation: float
    gradient: np.ndarray
    image: np.ndarray
    crop: np.ndarray


class _Unit(nn.Module):
    """The value of one unit ``(channel, row, col)`` of a VGG feature stack's output, shape ``(N, 1)``."""

    def __init__(self, body: nn.Module, channel: int, row: int, col: int) -> None:
        super().__init__()
        self.body, self.channel, self.row, self.col = body, channel, row, col

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)[:, self.channel, self.row, self.col].unsqueeze(1)


def reconstruct(net: nn.Module, image: np.ndarray, layer: str, channel: int, method: str = "guided") -> Reconstruction:
    """Zeiler & Fergus' reconstruction on ``image``: the strongest unit of ``channel`` of ``layer`` (all others set
    to zero) propagated back to the input by Captum's ``GuidedBackprop`` (``"guided"``) or ``Deconvolution``
    (``"deconv"``). Only the unit's receptive field can be non-zero."""
    from captum.attr import Deconvolution, GuidedBackprop

    idx = _index(layer)
    _check_channel(net, idx, channel)
    check_choice(method, ("guided", "deconv"), "reconstruction method")
    crop, maps = _crop_and_maps(net, image, idx)
    row, col = divmod(int(maps[channel].argmax()), maps.shape[-1])
    body = relu_view(nn.Sequential(*list(net)[: idx + 1]))
    unit = _Unit(body, channel, row, col)
    x = _CAFFE(crop, net_device(net)).clone().requires_grad_(True)
    algo = GuidedBackprop(unit) if method == "guided" else Deconvolution(unit)
    grad = algo.attribute(x, target=0)[0].detach().float().cpu().numpy()[::-1].transpose(1, 2, 0)
    grad = np.ascontiguousarray(grad, dtype=np.float32)
    scale = float(np.percentile(np.abs(grad), 99.5)) or 1.0
    shown = np.clip(np.rint(127.5 + 127.5 * grad / scale), 0, 255).astype(np.uint8)
    return Reconstruction(method, row, col, float(maps[channel, row, col]), grad, shown, crop)


def channel_count(net: nn.Module, layer: str) -> int:
    """How many channels ``layer`` of the VGG-16 feature stack ``net`` has."""
    return _channels(net, _index(layer))


def patch_grid(patches: Sequence[Patch], cell: int = 72, cols: int = 9) -> Grid:
    """The patches side by side, each resized to ``cell`` × ``cell`` (nearest, so pixels stay visible)."""
    import cv2

    from vision_core.ops.tiling import tile_grid

    check_int(cell, 4, 512, "The cell size")
    if not patches:
        raise BadInput("There are no patches to show.")
    tiles = np.stack([cv2.resize(p.pixels, (cell, cell), interpolation=cv2.INTER_NEAREST) for p in patches])
    return tile_grid(tiles, cols, cell, gap=3)
