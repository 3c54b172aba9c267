"""Classify a photo: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("🏷️ Classify a photo", "What networks see", "Top-5 ImageNet classes for your photo, with the preprocessing shown.")
coming_soon("top-5 ImageNet predictions with EfficientNet-Lite0.")
