"""Convolution playground: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("🧮 Convolution playground", "Convolution", "Type a kernel, watch it sweep your photo, and check every multiply-add.")
coming_soon("an editable kernel sweeping your photo, with every multiply-add shown.")
