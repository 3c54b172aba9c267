"""GAN pages: plotly training curves, the 2-D toy over D's surface, and the faces page's cached generator calls.

Compute once, display many times: faces come from seeds, so every grid, kept face, walk and steered
face is kept per settings in ``ui.results`` under one app-generated key shared by all sessions; the
display size and the upscaling filter only change how they are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from ui.results import cached
from vision_core.generative import faces as gan
from vision_core.generative.faces import LatentDirections
from vision_core.generative.training import GanStep, toy_data

T = TypeVar("T")
FACES_KEY = "sample:dcgan_faces"
"""The results key of the embedded generator's outputs (seeded, the same for everybody)."""


def _faces(kind: str, params: tuple[Any, ...], compute: Callable[[], T]) -> T:
    return cached(f"gan_{kind}", FACES_KEY, params, compute)


def sampled(n: int, seed: int, truncation: float, generator: Any) -> np.ndarray:
    """``n`` faces from ``seed`` at ``truncation``, ``(n, 64, 64, 3)`` uint8 (read-only)."""
    return _faces("grid", (n, seed, truncation), lambda: gan.sample_faces(n, seed, truncation, generator=generator))


def kept(pairs: Sequence[tuple[int, int]], generator: Any) -> np.ndarray:
    """The kept faces ``(seed, index)``, ``(k, 64, 64, 3)`` uint8 (read-only)."""
    key = tuple(pairs)
    return _faces("kept", key, lambda: gan.kept_faces(list(key), generator))


def walked(a: tuple[int, int], b: tuple[int, int], steps: int, method: str, generator: Any) -> np.ndarray:
    """Walk frames from kept face ``a`` to ``b`` (read-only)."""
    return _faces("walk", (a, b, steps, method), lambda: gan.walk(a, b, steps, method, generator=generator))  # type: ignore[arg-type]


def arithmetic(a: tuple[int, int], b: tuple[int, int], c: tuple[int, int], generator: Any) -> np.ndarray:
    """The face of latent a − b + c (read-only)."""
    return _faces("arith", (a, b, c), lambda: gan.arithmetic_face(a, b, c, generator))


def steered(base: tuple[int, int], coefficients: Sequence[float], generator: Any) -> np.ndarray:
    """Kept face ``base`` moved along the principal directions by ``coefficients`` standard deviations."""
    coeffs = tuple(float(c) for c in coefficients)
    return _faces("steer", (base, coeffs), lambda: gan.steer(base, latent_directions(generator), coeffs, generator))


@st.cache_resource(show_spinner="Finding principal directions over 2000 faces…")
def latent_directions(_generator: object) -> LatentDirections:
    """The GAN's principal latent directions, computed once per process."""
    return gan.latent_directions(5, generator=_generator)


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


def diversity_figure(sampled_steps: Sequence[GanStep], threshold: float) -> go.Figure:
    """Sample diversity (1 ≈ as varied as the data) with the collapse threshold."""
    pts = [h for h in sampled_steps if h.diversity is not None]
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
        fig.add_heatmap(
            x=np.linspace(x0, x1, g), y=np.linspace(y0, y1, g), z=step.surface, colorscale="RdBu", zmin=0, zmax=1,
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


@st.cache_data
def toy_reference(dataset: str) -> np.ndarray:
    """512 real points of a toy distribution, fixed for display."""
    return toy_data(dataset, 512, np.random.default_rng(123))
