"""Helpers for the pose tests."""

from __future__ import annotations


def inside(x: float, y: float, box: tuple[float, float, float, float]) -> bool:
    """Whether pixel (x, y) lies in the xyxy ``box`` (edges included)."""
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]
