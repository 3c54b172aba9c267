"""Streamlit helpers for the object-detection page: cached detector runs and the R-CNN family chart (plotly)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from vision_core.detection import Detections, Proposals, detect, region_proposals


@st.cache_data(max_entries=48, show_spinner="Running the detector…")
def cached_detect(image_key: str, _image: np.ndarray, model: str, score_threshold: float, iou_threshold: float) -> Detections:
    """``vision_core.detection.detect`` memoised per (photo key, model, thresholds); the photo itself is not hashed."""
    return detect(_image, model=model, score_threshold=score_threshold, iou_threshold=iou_threshold)


@st.cache_data(max_entries=16, show_spinner="Grouping pixels into regions…")
def cached_proposals(image_key: str, _image: np.ndarray) -> Proposals:
    """``vision_core.detection.region_proposals`` (default scales) memoised per photo key."""
    return region_proposals(_image)


def rcnn_family_figure(rows: Sequence[dict[str, Any]], measured: tuple[str, float] | None = None) -> go.Figure:
    """Two log-scale bar charts: test time per image (without / with proposals) and training time, per method.

    ``measured`` adds one bar ``(label, seconds)`` timed on this machine (CPU), drawn apart in grey."""
    methods = [f"{r['method']} ({r['year']})" for r in rows]
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Test time per image (s, log scale)", "Training time (hours)"),
                        column_widths=[0.62, 0.38], horizontal_spacing=0.12)
    fig.add_bar(x=methods, y=[r["test_seconds"] for r in rows], name="network only", marker_color="#1f77b4",
                text=[f"{r['test_seconds']:.3g} s" for r in rows], textposition="outside", row=1, col=1)
    fig.add_bar(x=methods, y=[r["test_seconds_with_proposals"] for r in rows], name="with region proposals",
                marker_color="#ff7f0e", text=[f"{r['test_seconds_with_proposals']:.3g} s" for r in rows],
                textposition="outside", row=1, col=1)
    if measured is not None:
        fig.add_bar(x=[measured[0]], y=[measured[1]], name="this machine (CPU)", marker_color="#7f7f7f",
                    text=[f"{measured[1]:.3g} s"], textposition="outside", row=1, col=1)
    trained = [r for r in rows if r.get("train_hours")]
    fig.add_bar(x=[f"{r['method']} ({r['year']})" for r in trained], y=[r["train_hours"] for r in trained],
                name="training", marker_color="#2ca02c", text=[f"{r['train_hours']:g} h" for r in trained],
                textposition="outside", row=1, col=2, showlegend=False)
    fig.update_yaxes(type="log", row=1, col=1)
    fig.update_yaxes(range=[0, 100], row=1, col=2)
    fig.update_layout(barmode="group", height=430, margin=dict(l=10, r=10, t=40, b=10),
                      legend=dict(orientation="h", y=-0.25))
    return fig
