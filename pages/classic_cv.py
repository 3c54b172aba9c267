"""Before deep learning: Viola–Jones, template matching, SIFT matching and mosaics, bag of visual words.

One view per tab (``ui.classic_views``, ``ui.classic_features``); only the open tab runs, and each expensive
result is computed once per photo and setting.
"""

from __future__ import annotations

import streamlit as st

from ui.classic_features import bovw_view, sift_view
from ui.classic_views import template_view, viola_jones_view
from ui.common import page_header
from ui.tray import current_image

page_header(
    "🧭 Before deep learning",
    "Why image analysis is hard · Some traditional approaches (cascade of classifiers, SIFT, bag of visual words)",
    "Before CNNs, vision pipelines were built by hand: a boosted cascade of Haar features finds faces, "
    "normalised correlation finds a template, SIFT keypoints match two views of the same scene, and a bag "
    "of visual words classifies images. Try each on your photo, and watch where it breaks.",
)

VIEWS = {
    "Viola-Jones": viola_jones_view,
    "Template matching": template_view,
    "SIFT and mosaics": sift_view,
    "Bag of words": bovw_view,
}
tabs = st.tabs(list(VIEWS), key="cv_tab", bind="query-params")
tray = current_image()
for tab, view in zip(tabs, VIEWS.values()):
    with tab:
        if tab.open:
            view(tray)
