"""Stride, padding and output size: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("📐 Stride, padding and output size", "Convolution", "W2 = (W − F + 2P)/S + 1, parameters and receptive fields, animated.")
coming_soon("the stride/padding calculator with the lecture's worked examples.")
