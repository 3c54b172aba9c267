"""A detection-friendly scene built from bundled photos, and cropping a photo to a box.

Images are ``(H, W, 3)`` uint8 RGB; boxes ``xyxy`` pixels.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
from PIL import Image

from vision_core.checks import check_image
from vision_core.errors import BadInput
from vision_core.io.samples import load_sample

__all__ = ["COMPOSITE_KEY", "composite_scene", "crop_to"]

COMPOSITE_KEY = "sample:composite"
"""The key of the composite scene in result caches: the app builds it from samples, so every session shares it."""


@functools.lru_cache(maxsize=1)
def composite_scene() -> np.ndarray:
    """A 640×480 scene built from bundled photos: Chelsea the cat (320 px wide, lower left) and the
    astronaut (240 px, upper right) on a light grey background. Read-only ``(480, 640, 3)`` uint8.

    YOLOv3-tiny is weak on close-ups such as the full-frame ``chelsea`` sample; smaller objects in a
    wider scene are what it was trained on."""

    def resized(name: str, width: int) -> np.ndarray:
        a = load_sample(name)
        h = round(a.shape[0] * width / a.shape[1])
        return np.asarray(Image.fromarray(a).resize((width, h), Image.Resampling.LANCZOS))

    canvas = np.full((480, 640, 3), 200, np.uint8)
    cat = resized("chelsea", 320)
    canvas[480 - 20 - cat.shape[0] : 460, 20:340] = cat
    astro = resized("astronaut", 240)
    canvas[20 : 20 + astro.shape[0], 380:620] = astro
    canvas.setflags(write=False)
    return canvas


def crop_to(image: np.ndarray, box: Sequence[float]) -> np.ndarray:
    """The pixels of xyxy ``box`` (clipped to the image) as ``(h, w, 3)`` uint8."""
    image = check_image(image)
    h, w = image.shape[:2]
    x1, y1 = int(max(0, np.floor(box[0]))), int(max(0, np.floor(box[1])))
    x2, y2 = int(min(w, np.ceil(box[2]))), int(min(h, np.ceil(box[3])))
    if x2 <= x1 or y2 <= y1:
        raise BadInput("This box is empty.")
    return np.ascontiguousarray(image[y1:y2, x1:x2])
