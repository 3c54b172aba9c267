"""Neural style transfer: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("🎨 Neural style transfer", "Generative", "Gatys optimisation you can watch, and real-time fast style.")
coming_soon("Gatys and fast style transfer.")
