"""Transfer learning: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("🔁 Transfer learning", "What networks see", "Hand-made features versus pretrained CNN features, and your own classes.")
coming_soon("hand-made versus pretrained features.")
