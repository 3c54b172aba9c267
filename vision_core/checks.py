"""Input checks shared by every vision_core function, in the manner of kornia's ``kornia.core.check``.

Each check returns the checked (and normalised) value or raises ``BadInput`` / ``ImageError``
(both ``VisionCoreError``, hence ``ValueError``) with a sentence that names the argument and, for
a choice, lists the valid ones. Functions validate first, then compute.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import numpy as np

from .errors import BadInput, ImageError

__all__ = [
    "MIN_SIDE",
    "check_choice",
    "check_fraction",
    "check_image",
    "check_int",
    "check_map",
    "check_range",
]

MIN_SIDE = 8
"""The smallest image side every page accepts, in pixels."""

T = TypeVar("T")


def check_choice(value: T, choices: Iterable[T], what: str) -> T:
    """``value`` if it is one of ``choices``; otherwise ``BadInput`` listing them (``what`` names the argument)."""
    options = list(choices)
    try:
        if value in options:
            return value
    except TypeError:
        pass
    listed = ", ".join(repr(c) if not isinstance(c, str) else c for c in options)
    raise BadInput(f"Unknown {what} {value!r}. Choose one of: {listed}.")


def _check_bounds(v: float, lo: float | None, hi: float | None, what: str, got: str,
                  shown: Callable[[float], str]) -> None:
    """``BadInput`` when ``v`` is below ``lo`` or above ``hi`` (a ``None`` bound is open): the message names
    ``what``, the bounds as ``shown`` writes them, and what was given (``got``)."""
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        if lo is not None and hi is not None:
            raise BadInput(f"{what} must be between {shown(lo)} and {shown(hi)}, got {got}.")
        if lo is not None:
            raise BadInput(f"{what} must be at least {shown(lo)}, got {got}.")
        raise BadInput(f"{what} must be at most {shown(hi)}, got {got}.")


def check_range(value: Any, lo: float | None, hi: float | None, what: str) -> float:
    """A finite real number with ``lo ≤ value ≤ hi`` (either bound may be ``None``), as ``float``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise BadInput(f"{what} must be a number, got {value!r}.")
    v = float(value)
    if not math.isfinite(v):
        raise BadInput(f"{what} must be a finite number, got {value!r}.")
    _check_bounds(v, lo, hi, what, repr(value), lambda bound: f"{bound:g}")
    return v


def check_fraction(value: Any, what: str) -> float:
    """A number between 0 and 1 (a threshold, an opacity, a probability)."""
    return check_range(value, 0.0, 1.0, what)


def check_int(value: Any, lo: int | None, hi: int | None, what: str) -> int:
    """An integer (not a bool, not a float) with ``lo ≤ value ≤ hi`` (either bound may be ``None``)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise BadInput(f"{what} must be a whole number, got {value!r}.")
    v = int(value)
    _check_bounds(v, lo, hi, what, str(v), str)
    return v


def check_map(x: Any, name: str = "input") -> np.ndarray:
    """``x`` as a non-empty 2-D ``(H, W)`` float64 map of finite numbers; else ``BadInput`` naming it (``name``)."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.size == 0:
        raise BadInput(f"The {name} must be a 2-D map (H, W), got shape {x.shape}.")
    if not np.all(np.isfinite(x)):
        raise BadInput(f"The {name} contains NaN or infinite values.")
    return x


def check_image(image: Any, name: str = "image") -> np.ndarray:
    """``image`` if it is an ``(H, W, 3)`` uint8 RGB numpy array with both sides ≥ ``MIN_SIDE``; else ``ImageError``."""
    if not isinstance(image, np.ndarray):
        raise ImageError(f"{name} must be a numpy array, got {type(image).__name__}.")
    if image.ndim != 3 or image.shape[2] != 3:
        raise ImageError(f"{name} must have shape (H, W, 3), got {image.shape}.")
    if image.dtype != np.uint8:
        raise ImageError(f"{name} must be uint8 (0–255), got {image.dtype}.")
    if min(image.shape[:2]) < MIN_SIDE:
        raise ImageError(f"{name} is {image.shape[1]}×{image.shape[0]}; it must be at least {MIN_SIDE}×{MIN_SIDE}.")
    return np.ascontiguousarray(image)
