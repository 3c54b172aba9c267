"""Small plotly charts of the classic-CV page (stage survivors, AdaBoost errors, matching peaks, word histograms)
and the reader of rectangles drawn on its canvas. Results come from ``vision_core.classic``.

Each chart is built once per input (``ui.figures.remembered``); a chart of the tray photo's results takes
``photo_key=`` so an uploaded photo's chart stays in its session."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ui.figures import remembered
from vision_core import classic


def last_canvas_rect(json_data: dict | None) -> tuple[int, int, int, int] | None:
    """The last rectangle drawn on a streamlit-drawable-canvas (Fabric.js JSON) as canvas pixels (x, y, w, h)."""
    rects = [o for o in ((json_data or {}).get("objects") or []) if str(o.get("type", "")).lower() == "rect"]
    if not rects:
        return None
    r = rects[-1]
    w, h = r.get("width", 0) * r.get("scaleX", 1), r.get("height", 0) * r.get("scaleY", 1)
    return round(r.get("left", 0)), round(r.get("top", 0)), round(w), round(h)


@remembered
def stage_figure(windows: int, survivors: tuple[int, ...]) -> go.Figure:
    """Bar chart (log y) of the windows alive before stage 1 (``windows``) and after each stage (``survivors``,
    as in ``classic.StageCounts``)."""
    labels = ["all windows"] + [f"stage {i + 1}" for i in range(len(survivors))]
    values = [windows, *survivors]
    fig = go.Figure(go.Bar(x=labels, y=values, text=[f"{v:,}" for v in values], textposition="outside",
                           marker_color=["#7f7f7f"] + ["#1f77b4"] * len(survivors)))
    fig.update_yaxes(type="log", title="windows still alive (log)")
    fig.update_layout(height=340, margin=dict(l=10, r=10, t=20, b=10))
    return fig


def error_figure(result: classic.AdaBoostResult) -> go.Figure:
    """Training and held-out error of the strong classifier after each AdaBoost round, with εₜ of each weak one."""
    return _error_figure(result.train_error, result.test_error, tuple(w.error for w in result.weak))


@remembered
def _error_figure(train_error: tuple[float, ...], test_error: tuple[float, ...], weak_error: tuple[float, ...]) -> go.Figure:
    rounds = list(range(1, len(weak_error) + 1))
    fig = go.Figure()
    fig.add_scatter(x=rounds, y=train_error, mode="lines+markers", name="training error (strong)")
    fig.add_scatter(x=rounds, y=test_error, mode="lines+markers", name="held-out error (strong)")
    fig.add_scatter(x=rounds, y=list(weak_error), mode="markers", name="εₜ of the weak classifier",
                    marker=dict(symbol="x", size=9))
    fig.update_xaxes(title="round t", dtick=1 if len(rounds) <= 20 else 5)
    fig.update_yaxes(title="error", rangemode="tozero")
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=20, b=10), legend=dict(orientation="h", y=-0.3))
    return fig


@remembered
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


@remembered
def histogram_figure(hist: np.ndarray, coef: Sequence[float]) -> go.Figure:
    """The photo's word histogram; bars coloured by the classifier's weight (orange = votes face, blue = not)."""
    colors = ["#ff7f0e" if c > 0 else "#1f77b4" for c in coef]
    fig = go.Figure(go.Bar(x=[str(i) for i in range(len(hist))], y=hist, marker_color=colors,
                           hovertext=[f"word {i}: weight {c:+.2f}" for i, c in enumerate(coef)]))
    fig.update_xaxes(title="visual word")
    fig.update_yaxes(title="fraction of patches")
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=20, b=10))
    return fig
