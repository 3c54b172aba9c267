"""Train a CNN: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("🏋️ Train a CNN", "What networks see", "Train LeNet-5 on MNIST live, then draw a digit for it.")
coming_soon("LeNet-5 trained live on MNIST.")
