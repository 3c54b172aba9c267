"""Plotly figures and cached calls for the neural style transfer page.

Compute once, display many times: fast and arbitrary results are kept per (photo, style, mix or
strength) in ``ui.results`` — shared across sessions for a bundled sample with an offline style,
kept in this session for an uploaded photo or style; the layer view is kept per finished run and layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from ui.results import cached, is_shared
from vision_core.style import (
    FastResult,
    GatysStep,
    LayerView,
    arbitrary_stylize,
    explain_layer,
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


def fast(photo_key: str, image: np.ndarray, weights: tuple[float, ...], session: Any) -> FastResult:
    """``fast_stylize`` once per photo and 26-weight mix."""
    with st.spinner("Painting…"):
        return cached("fast_style", photo_key, weights, lambda: fast_stylize(image, list(weights), session=session))


def pair_key(photo_key: str, style_key: str) -> str:
    """The results key of a (photo, style) pair: shared only when both are app samples, never for an upload."""
    return photo_key if is_shared(style_key) else f"pair:{photo_key}|{style_key}"


def arbitrary(photo_key: str, style_key: str, image: np.ndarray, style: np.ndarray, strength: float,
              predictor: Any, transformer: Any) -> FastResult:
    """``arbitrary_stylize`` once per photo, style image and strength."""
    def run() -> FastResult:
        return arbitrary_stylize(image, style, strength, predictor=predictor, transformer=transformer)

    with st.spinner("Painting…"):
        return cached("arbitrary_style", pair_key(photo_key, style_key), (style_key, strength), run)


def layer_view(run: dict, final: np.ndarray, layer: str, net: Any) -> LayerView:
    """``explain_layer`` on a finished run's C, S and G, once per run and layer (kept in this session)."""
    def compute() -> LayerView:
        return explain_layer(run["content"], run["style"], final, layer, size=128, network=run["network"], net=net)

    return cached("style_layer", f"run:{run['id']}", (layer,), compute)


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
