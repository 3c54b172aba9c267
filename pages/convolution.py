"""Convolution playground: an editable kernel on the chosen photo, with every multiply-add shown."""

from __future__ import annotations

import streamlit as st

from ui.common import page_header
from ui.conv_views import challenge, kernel_editor, layer_result, layer_settings, show_output, show_your_work, x_features
from ui.tray import current_image

page_header(
    "🧮 Convolution playground",
    "Convolution — spatial convolution, feature maps, the X-or-X case study, convolution on multiple channels",
    "Pick or type a kernel and watch it slide over your photo. Every output pixel is Σ (kernel × patch) + bias: "
    "pick one below and check the multiply-adds yourself.",
)


@st.fragment
def playground() -> None:
    """Kernel, layer, output and show-your-work in one fragment: a kernel edit reruns only this part, once,
    and show-your-work explains the new kernel in the same run."""
    kernel, flip = kernel_editor()
    challenge(current_image(), kernel)
    layer = layer_settings()
    result = layer_result(current_image(), kernel, flip, layer)
    show_output(result, layer)
    show_your_work(kernel, flip, layer, result)


@st.fragment
def x_or_x() -> None:
    """The X-feature filters on the lecture's X or a drawing: drawing reruns only this part."""
    x_features()


playground()
x_or_x()
