"""Images in and out: decoding uploads safely into ``(H, W, 3)`` uint8 RGB arrays.

Every image the app computes on enters through ``load_image``. Uploads are
decoded from memory and never written to disk.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from vision_core.checks import MIN_SIDE, check_image
from vision_core.errors import ImageError

__all__ = [
    "ImageError",
    "MAX_PIXELS",
    "MIN_SIDE",
    "load_image",
    "resize_max_side",
    "to_gray",
    "to_png_bytes",
    "UPLOAD_TYPES",
]

MAX_PIXELS = 40_000_000
"""Uploads with more pixels than this are refused before decoding."""

UPLOAD_TYPES: tuple[str, ...] = ("jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff")
"""File types every upload widget accepts (all decoded by ``load_image``)."""


def _to_rgb(img: Image.Image) -> Image.Image:
    """Convert any PIL mode to RGB; transparency is composited on white."""
    mode = img.mode
    if mode == "RGB":
        return img
    if mode == "P":
        img = img.convert("RGBA") if "transparency" in img.info else img.convert("RGB")
        mode = img.mode
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        if mode == "F":
            lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
            arr = (arr - lo) / (hi - lo) * 255.0 if hi > lo else np.zeros_like(arr)
        else:
            hi = 65535.0 if mode.startswith("I;16") or arr.max() > 255 else 255.0
            arr = arr / hi * 255.0
        grey = np.clip(np.rint(arr), 0, 255).astype(np.uint8)
        return Image.fromarray(grey, mode="L").convert("RGB")
    if mode == "CMYK":
        return img.convert("RGB")
    return img.convert("RGB")


def load_image(data: bytes, max_side: int = 2048) -> np.ndarray:
    """Decode image bytes into an ``(H, W, 3)`` uint8 RGB array.

    EXIF orientation is applied; every PIL mode (RGBA/LA on white, P, L, CMYK,
    16-bit, 1-bit) becomes RGB; animated files give their first frame; the long
    side is downscaled to at most ``max_side`` pixels, keeping the aspect ratio.

    Raises ``ImageError`` for empty data, non-images, truncated files, images over
    ``MAX_PIXELS`` (checked from the header, before decoding) and images smaller
    than ``MIN_SIDE`` × ``MIN_SIDE``.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ImageError("Expected the bytes of an image file.")
    if max_side < MIN_SIDE:
        raise ImageError(f"max_side must be at least {MIN_SIDE} pixels, got {max_side}.")
    if len(data) == 0:
        raise ImageError("The file is empty (0 bytes).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(bytes(data)))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageError(
            f"This image has far more than {MAX_PIXELS / 1e6:.0f} megapixels; it is refused before decoding. "
            "Please upload a smaller photo."
        ) from None
    except UnidentifiedImageError:
        raise ImageError("This file is not an image we can read (JPEG, PNG, GIF, WebP, BMP, TIFF …).") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageError(f"This image file is damaged and cannot be read ({exc}).") from None
    width, height = img.size
    if width * height > MAX_PIXELS:
        raise ImageError(
            f"This image is {width}×{height} = {width * height / 1e6:.0f} megapixels; "
            f"the limit is {MAX_PIXELS / 1e6:.0f} megapixels. Please upload a smaller photo."
        )
    if min(width, height) < MIN_SIDE:
        raise ImageError(f"This image is {width}×{height} pixels; it must be at least {MIN_SIDE}×{MIN_SIDE}.")
    if min(width, height) * max_side / max(width, height) < MIN_SIDE and max(width, height) > max_side:
        raise ImageError(f"This image is {width}×{height} pixels: too long and thin to shrink to {max_side} pixels "
                         f"and keep its short side at least {MIN_SIDE} pixels. Please crop it.")
    try:
        img.seek(0)
        if max(width, height) > max_side:
            img.draft("RGB", (max_side, max_side))
        img.load()
        img = ImageOps.exif_transpose(img) or img
        img = _to_rgb(img)
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ImageError(f"This image file is truncated or damaged and cannot be read ({exc}).") from None
    except Image.DecompressionBombError:
        raise ImageError("This image is too large to decode safely.") from None
    arr = np.asarray(img, dtype=np.uint8)
    return resize_max_side(arr, max_side)


def resize_max_side(image: np.ndarray, max_side: int) -> np.ndarray:
    """Downscale ``(H, W[, C])`` so the long side is at most ``max_side`` (area filter); never upscales."""
    h, w = image.shape[:2]
    if max(h, w) <= max_side:
        return np.ascontiguousarray(image)
    scale = max_side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    pil = Image.fromarray(image)
    return np.asarray(pil.resize(size, Image.Resampling.BOX if scale < 0.5 else Image.Resampling.LANCZOS))


def to_gray(image: np.ndarray) -> np.ndarray:
    """ITU-R BT.601 luma of ``(H, W, 3)`` uint8 RGB as ``(H, W)`` uint8 (as OpenCV's COLOR_RGB2GRAY)."""
    weights = np.array([0.299, 0.587, 0.114])
    return np.clip(np.rint(image[..., :3].astype(np.float64) @ weights), 0, 255).astype(np.uint8)


def to_png_bytes(image: np.ndarray) -> bytes:
    """Encode ``(H, W)`` or ``(H, W, 3|4)`` uint8 as PNG bytes (for downloads)."""
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(image)).save(buf, format="PNG")
    return buf.getvalue()
