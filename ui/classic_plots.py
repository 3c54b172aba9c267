"""Streamlit helpers for the classic-CV page: cached runs of ``vision_core.classic`` and small plotly charts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from vision_core import classic


@st.cache_data(max_entries=16, show_spinner="Evaluating the cascade's stages window by window…")
def cached_stage_counts(image_key: str, _image: np.ndarray, cascade: str, n_stages: int) -> classic.StageCounts:
    """``classic.cascade_stage_survivors`` memoised per (photo key, cascade, stages); the photo is not hashed."""
    return classic.cascade_stage_survivors(_image, cascade, n_stages)


@st.cache_data(max_entries=8, show_spinner="Boosting Haar features on lfw_subset…")
def cached_adaboost(rounds: int, n_features: int, seed: int) -> classic.AdaBoostResult:
    """``classic.adaboost_haar`` memoised."""
    return classic.adaboost_haar(rounds=rounds, n_features=n_features, seed=seed)


@st.cache_data(max_entries=8, show_spinner="Building the visual vocabulary (k-means on dense SIFT)…")
def cached_bovw(k: int, seed: int) -> classic.BovwModel:
    """``classic.train_bovw`` memoised per vocabulary size and seed."""
    return classic.train_bovw(k=k, seed=seed)


@st.cache_data(max_entries=4, show_spinner="Measuring the matching peak…")
def cached_curve(image_key: str, _image: np.ndarray, box: tuple[int, int, int, int], kind: str,
                 values: tuple[float, ...], method: str) -> classic.Degradation:
    """``classic.degradation_curve`` memoised per (photo key, box, kind, values, method)."""
    return classic.degradation_curve(_image, box, kind, values, method)


@st.cache_data(max_entries=16, show_spinner="Finding SIFT keypoints and matching them…")
def cached_match(key1: str, _img1: np.ndarray, key2: str, _img2: np.ndarray, ratio: float,
                 ransac: float) -> classic.Matches:
    """``classic.match_features`` memoised per (keys of both images, ratio, RANSAC threshold)."""
    return classic.match_features(_img1, _img2, ratio=ratio, ransac_threshold=ransac)


def last_canvas_rect(json_data: dict | None) -> tuple[int, int, int, int] | None:
    """The last rectangle drawn on a streamlit-drawable-canvas (Fabric.js JSON) as canvas pixels (x, y, w, h)."""
    rects = [o for o in ((json_data or {}).get("objects") or []) if str(o.get("type", "")).lower() == "rect"]
    if not rects:
        return None
    r = rects[-1]
    w, h = r.get("width", 0) * r.get("scaleX", 1), r.get("height", 0) * r.get("scaleY", 1)
    return round(r.get("left", 0)), round(r.get("top", 0)), round(w), round(h)


def stage_figure(counts: classic.StageCounts) -> go.Figure:
    """Bar chart (log y) of the windows alive before stage 1 and after each stage."""
    labels = ["all windows"] + [f"stage {i + 1}" for i in range(len(counts.survivors))]
    values = [counts.windows, *counts.survivors]
    fig = go.Figure(go.Bar(x=labels, y=values, text=[f"{v:,}" for v in values], textposition="outside",
                           marker_color=["#7f7f7f"] + ["#1f77b4"] * len(counts.survivors)))
    fig.update_yaxes(type="log", title="windows still alive (log)")
    fig.update_layout(height=340, margin=dict(l=10, r=10, t=20, b=10))
    return fig


def error_figure(result: classic.AdaBoostResult) -> go.Figure:
    """Training and held-out error of the strong classifier after each AdaBoost round, with εₜ of each weak one."""
    rounds = list(range(1, len(result.weak) + 1))
    fig = go.Figure()
    fig.add_scatter(x=rounds, y=result.train_error, mode="lines+markers", name="training error (strong)")
    fig.add_scatter(x=rounds, y=result.test_error, mode="lines+markers", name="held-out error (strong)")
    fig.add_scatter(x=rounds, y=[w.error for w in result.weak], mode="markers", name="εₜ of the weak classifier",
                    marker=dict(symbol="x", size=9))
    fig.update_xaxes(title="round t", dtick=1 if len(rounds) <= 20 else 5)
    fig.update_yaxes(title="error", rangemode="tozero")
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=20, b=10), legend=dict(orientation="h", y=-0.3))
    return fig


def degradation_figure(curve: classic.Degradation, unit: str, current: float | None = None) -> go.Figure:
    """Peak score (anywhere) and score at the true place versus the amount of change; found/lost markers."""
    fig = go.Figure()
    fig.add_scatter(x=curve.values, y=curve.peak, mode="lines+markers", name="best score anywhere")
    fig.add_scatter(x=curve.values, y=curve.at_truth, mode="lines+markers", name="score at the true place")
    lost = [v for v, f in zip(curve.values, curve.found) if not f]
    if lost:
        fig.add_scatter(x=lost, y=[curve.peak[curve.values.index(v)] for v in lost], mode="markers",
                        name="best match elsewhere (lost)", marker=dict(color="red", size=12, symbol="x"))
    if current is not None:
        fig.add_vline(x=current, line_dash="dot", line_color="grey")
    fig.update_xaxes(title=f"{curve.kind} ({unit})" if unit else curve.kind)
    fig.update_yaxes(title="matching score")
    fig.update_layout(height=330, margin=dict(l=10, r=10, t=20, b=10), legend=dict(orientation="h", y=-0.3))
    return fig


def histogram_figure(hist: np.ndarray, coef: Sequence[float]) -> go.Figure:
    """The photo's word histogram; bars coloured by the classifier's weight (orange = votes face, blue = not)."""
    colors = ["#ff7f0e" if c > 0 else "#1f77b4" for c in coef]
    fig = go.Figure(go.Bar(x=[str(i) for i in range(len(hist))], y=hist, marker_color=colors,
                           hovertext=[f"word {i}: weight {c:+.2f}" for i, c in enumerate(coef)]))
    fig.update_xaxes(title="visual word")
    fig.update_yaxes(title="fraction of patches")
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=20, b=10))
    return fig
