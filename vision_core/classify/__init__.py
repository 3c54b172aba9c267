"""ImageNet classification: EfficientNet-Lite0 from the embedded state_dict, and torchvision models.

EfficientNet-Lite0 (Tan & Le 2019, the "Lite" variant for mobile): TF layout
rebuilt in torch so the asset's 296 state_dict keys load unchanged. ReLU6
everywhere, no squeeze-and-excitation, TensorFlow "SAME" padding (asymmetric
for stride 2: the extra row/column goes bottom/right), BatchNorm eps 1e-3.

Every classifier here takes the same preprocessing recipe, with its own numbers
(``Recipe``): shorter side resized to ``resize`` (bilinear, antialiased),
centre crop ``crop`` × ``crop``, then ``(x - mean) / std`` per channel with
``x`` in 0–255. Input tensors are ``(N, 3, crop, crop)`` float32 RGB.

Registered models: ``efficientnet_lite0`` (embedded), and with hub weights
``resnet50``, ``vgg16``, ``mobilenet_v3_large`` (torchvision Weights API).
Labels: ``torchvision.models._meta._IMAGENET_CATEGORIES`` (1000 classes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn
from torchvision.models._meta import _IMAGENET_CATEGORIES

from vision_core.assets import asset_path
from vision_core.io.images import validate_image
from vision_core.models import ModelSpec, get_model, register, torchvision_spec

__all__ = [
    "CLASSIFIERS",
    "IMAGENET_CLASSES",
    "EfficientNetLite0",
    "Prepared",
    "PreprocessStep",
    "Recipe",
    "classify",
    "classify_prepared",
    "load_efficientnet_lite0",
    "prepare",
    "preprocessing_steps",
    "recipe",
]

IMAGENET_CLASSES: tuple[str, ...] = tuple(_IMAGENET_CATEGORIES)

STAGES: tuple[tuple[int, int, int, int, int], ...] = (
    (1, 3, 1, 1, 16),
    (2, 3, 2, 6, 24),
    (2, 5, 2, 6, 40),
    (3, 3, 2, 6, 80),
    (3, 5, 1, 6, 112),
    (4, 5, 2, 6, 192),
    (1, 3, 1, 6, 320),
)
"""EfficientNet-Lite0 stages: (repeats, kernel, stride of the first block, expand ratio, output channels)."""

_BN_EPS = 1e-3
_BN_MOMENTUM = 0.01


class Conv2dSame(nn.Conv2d):
    """``nn.Conv2d`` with TensorFlow "SAME" padding computed from the input size.

    Output side = ceil(input / stride). The total padding ``max((out - 1)·s + k - in, 0)``
    is split with the smaller half top/left (TF's convention, asymmetric for stride 2).
    Stride 1 with an odd kernel pads (k − 1)/2 on every side, done inside the convolution.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kh, kw = self.kernel_size
        self._symmetric = self.stride == (1, 1) and kh % 2 == 1 and kw % 2 == 1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self._symmetric:
            kh, kw = self.kernel_size
            return F.conv2d(x, self.weight, self.bias, 1, (kh // 2, kw // 2), self.dilation, self.groups)
        ih, iw = x.shape[-2:]
        kh, kw = self.weight.shape[-2:]
        sh, sw = self.stride
        pad_h = max((math.ceil(ih / sh) - 1) * sh + kh - ih, 0)
        pad_w = max((math.ceil(iw / sw) - 1) * sw + kw - iw, 0)
        if pad_h or pad_w:
            x = F.pad(x, [pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2])
        return F.conv2d(x, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)


def _bn(channels: int) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(channels, eps=_BN_EPS, momentum=_BN_MOMENTUM)


class MBConv(nn.Module):
    """Mobile inverted bottleneck without squeeze-excite: 1×1 expand → k×k depthwise → 1×1 project (+ skip)."""

    def __init__(self, c_in: int, c_out: int, kernel: int, stride: int, expand: int) -> None:
        super().__init__()
        mid = c_in * expand
        self.has_expand = expand != 1
        if self.has_expand:
            self._expand_conv = Conv2dSame(c_in, mid, 1, bias=False)
            self._bn0 = _bn(mid)
            self._act0 = nn.ReLU6()
        self._depthwise_conv = Conv2dSame(mid, mid, kernel, stride=stride, groups=mid, bias=False)
        self._bn1 = _bn(mid)
        self._act1 = nn.ReLU6()
        self._project_conv = Conv2dSame(mid, c_out, 1, bias=False)
        self._bn2 = _bn(c_out)
        self.skip = stride == 1 and c_in == c_out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x
        if self.has_expand:
            y = self._act0(self._bn0(self._expand_conv(y)))
        y = self._act1(self._bn1(self._depthwise_conv(y)))
        y = self._bn2(self._project_conv(y))
        return y + x if self.skip else y


class EfficientNetLite0(nn.Module):
    """EfficientNet-Lite0: ``(N, 3, H, W)`` normalised RGB → ``(N, 1000)`` ImageNet logits.

    Module names follow the asset's state_dict: ``_conv_stem``, ``_bn0``, ``_blocks.0`` …
    ``_blocks.15``, ``_conv_head``, ``_bn1``, ``_fc``; the activations are separate
    modules (``_act_stem``, ``_act_head``) so hooks can read them.
    """

    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__()
        self._conv_stem = Conv2dSame(3, 32, 3, stride=2, bias=False)
        self._bn0 = _bn(32)
        self._act_stem = nn.ReLU6()
        blocks: list[nn.Module] = []
        c_in = 32
        for repeats, kernel, stride, expand, c_out in STAGES:
            for i in range(repeats):
                blocks.append(MBConv(c_in, c_out, kernel, stride if i == 0 else 1, expand))
                c_in = c_out
        self._blocks = nn.ModuleList(blocks)
        self._conv_head = Conv2dSame(c_in, 1280, 1, bias=False)
        self._bn1 = _bn(1280)
        self._act_head = nn.ReLU6()
        self._avg_pooling = nn.AdaptiveAvgPool2d(1)
        self._dropout = nn.Dropout(0.2)
        self._fc = nn.Linear(1280, num_classes)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, 3, H, W)`` → ``(N, 1280)`` pooled features (the input of the classifier)."""
        x = self._act_stem(self._bn0(self._conv_stem(x)))
        for block in self._blocks:
            x = block(x)
        x = self._act_head(self._bn1(self._conv_head(x)))
        return self._avg_pooling(x).flatten(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._fc(self._dropout(self.forward_features(x)))


def load_efficientnet_lite0(device: torch.device | str = "cpu") -> EfficientNetLite0:
    """EfficientNet-Lite0 with the embedded ImageNet weights, eval mode, on ``device``."""
    state = torch.load(asset_path("efficientnet_lite0"), map_location="cpu", weights_only=True)
    model = EfficientNetLite0()
    model.load_state_dict(state)
    return model.to(device).eval()


@dataclass(frozen=True)
class Recipe:
    """Preprocessing numbers: resize the shorter side to ``resize``, centre-crop ``crop``, ``(x - mean) / std`` (0–255 units)."""

    resize: int
    crop: int
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    text: str


_TV_MEAN = (0.485 * 255, 0.456 * 255, 0.406 * 255)
_TV_STD = (0.229 * 255, 0.224 * 255, 0.225 * 255)
_TV_TEXT = "shorter side → {r}, centre crop 224, (x/255 − (0.485, 0.456, 0.406)) / (0.229, 0.224, 0.225)"


@dataclass(frozen=True)
class ClassifierInfo:
    """A classifier this module knows: its recipe and the layer Grad-CAM reads (a module name)."""

    name: str
    title: str
    recipe: Recipe
    cam_layer: str


CLASSIFIERS: dict[str, ClassifierInfo] = {
    "efficientnet_lite0": ClassifierInfo(
        "efficientnet_lite0", "EfficientNet-Lite0 (embedded)",
        Recipe(256, 224, (127.0,) * 3, (128.0,) * 3, "shorter side → 256, centre crop 224, (x − 127) / 128"),
        "_act_head",
    ),
    "resnet50": ClassifierInfo(
        "resnet50", "ResNet-50 (torchvision)", Recipe(232, 224, _TV_MEAN, _TV_STD, _TV_TEXT.format(r=232)), "layer4"
    ),
    "vgg16": ClassifierInfo(
        "vgg16", "VGG-16 (torchvision)", Recipe(256, 224, _TV_MEAN, _TV_STD, _TV_TEXT.format(r=256)), "features.29"
    ),
    "mobilenet_v3_large": ClassifierInfo(
        "mobilenet_v3_large", "MobileNet v3 Large (torchvision)",
        Recipe(232, 224, _TV_MEAN, _TV_STD, _TV_TEXT.format(r=232)), "features.16",
    ),
}


def recipe(model: str) -> Recipe:
    """The preprocessing recipe of classifier ``model``; ``ValueError`` for an unknown name."""
    try:
        return CLASSIFIERS[model].recipe
    except KeyError:
        raise ValueError(f"Unknown classifier {model!r}. Choose one of: {', '.join(CLASSIFIERS)}.") from None


@dataclass(frozen=True)
class Prepared:
    """A photo ready for a classifier.

    ``tensor``: ``(1, 3, crop, crop)`` float32 normalised RGB. ``resized``: the photo
    after the resize, ``(h, w, 3)`` uint8; ``crop``: the ``(crop, crop, 3)`` uint8
    window the network sees. A crop pixel ``(x, y)`` lies at ``((x + left) / scale,
    (y + top) / scale)`` in the original photo.
    """

    tensor: torch.Tensor
    resized: np.ndarray
    crop: np.ndarray
    scale: float
    left: int
    top: int

    def to_original(self, x: float, y: float) -> tuple[float, float]:
        """Crop coordinates → original photo coordinates (pixels)."""
        return (x + self.left) / self.scale, (y + self.top) / self.scale


def prepare(image: np.ndarray, model: str = "efficientnet_lite0") -> Prepared:
    """Resize, centre-crop and normalise ``(H, W, 3)`` uint8 RGB for classifier ``model``."""
    image = validate_image(image)
    r = recipe(model)
    h, w = image.shape[:2]
    long = max(r.crop, int(r.resize * max(h, w) / min(h, w)))
    size = (r.resize, long) if w <= h else (long, r.resize)
    resized = np.asarray(Image.fromarray(image).resize(size, Image.Resampling.BILINEAR, reducing_gap=None))
    rh, rw = resized.shape[:2]
    top, left = int(round((rh - r.crop) / 2.0)), int(round((rw - r.crop) / 2.0))
    crop = np.ascontiguousarray(resized[top : top + r.crop, left : left + r.crop])
    x = (crop.astype(np.float32) - np.array(r.mean, np.float32)) / np.array(r.std, np.float32)
    tensor = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))[None]
    return Prepared(tensor, resized, crop, size[0] / w, left, top)


@dataclass(frozen=True)
class PreprocessStep:
    """One preprocessing step shown as a picture: ``image`` ``(h, w, 3)`` uint8 and what was done."""

    title: str
    image: np.ndarray
    caption: str


def preprocessing_steps(image: np.ndarray, model: str = "efficientnet_lite0") -> list[PreprocessStep]:
    """The photo at each step the network's input goes through: original, resized, cropped, normalised.

    The normalised step shows the three channels side by side as grey images, with
    the value range of the tensor in the caption (grey 0 ↔ the channel mean).
    """
    p = prepare(image, model)
    r = recipe(model)
    h, w = image.shape[:2]
    x = p.tensor[0].numpy()
    lo, hi = float(x.min()), float(x.max())
    span = max(abs(lo), abs(hi), 1e-6)
    grey = np.clip(np.rint((x / span + 1.0) * 127.5), 0, 255).astype(np.uint8)
    gap = np.full((r.crop, 6), 255, np.uint8)
    strip = np.concatenate([grey[0], gap, grey[1], gap, grey[2]], axis=1)
    rh, rw = p.resized.shape[:2]
    return [
        PreprocessStep("Your photo", np.asarray(image), f"{w}×{h} pixels, uint8 RGB 0–255"),
        PreprocessStep("Resize", p.resized, f"shorter side → {r.resize}: {rw}×{rh}"),
        PreprocessStep("Centre crop", p.crop, f"{r.crop}×{r.crop} from the middle (left {p.left}, top {p.top})"),
        PreprocessStep(
            "Normalise",
            np.repeat(strip[..., None], 3, axis=2),
            f"R, G, B as (x − mean) / std: values {lo:.2f} … {hi:.2f}; tensor (1, 3, {r.crop}, {r.crop}) float32",
        ),
    ]


@lru_cache(maxsize=4)
def _default_net(model: str) -> Any:
    return get_model(model, "cpu")


def _net_device(net: nn.Module) -> torch.device:
    try:
        return next(net.parameters()).device
    except StopIteration:
        return torch.device("cpu")


def probabilities(prepared: Prepared, net: nn.Module) -> torch.Tensor:
    """Softmax over the 1000 ImageNet classes, ``(1000,)`` float32 on the CPU."""
    with torch.inference_mode():
        logits = net(prepared.tensor.to(_net_device(net)))
    return torch.softmax(logits.float(), dim=1)[0].cpu()


def classify_prepared(prepared: Prepared, net: nn.Module, top_k: int = 5) -> list[tuple[str, float]]:
    """Top-``top_k`` (label, probability) pairs for an already prepared photo, best first."""
    if not 1 <= top_k <= len(IMAGENET_CLASSES):
        raise ValueError(f"top_k must be between 1 and {len(IMAGENET_CLASSES)}, got {top_k}.")
    probs = probabilities(prepared, net)
    values, indices = probs.topk(top_k)
    return [(IMAGENET_CLASSES[i], float(v)) for v, i in zip(values.tolist(), indices.tolist())]


def classify(
    image: np.ndarray, model: str = "efficientnet_lite0", top_k: int = 5, *, net: nn.Module | None = None
) -> list[tuple[str, float]]:
    """Top-``top_k`` ImageNet classes of ``(H, W, 3)`` uint8 RGB ``image`` as (label, probability), best first.

    ``net`` is the loaded model (pages pass the shared one); without it the model
    is built once per process on the CPU (raises ``WeightsMissing``/``AssetMissing``
    when its files are not on this machine).
    """
    recipe(model)
    if net is None:
        net = _default_net(model)
    return classify_prepared(prepare(image, model), net, top_k)


register(
    ModelSpec(
        name="efficientnet_lite0",
        task="classification",
        title="EfficientNet-Lite0 (ImageNet, embedded)",
        loader=load_efficientnet_lite0,
        assets=("efficientnet_lite0",),
        preprocessing=CLASSIFIERS["efficientnet_lite0"].recipe.text,
        classes=IMAGENET_CLASSES,
    )
)
register(torchvision_spec("resnet50", "classification", "ResNet-50 (torchvision, ImageNet)", "resnet50", "ResNet50_Weights"))
register(torchvision_spec("vgg16", "classification", "VGG-16 (torchvision, ImageNet)", "vgg16", "VGG16_Weights"))
register(
    torchvision_spec(
        "mobilenet_v3_large", "classification", "MobileNet v3 Large (torchvision, ImageNet)",
        "mobilenet_v3_large", "MobileNet_V3_Large_Weights",
    )
)
