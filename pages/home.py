"""Home: the course map, and what this machine offers."""

from __future__ import annotations

import streamlit as st

from ui.catalog import PAGES, SECTIONS
from ui.common import page_header
from ui.machine import render_asset_fetch, render_machine

page_header(
    "👁️ Deep Vision Lab",
    "the whole course: digital images → convolution → CNNs → visualisation → detection and segmentation → GANs and style → classic CV",
    "Learn deep learning for computer vision **by doing it on your own photos**. Pick a sample, upload a photo "
    "or take one with the camera in the **image tray** in the sidebar (the » button on a phone); every page works on it. "
    "Copy the address bar to share the exact view you are looking at.",
)

st.subheader("The course, page by page")
for section in SECTIONS:
    st.markdown(f"**{section}**")
    for p in PAGES:
        if p.section == section and p.script != "home.py":
            c1, c2 = st.columns([1, 2])
            with c1:
                st.page_link(f"pages/{p.script}", label=p.title, icon=p.icon)
            c2.markdown(p.summary)

st.subheader("This machine")
render_machine()
render_asset_fetch()
