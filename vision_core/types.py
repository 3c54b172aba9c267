"""Type aliases shared by every layer: the progress callback of long work."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["ProgressFn"]

ProgressFn = Callable[[float, str], None]
"""``progress(fraction, message)``: ``fraction`` in [0, 1] (0 when unknown) and a short text for a person."""
