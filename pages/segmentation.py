"""Segmentation: a class for every pixel (selfie model, VOC models), instances, and why FCN / U-Net are built as they are.

The views live in ``ui.seg_views`` (one function each); every network runs once per photo and setting,
and opacity, view and class choice only repaint its result."""

from __future__ import annotations

import streamlit as st

from ui.common import page_header
from ui.seg_views import agreement_view, instances_view, semantic_view, shapes_view, sliding_view
from ui.tray import current_image

page_header(
    "🎭 Segmentation",
    "Beyond classification — semantic segmentation (sliding window, fully convolutional, FCN, U-Net), Mask R-CNN",
    "Classification gives one label per photo; **semantic segmentation** gives one label per *pixel* and does not "
    "tell instances apart; **instance segmentation** separates each object. Run a real segmenter on your photo, "
    "then see why a network that looks at every pixel at once (FCN, U-Net) beats a sliding window.",
)

item = current_image()
semantic_view(item)
instances_view(item)
agreement_view(item)
sliding_view(item)
shapes_view(item)
st.page_link("pages/architectures.py", label="Architecture explorer: the encoders layer by layer", icon="🏛️")
st.page_link("pages/upsampling.py", label="Upsampling lab: unpooling and transposed convolution, value by value", icon="🔍")
