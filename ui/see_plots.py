"""Streamlit helpers for "Classify a photo" and "Inside the network": cached model runs and plotly bar charts.

Cached runs are keyed by the tray photo's ``key`` (``sample:chelsea``, ``upload:<id>``),
the model name and the settings; the photo array and the shared network are passed
unhashed (``_image``, ``_net``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from vision_core.classify import classify, preprocessing_steps
from vision_core.see import (
    Attribution,
    FeatureMaps,
    FilterGrid,
    feature_maps,
    first_layer_filters,
    grad_cam,
    occlusion_map,
    saliency_map,
)


@st.cache_data(max_entries=64, show_spinner="Classifying…")
def cached_classify(image_key: str, _image: np.ndarray, model: str, top_k: int, _net: Any) -> list[tuple[str, float]]:
    """``vision_core.classify.classify`` memoised per (photo key, model, top_k)."""
    return classify(_image, model, top_k, net=_net)


@st.cache_data(max_entries=16, show_spinner=False)
def cached_steps(image_key: str, _image: np.ndarray, model: str) -> list[Any]:
    """``preprocessing_steps`` memoised per (photo key, model)."""
    return preprocessing_steps(_image, model)


@st.cache_data(max_entries=4, show_spinner=False)
def cached_filters(model: str, _net: Any) -> FilterGrid:
    """First-layer filters of an embedded network (they never change)."""
    return first_layer_filters(model, net=_net)


@st.cache_data(max_entries=24, show_spinner="Computing feature maps…")
def cached_feature_maps(image_key: str, _image: np.ndarray, model: str, layer: str, _net: Any) -> FeatureMaps:
    """``vision_core.see.feature_maps`` memoised per (photo key, network, layer)."""
    return feature_maps(_image, model, layer, net=_net)


@st.cache_data(max_entries=24, show_spinner="Computing the attribution map (occlusion runs one forward pass per patch position)…")
def cached_attribution(
    method: str, image_key: str, _image: np.ndarray, model: str, target: int | None, patch: int, stride: int, _net: Any
) -> Attribution:
    """Occlusion, Grad-CAM or saliency memoised per (method, photo key, model, class, patch, stride)."""
    if method == "occlusion":
        return occlusion_map(_image, model, net=_net, target=target, patch=patch, stride=stride)
    if method == "grad-cam":
        return grad_cam(_image, model, net=_net, target=target)
    return saliency_map(_image, model, net=_net, target=target)


def topk_figure(preds: Sequence[tuple[str, float]], title: str, colour: str = "#1f77b4") -> go.Figure:
    """Horizontal bars of (label, probability), best on top, probabilities printed beside the bars."""
    labels = [label for label, _ in preds][::-1]
    probs = [p for _, p in preds][::-1]
    fig = go.Figure(
        go.Bar(
            x=probs, y=labels, orientation="h", marker_color=colour,
            text=[f"{p:.3f}" for p in probs], textposition="outside", cliponaxis=False,
            hovertemplate="%{y}: %{x:.4f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=title, height=80 + 38 * len(preds), margin=dict(l=10, r=40, t=50, b=30),
        xaxis=dict(range=[0, 1.12], title="probability (softmax over 1000 classes)"),
        yaxis=dict(automargin=True), showlegend=False,
    )
    return fig
