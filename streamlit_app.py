"""Deep Vision Lab: learn deep learning for computer vision on your own photos.

Entry point: ``streamlit run streamlit_app.py``. Builds the navigation from
``ui.catalog`` (sections follow the course) and draws the shared image tray.
"""

from __future__ import annotations

import streamlit as st

from ui.catalog import PAGES, SECTIONS
from ui.classroom import render_identity
from ui.tray import render_tray

st.set_page_config(page_title="Deep Vision Lab", page_icon="👁️", layout="wide")

nav = {
    section: [
        st.Page(f"pages/{p.script}", title=p.title, icon=p.icon, url_path=p.url_path, default=p.script == "home.py")
        for p in PAGES
        if p.section == section
    ]
    for section in SECTIONS
}
page = st.navigation(nav, expanded=True)
render_tray()
render_identity()
page.run()
