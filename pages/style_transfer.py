"""Neural style transfer: Gatys optimisation you can watch, fast 26-style network, arbitrary style.

The views are in ``ui.style_views``; results are computed once per photo and setting (``ui.style_plots``)."""

from __future__ import annotations

import streamlit as st

from ui.common import page_header
from ui.models import require_model
from ui.style_views import arbitrary_view, fast_view, gatys_view
from ui.tray import current_image

page_header(
    "🎨 Neural style transfer",
    "Detecção de objetos / Transferência de estilo: J(G) = α·J_content(C, G) + β·J_style(S, G)",
    "The photo in the tray is the **content C**. Pick a **style S**, then either *watch* Gatys et al. "
    "optimise an image G pixel by pixel, or let a feed-forward network paint it in one pass.",
)

tray = current_image()
sess26 = require_model("style_multistyle26")

tab_gatys, tab_fast, tab_arb = st.tabs(["Gatys", "Fast", "Arbitrary"], key="nst_tab", on_change="rerun",
                                       bind="query-params")
if tab_gatys.open is not False:
    with tab_gatys:
        gatys_view(tray, sess26)
if tab_fast.open:
    with tab_fast:
        fast_view(tray, sess26)
if tab_arb.open:
    with tab_arb:
        arbitrary_view(tray, sess26)
