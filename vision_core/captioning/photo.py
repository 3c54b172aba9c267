"""A real captioner on a photo: BLIP (Li et al. 2022) when this machine has it (``vision_core.models.captioning``).

``caption_photo(image, net=...)`` takes the registry's ``blip_base`` (required; built by
``ui.models``, never here) and an ``(H, W, 3)`` uint8 RGB photo, and returns what BLIP says, with
beam search over ``beams`` captions of at most ``max_tokens`` tokens. Nothing here is a stand-in:
without the model there is no caption (the page says what is missing).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from vision_core.checks import check_image, check_int

__all__ = ["PhotoCaption", "caption_photo"]


@dataclass(frozen=True)
class PhotoCaption:
    """What the captioner said about the photo, with the settings and the seconds it took."""

    text: str
    beams: int
    max_tokens: int
    seconds: float


def caption_photo(image: Any, *, net: Any, beams: int = 3, max_tokens: int = 30) -> PhotoCaption:
    """BLIP's caption of ``image`` (beam search with ``beams`` beams, at most ``max_tokens`` tokens)."""
    image = check_image(image, "The photo")
    beams = check_int(beams, 1, 10, "The number of beams")
    max_tokens = check_int(max_tokens, 5, 60, "The caption length")
    t0 = time.perf_counter()
    text = net.caption(image, beams=beams, max_tokens=max_tokens)
    return PhotoCaption(str(text).strip(), beams, max_tokens, time.perf_counter() - t0)
