"""What the computer sees: a photo as numbers. Channels, grey levels, histograms, spatial sampling,
quantization and the pixel matrix of a region.

Input photos are ``(H, W, 3)`` uint8 RGB (0 black, 255 white); rows and columns are 0-based.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision_core.checks import check_image
from vision_core.errors import BadInput
from vision_core.io.images import to_gray

__all__ = [
    "CHANNELS",
    "Histogram",
    "Region",
    "channel",
    "channel_images",
    "histogram",
    "sample_spatially",
    "quantize",
    "region",
    "mark_region",
]

CHANNELS = ("red", "green", "blue", "grey")


def channel(image: np.ndarray, name: str) -> np.ndarray:
    """One channel of an RGB photo as ``(H, W)`` uint8: red, green, blue, or grey (BT.601 luma)."""
    image = check_image(image)
    if name == "grey":
        return to_gray(image)
    if name not in CHANNELS:
        raise BadInput(f"Channel must be one of {', '.join(CHANNELS)}, not {name!r}.")
    return np.ascontiguousarray(image[..., CHANNELS.index(name)])


def channel_images(image: np.ndarray) -> dict[str, np.ndarray]:
    """The R, G and B planes each shown in its own colour (other two channels zero), ``(H, W, 3)`` uint8."""
    image = check_image(image)
    out = {}
    for i, name in enumerate(CHANNELS[:3]):
        tinted = np.zeros_like(image)
        tinted[..., i] = image[..., i]
        out[name] = tinted
    return out


@dataclass(frozen=True)
class Histogram:
    """Pixel counts per value 0–255 for each channel: ``counts[name]`` is ``(256,)`` int64, summing to H·W."""

    counts: dict[str, np.ndarray]
    pixels: int

    def mean(self, name: str) -> float:
        """Mean value of a channel, from its counts."""
        return float(np.dot(np.arange(256), self.counts[name]) / self.pixels)


def histogram(image: np.ndarray) -> Histogram:
    """Histograms of red, green, blue and grey (``cv2.calcHist`` equivalent, exact integer counts)."""
    image = check_image(image)
    counts = {name: np.bincount(channel(image, name).ravel(), minlength=256).astype(np.int64) for name in CHANNELS}
    return Histogram(counts, image.shape[0] * image.shape[1])


def sample_spatially(image: np.ndarray, long_side: int) -> tuple[np.ndarray, np.ndarray]:
    """Spatial sampling: keep ``long_side`` pixels along the long side (area average of each block).

    Returns ``(small, blocky)``: the sampled image and the same enlarged back to the original size with
    nearest-neighbour, so each sample is a visible square.
    """
    image = check_image(image)
    h, w = image.shape[:2]
    if isinstance(long_side, bool) or int(long_side) != long_side or long_side < 1:
        raise BadInput(f"The resolution must be a whole number of pixels ≥ 1, got {long_side!r}.")
    long_side = min(int(long_side), max(h, w))
    scale = long_side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    blocky = cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)
    return small, blocky


def quantize(values: np.ndarray, bits: int) -> np.ndarray:
    """Keep ``bits`` bits per value: 2^b grey levels spread over 0–255 (0 stays black, 255 white).

    Level = value >> (8 − b); shown as round(level · 255 / (2^b − 1)). 8 bits leave the image unchanged;
    1 bit gives pure black and white. Works on any uint8 array.
    """
    if isinstance(bits, bool) or int(bits) != bits or not 1 <= bits <= 8:
        raise BadInput(f"Bits per pixel must be a whole number from 1 to 8, got {bits!r}.")
    values = np.asarray(values)
    if values.dtype != np.uint8:
        raise BadInput(f"Quantization works on uint8 values 0–255, got {values.dtype}.")
    levels = values >> (8 - int(bits))
    top = (1 << int(bits)) - 1
    lut = np.rint(np.arange(top + 1) * 255.0 / top).astype(np.uint8)
    return lut[levels]


@dataclass(frozen=True)
class Region:
    """A window of the photo as numbers: ``values`` is ``(size_h, size_w)`` uint8 of one channel;
    ``top``/``left`` are the photo coordinates of ``values[0, 0]``."""

    top: int
    left: int
    values: np.ndarray
    channel: str

    @property
    def rows(self) -> list[int]:
        return list(range(self.top, self.top + self.values.shape[0]))

    @property
    def cols(self) -> list[int]:
        return list(range(self.left, self.left + self.values.shape[1]))


def region(image: np.ndarray, top: int, left: int, size: int = 12, name: str = "grey") -> Region:
    """The ``size``×``size`` pixel matrix starting at (``top``, ``left``), clipped to the photo's edges."""
    image = check_image(image)
    h, w = image.shape[:2]
    if not (1 <= size <= 64):
        raise BadInput(f"The region must be 1 to 64 pixels wide, got {size}.")
    if not (0 <= top < h and 0 <= left < w):
        raise BadInput(f"Pixel ({top}, {left}) is outside the {w}×{h} photo (rows 0–{h - 1}, columns 0–{w - 1}).")
    top = min(int(top), max(0, h - size))
    left = min(int(left), max(0, w - size))
    plane = channel(image, name)
    return Region(top, left, plane[top:top + size, left:left + size].copy(), name)


def mark_region(image: np.ndarray, top: int, left: int, size: int, thickness: int = 0) -> np.ndarray:
    """A copy of the photo with a red square outlining the ``size``×``size`` region at (``top``, ``left``);
    the line is thicker on large photos so it stays visible when shown small."""
    image = check_image(image)
    out = image.copy()
    t = thickness or max(1, max(image.shape[:2]) // 200)
    cv2.rectangle(out, (left - t, top - t), (left + size + t - 1, top + size + t - 1), (255, 0, 0), t)
    return out
