"""Digital images: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("🔢 Digital images", "Images", "Pixels as numbers: channels, grey levels, sampling and quantization.")
coming_soon("the lecture's 0–255 pixel grid, channels, histogram, sampling and quantization sliders.")
