"""Plotly figures and cached calls for the neural style transfer page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from vision_core.style import (
    FastResult,
    GatysStep,
    LayerView,
    arbitrary_stylize,
    fast_stylize,
    style_image,
    style_thumbnails,
)


@st.cache_data(show_spinner="Painting the 26 style thumbnails once…", max_entries=2)
def thumbnails(_session: Any, side: int = 112) -> list[np.ndarray]:
    """The 26 fast styles painted on the fixed sample, ``side``² uint8 RGB each (cached per process)."""
    return style_thumbnails(_session, side=side)


@st.cache_data(show_spinner=False, max_entries=16)
def offline_style(name: str, _session: Any) -> np.ndarray:
    """An offline style image by name (textures, or the sample painted by a fast style)."""
    return style_image(name, session=_session)


@st.cache_data(show_spinner=False, max_entries=32)
def fast(image: np.ndarray, weights: tuple[float, ...], _session: Any) -> FastResult:
    """``fast_stylize`` cached on the image and the 26 weights."""
    return fast_stylize(image, list(weights), session=_session)


@st.cache_data(show_spinner=False, max_entries=16)
def arbitrary(image: np.ndarray, style: np.ndarray, strength: float, _predictor: Any, _transformer: Any) -> FastResult:
    """``arbitrary_stylize`` cached on the photo, the style image and the strength."""
    return arbitrary_stylize(image, style, strength, predictor=_predictor, transformer=_transformer)


def latest_image(history: Sequence[GatysStep]) -> GatysStep | None:
    """The most recent item of a Gatys history that carries an image."""
    for item in reversed(history):
        if item.image is not None:
            return item
    return None


def loss_figure(history: Sequence[GatysStep], alpha: float, beta: float) -> go.Figure:
    """α·J_content, β·J_style and the total loss against the step, on a log scale (zeros left out)."""
    steps = [h.step for h in history]

    def positive(values: list[float]) -> list[float | None]:
        return [v if v > 0 else None for v in values]

    fig = go.Figure()
    fig.add_scatter(x=steps, y=positive([alpha * h.losses.content for h in history]), name="α·J_content",
                    mode="lines")
    fig.add_scatter(x=steps, y=positive([beta * h.losses.style for h in history]), name="β·J_style", mode="lines")
    fig.add_scatter(x=steps, y=positive([h.losses.total for h in history]), name="J(G) total", mode="lines",
                    line={"width": 3})
    fig.update_layout(height=320, margin={"l": 10, "r": 10, "t": 30, "b": 10}, title="Loss while G is optimised",
                      xaxis_title="iteration", yaxis_title="loss (log scale)", yaxis_type="log",
                      legend={"orientation": "h", "y": -0.25})
    return fig


def gram_figure(view: LayerView) -> go.Figure:
    """Side-by-side heatmaps of the style image's and G's Gram matrices at one layer (same colour scale)."""
    k = view.gram_style.shape[0]
    top = float(max(view.gram_style.max(), view.gram_generated.max()))
    fig = make_subplots(rows=1, cols=2, subplot_titles=(f"M(S): style image, {k}×{k}", f"M(G): generated, {k}×{k}"),
                        horizontal_spacing=0.08)
    for col, mat in ((1, view.gram_style), (2, view.gram_generated)):
        fig.add_trace(go.Heatmap(z=mat, zmin=0, zmax=top, colorscale="Viridis", showscale=col == 2,
                                 hovertemplate="channel %{y} × channel %{x}: %{z:.3g}<extra></extra>"), row=1, col=col)
        fig.update_yaxes(autorange="reversed", row=1, col=col, title_text="channel" if col == 1 else None)
        fig.update_xaxes(title_text="channel", row=1, col=col)
    fig.update_layout(height=380, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig
