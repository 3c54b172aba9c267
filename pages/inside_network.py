"""Inside the network: first-layer filters, feature maps, occlusion (Zeiler & Fergus), Grad-CAM, saliency, and what
one neuron wants."""

from __future__ import annotations

import streamlit as st

from ui.common import page_header
from ui.see_views import agreement_view, attribution_view, feature_maps_view, filters_view, neuron_view
from ui.tray import current_image

page_header(
    "🔬 Inside the network",
    "Visualization — filters, feature maps, which part of the image affects the classification, which elements "
    "activate a neuron (Zeiler & Fergus)",
    "Open the network up on your photo: the filters of its first layer, the feature maps of any layer "
    "(edges low down, parts higher up), which parts of the photo the prediction depends on — "
    "by covering them with a grey patch (occlusion), or from the gradients (Grad-CAM, saliency) — and what one "
    "neuron wants.",
)

VIEWS = ["Filters", "Feature maps", "Occlusion", "Grad-CAM", "Saliency", "Agreement", "What a neuron wants"]
tray = current_image()
view = st.segmented_control("View", VIEWS, default="Filters", key="ins_view", bind="query-params", required=True) or "Filters"

if view == "Filters":
    filters_view(tray)
elif view == "Feature maps":
    feature_maps_view(tray)
elif view == "What a neuron wants":
    neuron_view(tray)
elif view == "Agreement":
    agreement_view(tray)
else:
    attribution_view(tray, view)
