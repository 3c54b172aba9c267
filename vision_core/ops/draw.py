"""Drawing, written once: boxes with labels, colours per class, a colour map, heatmap overlays.

Every function takes ``(H, W, 3)`` uint8 RGB and returns a new array of the same shape (the input
is never modified). Boxes are ``(N, 4)`` xyxy pixels. Boxes and labels are drawn with
``torchvision.utils.draw_bounding_boxes``; colour maps come from OpenCV.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Sequence

import cv2
import numpy as np
import torch

from vision_core.checks import check_fraction, check_image
from vision_core.ops.boxes import as_boxes

__all__ = ["PALETTE", "Colour", "colour_for", "colourise", "draw_boxes", "font_path", "line_width", "overlay_heatmap"]

Colour = tuple[int, int, int]

PALETTE: tuple[Colour, ...] = (
    (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48), (145, 30, 180),
    (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212), (0, 128, 128), (170, 110, 40),
)
"""Twelve distinct colours (Sasha Trubetskoy's list), for classes and instances."""


@functools.lru_cache(maxsize=1)
def font_path() -> str | None:
    """A TrueType font for labels (DejaVu Sans or Liberation Sans), or ``None`` (torchvision's bitmap font)."""
    from PIL import ImageFont

    for name in ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"):
        try:
            return str(ImageFont.truetype(name, 12).path)
        except OSError:
            continue
    try:
        import matplotlib

        path = f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans.ttf"
        ImageFont.truetype(path, 12)
        return path
    except (ImportError, OSError):
        return None


def colour_for(label: str) -> Colour:
    """A stable colour per class name (the same on every page and for every model)."""
    return PALETTE[zlib.crc32(label.encode()) % len(PALETTE)]


def line_width(image: np.ndarray, per: int = 250) -> int:
    """A line width that reads well on ``image``: one pixel per ``per`` pixels of its long side, at least 2."""
    return max(2, round(max(image.shape[:2]) / per))


def _text_colour(c: Colour) -> Colour:
    return (0, 0, 0) if 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] > 150 else (255, 255, 255)


def draw_boxes(
    image: np.ndarray,
    boxes: np.ndarray,
    labels: Sequence[str] | None = None,
    colours: Colour | Sequence[Colour] | None = None,
    *,
    width: int | None = None,
    fill: bool = False,
) -> np.ndarray:
    """A copy of ``image`` with ``boxes`` drawn; ``labels`` on filled tags; ``colours`` one for all boxes,
    one per box, or by label (``colour_for``, green without labels). ``width`` defaults to ``line_width``."""
    image = check_image(image)
    b = as_boxes(boxes)
    if len(b) == 0:
        return np.array(image, copy=True)
    if labels is not None and len(labels) != len(b):
        raise ValueError(f"Got {len(b)} boxes but {len(labels)} labels.")
    if colours is None:
        cols = [colour_for(lab) for lab in labels] if labels is not None else [(0, 230, 0)] * len(b)
    elif len(colours) == 3 and all(isinstance(v, (int, np.integer)) for v in colours):  # one colour
        cols = [tuple(int(v) for v in colours)] * len(b)  # type: ignore[misc]
    else:
        cols = [tuple(int(v) for v in c) for c in colours]  # type: ignore[union-attr]
        if len(cols) != len(b):
            raise ValueError(f"Got {len(b)} boxes but {len(cols)} colours.")
    h, w = image.shape[:2]
    font = font_path()
    has_text = labels is not None and any(labels)
    import torchvision  # here, not at the top: importing torchvision loads all of it (~165 MiB)

    t = torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1)))
    out = torchvision.utils.draw_bounding_boxes(
        t, torch.from_numpy(b), labels=list(labels) if labels is not None else None, colors=cols,
        width=width or line_width(image), fill=fill, font=font if has_text else None,
        font_size=max(12, round(max(h, w) / 45)) if font and has_text else None,
        fill_labels=labels is not None, label_colors=[_text_colour(c) for c in cols] if labels is not None else None,
    )
    return out.numpy().transpose(1, 2, 0).copy()


def colourise(values: np.ndarray, lo: float | None = None, hi: float | None = None) -> np.ndarray:
    """``(h, w)`` numbers → ``(h, w, 3)`` uint8 RGB with the viridis colour map (``lo`` dark blue, ``hi`` yellow;
    by default the array's own minimum and maximum)."""
    v = np.nan_to_num(np.asarray(values, np.float32))
    lo = float(v.min()) if lo is None else lo
    hi = float(v.max()) if hi is None else hi
    scaled = np.zeros_like(v) if hi <= lo else np.clip((v - lo) / (hi - lo), 0.0, 1.0)
    bgr = cv2.applyColorMap(np.rint(scaled * 255).astype(np.uint8), cv2.COLORMAP_VIRIDIS)
    return np.ascontiguousarray(bgr[..., ::-1])


def overlay_heatmap(image: np.ndarray, heat: np.ndarray, opacity: float = 0.5) -> np.ndarray:
    """Blend a heatmap over ``image``: negatives count as 0, the maximum is yellow (viridis), resized to the
    image bilinearly; ``opacity`` 0 shows the photo only, 1 the heatmap only."""
    image = check_image(image)
    check_fraction(opacity, "Opacity")
    h = np.asarray(heat, np.float32)
    if h.shape != image.shape[:2]:
        h = cv2.resize(h, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_LINEAR)
    top = float(h.max())
    colour = colourise(np.maximum(h, 0.0), 0.0, top if top > 0 else 1.0).astype(np.float32)
    mixed = (1.0 - opacity) * image.astype(np.float32) + opacity * colour
    return np.clip(np.rint(mixed), 0, 255).astype(np.uint8)
