"""Before deep learning: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("🧭 Before deep learning", "Classic CV", "Viola–Jones, template matching, SIFT mosaics, bag of visual words.")
coming_soon("Viola–Jones, template matching, SIFT and bag of words.")
