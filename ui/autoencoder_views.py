"""The autoencoders page's cached computations and figures (no maths here: vision_core.autoencoders does it).

Compute once, display many times: this session's trained networks are rebuilt only when the job reports
new weights; every result (reconstructions, the latent map, the decoded grid, the denoised digits at a σ,
the PSNR curve, the checkerboard report) is kept in ``ui.results`` under a key naming those weights
(``ae:<run start>:<step>``, this session only), so changing which digits are shown, the noise level or the
clicked latent point recomputes nothing that was computed before.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from ui import jobs
from ui.results import cached
from vision_core import autoencoders as ae

_NETS = "_ae_networks"
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
NET_NAMES = {"transposed": "transposed-conv decoder", "upsample": "upsample + conv decoder", "denoiser": "denoiser (σ = 0.4)"}
PSNR_SIGMAS = tuple(round(0.1 * i, 1) for i in range(1, 11))


def trained_networks(job: str) -> tuple[Any, Any, ae.AutoencoderProgress | None, str | None]:
    """(twin autoencoder, denoiser, record, results key) of this session's latest weights, rebuilt only when the
    job has new ones; (None, None, None, None) before the first trained step."""
    s = jobs.snapshot(job)
    if s is None or s.latest is None or s.latest.step == 0:
        return None, None, None, None
    key = f"ae:{s.started}:{s.latest.step}"
    hit = st.session_state.get(_NETS)
    if hit is None or hit[0] != key:
        hit = (key, *ae.networks_from(s.latest))
        st.session_state[_NETS] = hit
    return hit[1], hit[2], s.latest, key


def reconstructions(twin: Any, key: str) -> ae.Reconstructions:
    """Both decoders' reconstructions of the 1000 held-out digits, once per weights."""
    return cached("ae_recon", key, (), lambda: ae.reconstructions(net=twin))


def latent(twin: Any, key: str) -> ae.LatentMap:
    """The held-out digits' 2-D codes and the kNN score, once per weights."""
    return cached("ae_latent", key, (), lambda: ae.latent_map(net=twin))


def manifold(twin: Any, key: str, decoder: str, extent: tuple[float, float, float, float]) -> np.ndarray:
    """The decoded 12 × 12 grid over the latent plane, once per weights and decoder."""
    return cached("ae_manifold", key, (decoder, extent), lambda: ae.manifold(extent, decoder, net=twin))


def denoised(den: Any, key: str, sigma: float) -> ae.DenoiseResult:
    """The 1000 held-out digits with noise σ and the denoiser's output, once per (weights, σ): which digits
    are shown is a slice of it."""
    return cached("ae_denoise", key, (sigma,), lambda: ae.denoise(ae.held_out_digits()[0], sigma, net=den))


def psnr_curve(den: Any, key: str) -> tuple[np.ndarray, np.ndarray]:
    """Mean PSNR (dB) of the noisy input and of the denoiser's output on 200 held-out digits, per σ in
    ``PSNR_SIGMAS``; once per weights."""
    def compute() -> tuple[np.ndarray, np.ndarray]:
        digits = ae.held_out_digits()[0][:200]
        results = [ae.denoise(digits, s, net=den) for s in PSNR_SIGMAS]
        return np.array([r.mean_psnr_noisy for r in results]), np.array([r.mean_psnr_output for r in results])

    return cached("ae_psnr_curve", key, (), compute)


def checkerboard(twin: Any, key: str) -> ae.CheckerboardReport:
    """Both decoders on the codes of the 1000 held-out digits and their checkerboard numbers, once per weights."""
    return cached("ae_checker", key, (), lambda: ae.checkerboard_report(latent(twin, key).codes, ae.held_out_digits()[0],
                                                                        net=twin))


def curves_figure(curve: tuple[ae.CurvePoint, ...], total_steps: int) -> go.Figure:
    """Training MSE (left) and held-out MSE (right) of the three networks against the step."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Training MSE (mean over the last steps)", "Held-out MSE"))
    steps = [p.step for p in curve]
    for i, name in enumerate(ae.NETS):
        colour = COLOURS[i]
        fig.add_trace(go.Scatter(x=steps[1:], y=[p.train[i] for p in curve[1:]], mode="lines", name=NET_NAMES[name],
                                 line=dict(color=colour), legendgroup=name), 1, 1)
        fig.add_trace(go.Scatter(x=steps, y=[p.test[i] for p in curve], mode="lines+markers", name=NET_NAMES[name],
                                 line=dict(color=colour), legendgroup=name, showlegend=False), 1, 2)
    fig.update_xaxes(title_text="step (mini-batch of 64)", range=[0, total_steps * 1.02])
    fig.update_yaxes(type="log")
    fig.update_layout(height=330, margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.3))
    return fig


def latent_figure(lm: ae.LatentMap, point: tuple[float, float] | None, grid: int = 25) -> go.Figure:
    """The held-out codes coloured by digit, a faint grid of clickable points covering the plane (a click
    anywhere picks the nearest one) and the chosen ``point`` as a black cross."""
    x0, x1, y0, y1 = lm.extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, grid), np.linspace(y0, y1, grid))
    fig = go.Figure(go.Scatter(x=gx.ravel(), y=gy.ravel(), mode="markers", name="anywhere",
                               marker=dict(size=9, color="rgba(128,128,128,0.06)"),
                               hovertemplate="decode (%{x:.2f}, %{y:.2f})<extra></extra>", showlegend=False))
    for d in range(10):
        idx = np.flatnonzero(lm.labels == d)
        fig.add_trace(go.Scatter(x=lm.codes[idx, 0], y=lm.codes[idx, 1], mode="markers", name=str(d),
                                 marker=dict(size=5, color=COLOURS[d], opacity=0.75),
                                 hovertemplate=f"digit {d}: (%{{x:.2f}}, %{{y:.2f}})<extra></extra>"))
    if point is not None:
        fig.add_trace(go.Scatter(x=[point[0]], y=[point[1]], mode="markers", name="decoded", showlegend=False,
                                 marker=dict(symbol="x", size=14, color="black"), hoverinfo="skip"))
    fig.update_layout(height=460, margin=dict(l=10, r=10, t=10, b=10), clickmode="event+select",
                      xaxis=dict(title="z₁", range=[x0, x1]), yaxis=dict(title="z₂", range=[y0, y1]),
                      legend=dict(title="digit", itemsizing="constant"))
    return fig


def psnr_figure(noisy: np.ndarray, output: np.ndarray, sigma: float) -> go.Figure:
    """PSNR of the noisy input and of the denoiser's output against σ, with the chosen σ marked."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=PSNR_SIGMAS, y=noisy, mode="lines+markers", name="noisy input"))
    fig.add_trace(go.Scatter(x=PSNR_SIGMAS, y=output, mode="lines+markers", name="denoiser output"))
    fig.add_vline(x=sigma, line_dash="dot", line_color="grey")
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=10, b=10), xaxis_title="noise σ (0–1 pixels)",
                      yaxis_title="PSNR against the clean digit (dB)", legend=dict(orientation="h", y=-0.3))
    return fig


def clicked_point(event: Any) -> tuple[float, float] | None:
    """The (x, y) of the first point a plotly selection event holds, or None."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    if not points:
        return None
    return float(points[0]["x"]), float(points[0]["y"])
