"""Plotly figures for the training and transfer-learning pages: curves, probability bars, scatters, heatmaps."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.figures import remembered

_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def training_curves(steps: Sequence[int], loss: Sequence[float], train_acc: Sequence[float],
                    test_acc: Sequence[float], total_steps: int | None = None) -> go.Figure:
    """Loss (left) and train/test accuracy in % (right) against the training step."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Cross-entropy loss", "Accuracy (%)"))
    fig.add_trace(go.Scatter(x=list(steps), y=list(loss), mode="lines+markers", name="training loss"), 1, 1)
    fig.add_trace(go.Scatter(x=list(steps), y=[100 * a for a in train_acc], mode="lines+markers", name="train accuracy"), 1, 2)
    fig.add_trace(go.Scatter(x=list(steps), y=[100 * a for a in test_acc], mode="lines+markers", name="test accuracy"), 1, 2)
    fig.add_hline(y=95, line_dash="dot", line_color="grey", annotation_text="95 %", row=1, col=2)
    if total_steps:
        fig.update_xaxes(range=[0, total_steps * 1.02])
    fig.update_xaxes(title_text="step (mini-batch)")
    fig.update_yaxes(range=[0, 101], row=1, col=2)
    fig.update_layout(height=330, margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.25))
    return fig


def probability_bars(labels: Sequence[str], probs: Sequence[float], title: str = "") -> go.Figure:
    """Horizontal bars of class probabilities (0–1), in the given order, top to bottom."""
    labels, probs = list(labels), [float(p) for p in probs]
    fig = go.Figure(go.Bar(x=probs[::-1], y=labels[::-1], orientation="h",
                           text=[f"{p:.1%}" for p in probs[::-1]], textposition="auto"))
    fig.update_layout(title=title or None, height=max(180, 28 * len(labels) + 70), xaxis=dict(range=[0, 1], tickformat=".0%"), yaxis=dict(type="category"),
                      margin=dict(l=10, r=10, t=40 if title else 10, b=10))
    return fig


def projection_scatter(points: np.ndarray, labels: np.ndarray, class_names: Sequence[str],
                       hover: Sequence[str], title: str, highlight: np.ndarray | None = None) -> go.Figure:
    """A 2-D projection ``(N, 2)`` coloured by class; ``hover`` text per point; ``highlight`` (indices)
    are drawn as black-ringed crosses (the misclassified images). Point index is in ``customdata``."""
    fig = go.Figure()
    pts = np.asarray(points)
    for c, name in enumerate(class_names):
        idx = np.flatnonzero(np.asarray(labels) == c)
        fig.add_trace(go.Scatter(
            x=pts[idx, 0], y=pts[idx, 1], mode="markers", name=str(name), customdata=idx,
            text=[hover[i] for i in idx], hovertemplate="%{text}<extra></extra>",
            marker=dict(size=7, color=_PALETTE[c % len(_PALETTE)], opacity=0.8),
        ))
    if highlight is not None and len(highlight):
        h = np.asarray(highlight)
        fig.add_trace(go.Scatter(
            x=pts[h, 0], y=pts[h, 1], mode="markers", name="misclassified", customdata=h,
            text=[hover[i] for i in h], hovertemplate="%{text}<extra></extra>",
            marker=dict(size=13, symbol="x-open", color="black", line=dict(width=2)),
        ))
    fig.update_layout(title=title, height=460, margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.1))
    return fig


@remembered  # built once per response maps: a warm rerun of the page built it again (~50-160 ms)
def response_heatmaps(maps: np.ndarray, names: Sequence[str]) -> go.Figure:
    """One heatmap per 3×3 filter response map ``(K, h, w)`` (values −1…1, 1 = perfect match), each cell
    annotated with the sum of the 9 products (the response × 9)."""
    k = len(maps)
    fig = make_subplots(rows=1, cols=k, subplot_titles=[str(n) for n in names], horizontal_spacing=0.04)
    for i, m in enumerate(maps):
        fig.add_trace(go.Heatmap(z=m, zmin=-1, zmax=1, colorscale="RdBu_r", showscale=i == k - 1,
                                 text=np.rint(np.asarray(m) * 9).astype(int), texttemplate="%{text}",
                                 hovertemplate="response %{z:.2f}<extra></extra>", textfont=dict(size=11)), 1, i + 1)
        fig.update_yaxes(autorange="reversed", showticklabels=False, row=1, col=i + 1)
        fig.update_xaxes(showticklabels=False, row=1, col=i + 1)
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=40, b=10))
    return fig
