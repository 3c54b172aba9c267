"""Inside the network: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("🔬 Inside the network", "What networks see", "Filters, feature maps, occlusion and Grad-CAM on your photo.")
coming_soon("filters, feature maps, occlusion and Grad-CAM.")
