"""The object-detection page's cached runs and its R-CNN family chart (plotly).

Compute once, display many times: a detector's raw candidates are kept per (photo, model) in
``ui.results`` (shared across sessions for the bundled samples and the composite scene), so moving the
score or NMS slider, a class filter, a view or a tab only re-selects from them and never runs the
network again. The segmentation page takes its YOLOv3-tiny boxes from the same cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from ui.results import cached
from vision_core.detection import Candidates, Proposals, candidates, region_proposals, yolov3_tiny_heads


def candidates_for(photo_key: str, image: np.ndarray, model: str, net: Any) -> Candidates:
    """Every raw candidate of detector ``model`` on this photo: the network runs once per (photo, model)."""
    with st.spinner("Running the detector…"):
        return cached("detect", photo_key, (model,), lambda: candidates(image, model, net=net))


def proposals_for(photo_key: str, image: np.ndarray) -> Proposals:
    """``region_proposals`` (default scales), once per photo."""
    with st.spinner("Grouping pixels into regions…"):
        return cached("proposals", photo_key, ("default",), lambda: region_proposals(image))


def yolo_heads_for(net: Any, input_size: int = 416) -> list[tuple[int, int, int, int]]:
    """YOLOv3-tiny's measured head shapes at ``input_size`` (one forward pass of zeros, once per process)."""
    return cached("yolo_heads", f"sample:zeros-{input_size}", ("yolov3_tiny",),
                  lambda: yolov3_tiny_heads(net, input_size))


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
