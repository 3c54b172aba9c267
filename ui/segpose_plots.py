"""Plotly figures and cached calls for the segmentation page (no maths here: values come from vision_core)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from vision_core.segmentation import InstanceResult, SegmentationResult, grabcut_instances, segment


def share_bars(names: Sequence[str], shares: Sequence[float], colours: Sequence[tuple[int, int, int]]) -> go.Figure:
    """Horizontal bars: share of the photo's pixels per class, each bar in its class colour."""
    fig = go.Figure(
        go.Bar(
            x=[100 * s for s in shares],
            y=list(names),
            orientation="h",
            marker_color=[f"rgb{tuple(int(v) for v in c)}" for c in colours],
            marker_line_color="#444",
            marker_line_width=1,
            text=[f"{100 * s:.1f} %" for s in shares],
            textposition="auto",
        )
    )
    fig.update_layout(
        height=60 + 28 * len(names), margin=dict(l=10, r=10, t=30, b=10), title="Pixels per class",
        xaxis_title="% of the photo", yaxis=dict(autorange="reversed"),
    )
    return fig


def work_bars(labels: Sequence[str], values: Sequence[float], title: str) -> go.Figure:
    """Bars on a log axis comparing amounts of work (e.g. pixel reads of sliding windows versus one FCN pass)."""
    fig = go.Figure(go.Bar(x=list(labels), y=list(values), text=[f"{v:,.0f}" for v in values], textposition="auto",
                           marker_color=["#d62728", "#2ca02c"][: len(values)] + ["#1f77b4"] * max(0, len(values) - 2)))
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=40, b=10), title=title, yaxis_type="log")
    return fig


@st.cache_data(max_entries=16, show_spinner="GrabCut inside each box…")
def cached_grabcut(image_key: str, _image: np.ndarray, boxes: tuple[tuple[float, float, float, float], ...],
                   labels: tuple[str, ...], scores: tuple[float, ...], iterations: int) -> InstanceResult:
    """``grabcut_instances`` cached per photo (``image_key``), boxes and iterations (GrabCut takes about a second)."""
    return grabcut_instances(_image, np.array(boxes, np.float32).reshape(-1, 4), labels, np.array(scores, np.float32),
                             iterations=iterations)


@st.cache_data(max_entries=4, ttl=3600, show_spinner="Running the segmentation network…")
def cached_segment(image_key: str, _image: np.ndarray, model: str, _net: Any) -> tuple[SegmentationResult, float]:
    """``segment`` for the heavier torchvision models, cached per photo and model: (result, milliseconds)."""
    t0 = time.perf_counter()
    result = segment(_image, model, net=_net)
    return result, 1000 * (time.perf_counter() - t0)
