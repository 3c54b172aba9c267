"""GAN pages: plotly training curves, the 2-D toy over D's surface, and cached latent directions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from vision_core.generative import faces as gan
from vision_core.generative.faces import LatentDirections

from vision_core.generative.training import GanStep


def _layout(fig: go.Figure, title: str, ytitle: str) -> go.Figure:
    fig.update_layout(
        title=title, xaxis_title="step", yaxis_title=ytitle, height=300,
        margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.25),
    )
    return fig


def loss_figure(history: Sequence[GanStep]) -> go.Figure:
    """Discriminator and generator losses against the step."""
    steps = [h.step for h in history]
    fig = go.Figure()
    fig.add_scatter(x=steps, y=[h.loss_d for h in history], name="D loss", mode="lines")
    fig.add_scatter(x=steps, y=[h.loss_g for h in history], name="G loss", mode="lines")
    return _layout(fig, "Losses", "binary cross-entropy")


def d_figure(history: Sequence[GanStep]) -> go.Figure:
    """Mean D(x) on real data and D(G(z)) on fakes, with the 0.5 equilibrium line."""
    steps = [h.step for h in history]
    fig = go.Figure()
    fig.add_scatter(x=steps, y=[h.d_real for h in history], name="D(x), real", mode="lines")
    fig.add_scatter(x=steps, y=[h.d_fake for h in history], name="D(G(z)), fake", mode="lines")
    fig.add_hline(y=0.5, line_dash="dot", annotation_text="equilibrium 0.5")
    fig.update_yaxes(range=[0, 1])
    return _layout(fig, "What the discriminator believes", "probability 'real'")


def diversity_figure(history: Sequence[GanStep], threshold: float) -> go.Figure:
    """Sample diversity (1 ≈ as varied as the data) with the collapse threshold."""
    pts = [h for h in history if h.diversity is not None]
    fig = go.Figure()
    fig.add_scatter(x=[h.step for h in pts], y=[h.diversity for h in pts], name="diversity", mode="lines+markers")
    fig.add_hline(y=threshold, line_dash="dot", line_color="red", annotation_text="mode collapse below")
    return _layout(fig, "Sample diversity", "relative to real data")


def toy_figure(step: GanStep, real: np.ndarray) -> go.Figure:
    """Real points, generated points and the discriminator's D(x) as a heatmap (GAN Lab's view)."""
    fig = go.Figure()
    if step.surface is not None and step.extent is not None:
        x0, x1, y0, y1 = step.extent
        g = step.surface.shape[0]
        axis = np.linspace(x0, x1, g)
        fig.add_heatmap(
            x=axis, y=np.linspace(y0, y1, g), z=step.surface, colorscale="RdBu", zmin=0, zmax=1,
            opacity=0.55, colorbar=dict(title="D(x)"), hovertemplate="D=%{z:.2f}<extra></extra>",
        )
    fig.add_scatter(x=real[:, 0], y=real[:, 1], mode="markers", name="real data",
                    marker=dict(size=4, color="#16a34a"))
    if step.samples is not None:
        fig.add_scatter(x=step.samples[:, 0], y=step.samples[:, 1], mode="markers", name="generated G(z)",
                        marker=dict(size=4, color="#7c3aed"))
    fig.update_layout(height=460, margin=dict(l=10, r=10, t=30, b=10), title=f"step {step.step}",
                      legend=dict(orientation="h", y=-0.1), xaxis=dict(scaleanchor="y"))
    return fig


@st.cache_resource(show_spinner="Finding principal directions over 2000 faces…")
def latent_directions(_generator: object) -> LatentDirections:
    """The GAN's principal latent directions, computed once per process."""
    return gan.latent_directions(5, generator=_generator)


@st.cache_data
def toy_reference(dataset: str) -> np.ndarray:
    """512 real points of a toy distribution, fixed for display."""
    from vision_core.generative.training import toy_data

    return toy_data(dataset, 512, np.random.default_rng(123))


def digit_grid(samples: np.ndarray, columns: int = 6) -> np.ndarray:
    """``(n, 28, 28)`` uint8 digits as an RGB grid, upscaled ×4 (nearest) for display."""
    rgb = np.repeat(samples[..., None], 3, axis=-1)
    grid = gan.face_grid(rgb, columns=columns, pad=1)
    return np.kron(grid, np.ones((4, 4, 1), np.uint8))
