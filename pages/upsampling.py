"""Upsampling lab: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("🔍 Upsampling lab", "Convolution", "Unpooling, max-unpooling and transposed convolution, value by value.")
coming_soon("unpooling, max-unpooling and transposed convolution.")
