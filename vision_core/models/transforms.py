"""Executable preprocessing: what a network's input is, as code, with the sentence a page shows derived from it.

In the manner of torchvision's ``Weights.transforms()`` and timm's ``PretrainedCfg``: every
``ModelSpec.preprocessing`` is one of these frozen dataclasses. Calling it prepares an input;
its ``text`` describes exactly those numbers, so the page's caption cannot drift from what runs.
The ImageNet mean and standard deviation are defined here once.

Images are ``(H, W, 3)`` uint8 RGB; value ranges are written ``[low, high]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import torch
from PIL import Image

from vision_core.checks import check_image
from vision_core.ops.boxes import Letterbox, letterbox

__all__ = [
    "BGR_MEAN",
    "CaffeBGR",
    "IMAGENET_MEAN",
    "IMAGENET_STD",
    "ImagenetRGB",
    "ImagePyramid",
    "Letterboxed",
    "Pipeline",
    "Prepared",
    "Preprocess",
    "ResizeCropNormalize",
    "RotatedCrop",
    "ShorterSideNormalize",
    "Stretch",
    "ToUnitTensor",
    "UnitRange",
    "VectorInput",
    "imagenet_normalize",
]

IMAGENET_MEAN: tuple[float, float, float] = (0.485, 0.456, 0.406)
"""ImageNet's per-channel RGB mean, for inputs in [0, 1] (torchvision's convention)."""
IMAGENET_STD: tuple[float, float, float] = (0.229, 0.224, 0.225)
"""ImageNet's per-channel RGB standard deviation, for inputs in [0, 1]."""
BGR_MEAN: tuple[float, float, float] = (103.939, 116.779, 123.68)
"""The Caffe/Keras VGG means, BGR order, 0–255 units (ImageNet's mean × 255)."""


@runtime_checkable
class Preprocess(Protocol):
    """A network's input recipe: ``text`` says it in words; calling it prepares an input."""

    @property
    def text(self) -> str: ...


def _fmt(v: float) -> str:
    return f"{v:g}"


def _range(low: float, high: float) -> str:
    return f"[{_fmt(low)}, {_fmt(high)}]"


def _scale(x: np.ndarray, low: float, high: float) -> np.ndarray:
    """uint8 0–255 → float32 in [low, high]."""
    return (x.astype(np.float32) * np.float32((high - low) / 255.0) + np.float32(low)).astype(np.float32)


def imagenet_normalize(x01: torch.Tensor) -> torch.Tensor:
    """``(N, 3, H, W)`` RGB in [0, 1] → ``(x − IMAGENET_MEAN) / IMAGENET_STD`` (differentiable, on ``x01``'s device)."""
    mean = torch.tensor(IMAGENET_MEAN, dtype=x01.dtype, device=x01.device).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD, dtype=x01.dtype, device=x01.device).view(1, 3, 1, 1)
    return (x01 - mean) / std


@dataclass(frozen=True)
class UnitRange:
    """Pixel values mapped linearly from 0–255 to ``[low, high]``, no resizing (e.g. a crop already cut)."""

    low: float = 0.0
    high: float = 1.0

    @property
    def text(self) -> str:
        return f"RGB scaled to {_range(self.low, self.high)}"

    def __call__(self, pixels: np.ndarray) -> np.ndarray:
        return _scale(np.asarray(pixels), self.low, self.high)


@dataclass(frozen=True)
class Prepared:
    """A photo ready for a classifier.

    ``tensor``: ``(1, 3, crop, crop)`` float32 normalised RGB. ``resized``: the photo after the resize,
    ``(h, w, 3)`` uint8; ``crop``: the ``(crop, crop, 3)`` uint8 window the network sees. A crop pixel
    ``(x, y)`` lies at ``((x + left) / scale, (y + top) / scale)`` in the original photo.
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


@dataclass(frozen=True)
class ResizeCropNormalize:
    """The ImageNet classifier recipe: shorter side → ``resize`` (bilinear), centre crop ``crop`` × ``crop``,
    then ``(x − mean) / std`` per channel with ``x`` in 0–255 units."""

    resize: int
    crop: int
    mean: tuple[float, float, float]
    std: tuple[float, float, float]

    @classmethod
    def imagenet(cls, resize: int, crop: int = 224) -> ResizeCropNormalize:
        """torchvision's recipe: ImageNet mean/std (given in [0, 1] units) scaled to 0–255."""
        return cls(resize, crop, tuple(m * 255 for m in IMAGENET_MEAN), tuple(s * 255 for s in IMAGENET_STD))  # type: ignore[arg-type]

    @property
    def text(self) -> str:
        head = f"shorter side → {self.resize}, centre crop {self.crop}"
        if len(set(self.mean)) == 1 and len(set(self.std)) == 1:
            return f"{head}, (x − {_fmt(self.mean[0])}) / {_fmt(self.std[0])}"
        mean = ", ".join(f"{m / 255:.3f}" for m in self.mean)
        std = ", ".join(f"{s / 255:.3f}" for s in self.std)
        return f"{head}, (x/255 − ({mean})) / ({std})"

    def __call__(self, image: np.ndarray) -> Prepared:
        image = check_image(image)
        h, w = image.shape[:2]
        long = max(self.crop, int(self.resize * max(h, w) / min(h, w)))
        size = (self.resize, long) if w <= h else (long, self.resize)
        resized = np.asarray(Image.fromarray(image).resize(size, Image.Resampling.BILINEAR, reducing_gap=None))
        rh, rw = resized.shape[:2]
        top, left = int(round((rh - self.crop) / 2.0)), int(round((rw - self.crop) / 2.0))
        crop = np.ascontiguousarray(resized[top : top + self.crop, left : left + self.crop])
        x = (crop.astype(np.float32) - np.array(self.mean, np.float32)) / np.array(self.std, np.float32)
        tensor = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))[None]
        return Prepared(tensor, resized, crop, size[0] / w, left, top)


@dataclass(frozen=True)
class ShorterSideNormalize:
    """Shorter side → ``resize`` (bilinear, antialiased), RGB / 255, ImageNet mean/std (torchvision segmenters)."""

    resize: int = 520

    @property
    def text(self) -> str:
        mean = ", ".join(f"{m:g}" for m in IMAGENET_MEAN)
        std = ", ".join(f"{s:g}" for s in IMAGENET_STD)
        return f"shorter side → {self.resize}, (x/255 − ({mean})) / ({std})"

    def __call__(self, image: np.ndarray, device: torch.device | str = "cpu") -> torch.Tensor:
        """``(1, 3, h', w')`` float32 on ``device``."""
        image = check_image(image)
        h, w = image.shape[:2]
        x = torch.from_numpy(np.array(image)).permute(2, 0, 1)[None].to(device).float().div_(255.0)
        scale = self.resize / min(h, w)
        size = (max(1, round(h * scale)), max(1, round(w * scale)))
        x = torch.nn.functional.interpolate(x, size=size, mode="bilinear", align_corners=False, antialias=True)
        return imagenet_normalize(x)


@dataclass(frozen=True)
class ToUnitTensor:
    """RGB / 255 as a ``(3, H, W)`` float32 tensor; the model resizes and normalises inside (torchvision detectors)."""

    @property
    def text(self) -> str:
        return "RGB / 255; the model resizes and normalises"

    def __call__(self, image: np.ndarray, device: torch.device | str = "cpu") -> torch.Tensor:
        image = check_image(image)
        return torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1))).to(device=device, dtype=torch.float32) / 255.0


@dataclass(frozen=True)
class Letterboxed:
    """Letterbox into ``size`` × ``size`` (aspect kept, borders ``fill`` in [0, 1]), values in ``[low, high]``;
    ``chw`` gives ``(3, size, size)`` (torch), otherwise ``(size, size, 3)`` (TFLite)."""

    size: int
    fill: float = 0.5
    low: float = 0.0
    high: float = 1.0
    chw: bool = True

    @property
    def text(self) -> str:
        border = "grey" if 0 < self.fill < 1 else ("black" if self.fill == 0 else "white")
        values = "RGB / 255" if (self.low, self.high) == (0.0, 1.0) else f"RGB scaled to {_range(self.low, self.high)}"
        return f"letterbox to {self.size}×{self.size} (aspect kept, {border} {_fmt(self.fill)} borders), {values}"

    def __call__(self, image: np.ndarray) -> tuple[np.ndarray, Letterbox]:
        canvas, box = letterbox(image, self.size, self.fill)
        if (self.low, self.high) != (0.0, 1.0):
            canvas = (canvas * np.float32(self.high - self.low) + np.float32(self.low)).astype(np.float32)
        return (np.ascontiguousarray(canvas.transpose(2, 0, 1)) if self.chw else canvas), box


@dataclass(frozen=True)
class Stretch:
    """Resize to ``width`` × ``height`` ignoring the aspect (bilinear), values in ``[low, high]``, ``(h, w, 3)``."""

    width: int
    height: int
    low: float = 0.0
    high: float = 1.0

    @property
    def text(self) -> str:
        size = f"{self.width}×{self.height}" if self.width == self.height else f"{self.width} wide × {self.height} high"
        return f"RGB stretched to {size}, values in {_range(self.low, self.high)}"

    def __call__(self, image: np.ndarray) -> np.ndarray:
        import cv2

        image = check_image(image)
        small = cv2.resize(image, (self.width, self.height), interpolation=cv2.INTER_LINEAR)
        return _scale(small, self.low, self.high)


@dataclass(frozen=True)
class RotatedCrop:
    """A square crop ``side`` × ``side`` around a detection, ``enlarge`` × its size, rotated upright, in ``[low, high]``.

    The crop's geometry depends on the detection, so the topic code cuts it; this records the numbers."""

    side: int
    enlarge: float = 1.0
    low: float = 0.0
    high: float = 1.0

    @property
    def text(self) -> str:
        grow = f", {_fmt(self.enlarge)}× the box" if self.enlarge != 1.0 else ""
        return f"rotated {self.side}×{self.side} crop{grow}, {_range(self.low, self.high)}"

    def scale(self, pixels: np.ndarray) -> np.ndarray:
        """uint8 crop → float32 in ``[low, high]``."""
        return _scale(np.asarray(pixels), self.low, self.high)


@dataclass(frozen=True)
class ImagePyramid:
    """An image pyramid for a sliding-window cascade: windows of ``cell`` pixels, scales from ``cell / min_face``
    shrinking by ``factor``, pixels mapped as ``(v − offset) / divisor`` (MTCNN: (v − 127.5) / 128)."""

    cell: int = 12
    factor: float = 0.709
    offset: float = 127.5
    divisor: float = 128.0

    @property
    def text(self) -> str:
        return (f"RGB, (v − {_fmt(self.offset)}) / {_fmt(self.divisor)}, image pyramid from {self.cell} / min_face "
                f"by × {_fmt(self.factor)}")

    def scales(self, short_side: int, min_face: int, factor: float | None = None) -> list[float]:
        """The pyramid's scales for an image whose shorter side is ``short_side`` pixels."""
        f = self.factor if factor is None else factor
        m = self.cell / min_face
        out, s, minl = [], m, short_side * m
        while minl >= self.cell:
            out.append(s)
            s *= f
            minl *= f
        return out

    def normalise(self, pixels: np.ndarray) -> np.ndarray:
        return ((np.asarray(pixels, np.float32) - np.float32(self.offset)) / np.float32(self.divisor)).astype(np.float32)


@dataclass(frozen=True)
class CaffeBGR:
    """Caffe/Keras VGG input: RGB → BGR, 0–255, minus ``mean`` (BGR order), ``(1, 3, H, W)`` float32."""

    mean: tuple[float, float, float] = BGR_MEAN

    @property
    def text(self) -> str:
        return "BGR, 0–255, minus (" + ", ".join(_fmt(m) for m in self.mean) + ")"

    def __call__(self, image: np.ndarray, device: torch.device | str = "cpu") -> torch.Tensor:
        image = check_image(image)
        bgr = image[..., ::-1].astype(np.float32) - np.array(self.mean, np.float32)
        return torch.from_numpy(np.ascontiguousarray(bgr.transpose(2, 0, 1)))[None].to(device)

    def from_unit(self, rgb01: torch.Tensor) -> torch.Tensor:
        """The same on a differentiable ``(N, 3, H, W)`` RGB tensor in [0, 1]."""
        mean = torch.tensor(self.mean, dtype=rgb01.dtype, device=rgb01.device).view(1, 3, 1, 1)
        return rgb01.flip(1) * 255.0 - mean


@dataclass(frozen=True)
class ImagenetRGB:
    """torchvision's VGG input on a tensor: RGB in [0, 1], minus ImageNet mean, divided by std."""

    @property
    def text(self) -> str:
        mean = ", ".join(f"{m:g}" for m in IMAGENET_MEAN)
        std = ", ".join(f"{s:g}" for s in IMAGENET_STD)
        return f"RGB in [0, 1], minus ImageNet mean ({mean}), divided by std ({std})"

    def from_unit(self, rgb01: torch.Tensor) -> torch.Tensor:
        return imagenet_normalize(rgb01)


@dataclass(frozen=True)
class VectorInput:
    """A model's input of ``size`` numbers that is not an image (a generator's latent, style weights, a style
    vector): ``what`` says it in words, with ``{n}`` standing for ``size``."""

    size: int
    what: str

    @property
    def text(self) -> str:
        return self.what.format(n=self.size)


@dataclass(frozen=True)
class Pipeline:
    """Several inputs of one model (a detector and a landmark net, an image and a style vector)."""

    parts: tuple[tuple[str, Any], ...]

    @property
    def text(self) -> str:
        return "; ".join(f"{name}: {pre.text}" for name, pre in self.parts)

    def __getitem__(self, name: str) -> Any:
        for key, pre in self.parts:
            if key == name:
                return pre
        raise KeyError(name)
