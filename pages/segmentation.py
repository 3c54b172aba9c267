"""Segmentation: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("🎭 Segmentation", "Beyond classification", "Per-pixel classes and instance masks; FCN and U-Net shapes.")
coming_soon("selfie segmentation, DeepLabV3 and Mask R-CNN.")
