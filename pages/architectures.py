"""Architecture explorer: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("🏛️ Architecture explorer", "CNN architectures", "LeNet-5 to DenseNet layer by layer: shapes, parameters, FLOPs, what-if edits.")
coming_soon("LeNet-5 to DenseNet layer by layer.")
