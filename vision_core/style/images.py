"""Style images that ship offline: scikit-image textures, and a sample photo painted by a fast style.

``STYLE_CHOICES`` are the names a page offers (and writes into links); ``style_image(name)``
returns ``(H, W, 3)`` uint8 RGB.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vision_core.checks import check_int
from vision_core.errors import BadInput
from vision_core.style.fast import NUM_STYLES, fast_stylize
from vision_core.style.pixels import fit_side

__all__ = ["PAINTED_SAMPLE", "PAINTED_STYLES", "STYLE_CHOICES", "STYLE_TEXTURES", "style_image"]

STYLE_TEXTURES: tuple[str, ...] = (
    "hubble_deep_field", "brick", "gravel", "grass", "colorwheel", "immunohistochemistry",
)
PAINTED_STYLES: tuple[int, ...] = (3, 6, 10, 20)
PAINTED_SAMPLE = "coffee"
STYLE_CHOICES: tuple[str, ...] = STYLE_TEXTURES + tuple(f"painted_{i}" for i in PAINTED_STYLES)
"""Offline style images: scikit-image textures and ``painted_N`` (the coffee sample painted by fast style N)."""


def style_image(name: str, *, session: Any | None = None, side: int = 384) -> np.ndarray:
    """The offline style image ``name`` (one of ``STYLE_CHOICES``) as ``(H, W, 3)`` uint8 RGB.

    Textures come from scikit-image as they are; ``painted_N`` is ``PAINTED_SAMPLE``
    (long side ``side``) painted with fast style ``N``, which needs ``session`` (``style_multistyle26``).
    """
    from vision_core.io.samples import load_sample

    if name in STYLE_TEXTURES:
        return load_sample(name)
    if name.startswith("painted_") and name.removeprefix("painted_").isdigit():
        idx = int(name.removeprefix("painted_"))
        if 0 <= idx < NUM_STYLES:
            if session is None:
                raise BadInput(f"The style image {name!r} is painted by the fast style network; it needs its session.")
            photo = fit_side(load_sample(PAINTED_SAMPLE), check_int(side, 8, 1024, "The painted style's size"))
            return fast_stylize(photo, idx, session=session, max_side=None).image
    raise BadInput(f"Unknown style image {name!r}. Choose one of {', '.join(STYLE_CHOICES)}, or upload one.")
