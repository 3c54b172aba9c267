"""Plotly pictures for the convolution pages: number grids, the sliding-filter animation, histograms.

Every figure names its input and output in the title, so nobody has to guess which grid is which.
Each builder is ``@remembered`` (``ui.figures``): the same arguments give back the figure built before,
so a rerun that changed nothing builds nothing (pass ``photo_key=`` for a figure of the tray photo).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.figures import remembered

_PAD = "rgba(200,200,200,0.55)"


def _fmt(v: float) -> str:
    if not np.isfinite(v):
        return str(v)
    return f"{v:.0f}" if float(v).is_integer() and abs(v) < 1e6 else f"{v:.2f}" if abs(v) < 10 else f"{v:.4g}"


@remembered
def number_grid(
    values: np.ndarray,
    title: str,
    *,
    row_labels: Sequence[int | str] | None = None,
    col_labels: Sequence[int | str] | None = None,
    colorscale: str = "Greys_r",
    zmin: float | None = None,
    zmax: float | None = None,
    highlight: Sequence[tuple[int, int]] = (),
    cell_px: int = 34,
    show_text: bool = True,
) -> go.Figure:
    """A ``(h, w)`` matrix drawn as coloured cells with each number written in it; row 0 at the top.

    ``highlight`` outlines cells (row, col) in red; labels default to 0-based indices.
    """
    values = np.asarray(values, dtype=np.float64)
    h, w = values.shape
    rows = [str(r) for r in (row_labels if row_labels is not None else range(h))]
    cols = [str(c) for c in (col_labels if col_labels is not None else range(w))]
    text = [[_fmt(v) for v in r] for r in values] if show_text else None
    fig = go.Figure(go.Heatmap(
        z=values, x=cols, y=rows, text=text, texttemplate="%{text}" if show_text else None,
        colorscale=colorscale, zmin=zmin, zmax=zmax, showscale=False, xgap=1, ygap=1,
        hovertemplate="row %{y}, column %{x}: %{z}<extra></extra>",
    ))
    for r, c in highlight:
        fig.add_shape(type="rect", x0=c - 0.5, x1=c + 0.5, y0=r - 0.5, y1=r + 0.5, line=dict(color="red", width=3))
    fig.update_yaxes(autorange="reversed", type="category", title="row")
    fig.update_xaxes(type="category", side="top", title="column")
    size = max(160, min(560, cell_px * max(h, 2) + 90))
    fig.update_layout(title=dict(text=title, y=0.98), height=size, width=max(200, min(900, cell_px * max(w, 2) + 90)),
                      margin=dict(l=40, r=10, t=70, b=10))
    return fig


@remembered
def sliding_animation(
    size: int, kernel: int, stride: int, padding: int, dilation: int = 1, values: np.ndarray | None = None
) -> go.Figure:
    """The padded input (padding cells grey), the filter at each position, and the output cell it fills.

    One animation frame per output cell, in reading order (play button and slider). ``values`` is an
    optional ``(size, size)`` input to write in the cells. Uses PyTorch's floor rule for the positions.
    """
    eff = dilation * (kernel - 1) + 1
    n = size + 2 * padding
    out = (n - eff) // stride + 1
    grid = np.zeros((n, n))
    grid[padding:padding + size, padding:padding + size] = 1
    text = [["" for _ in range(n)] for _ in range(n)]
    for r in range(n):
        for c in range(n):
            inside = padding <= r < padding + size and padding <= c < padding + size
            if values is not None and inside:
                text[r][c] = _fmt(values[r - padding, c - padding])
            elif not inside:
                text[r][c] = "0"
    fig = make_subplots(rows=1, cols=2, column_widths=[n / (n + out + 1), (out + 1) / (n + out + 1)],
                        subplot_titles=(f"INPUT {size}×{size} + padding {padding} (grey) = {n}×{n}",
                                        f"OUTPUT {out}×{out}"), horizontal_spacing=0.08)
    fig.add_trace(go.Heatmap(z=grid, text=text, texttemplate="%{text}", colorscale=[[0, _PAD], [1, "#f4f7ff"]],
                             showscale=False, xgap=1, ygap=1, hoverinfo="skip"), row=1, col=1)
    fig.add_trace(go.Heatmap(z=np.zeros((out, out)), colorscale=[[0, "#eef6ee"], [1, "#eef6ee"]], showscale=False,
                             xgap=1, ygap=1, hoverinfo="skip"), row=1, col=2)

    def shapes(k: int) -> list[dict]:
        r, c = divmod(k, out)
        y0, x0 = r * stride, c * stride
        taps = [dict(type="rect", xref="x", yref="y", x0=x0 + j * dilation - 0.45, x1=x0 + j * dilation + 0.45,
                     y0=y0 + i * dilation - 0.45, y1=y0 + i * dilation + 0.45, line=dict(color="royalblue", width=2),
                     fillcolor="rgba(65,105,225,0.25)") for i in range(kernel) for j in range(kernel)]
        frame = dict(type="rect", xref="x", yref="y", x0=x0 - 0.5, x1=x0 + eff - 0.5, y0=y0 - 0.5, y1=y0 + eff - 0.5,
                     line=dict(color="royalblue", width=3))
        cell = dict(type="rect", xref="x2", yref="y2", x0=c - 0.5, x1=c + 0.5, y0=r - 0.5, y1=r + 0.5,
                    line=dict(color="red", width=3), fillcolor="rgba(255,0,0,0.35)")
        return [*taps, frame, cell]

    frames = [go.Frame(layout=dict(shapes=shapes(k)), name=str(k)) for k in range(out * out)]
    fig.frames = frames
    fig.update_layout(
        shapes=shapes(0), height=430, margin=dict(l=10, r=10, t=60, b=70),
        updatemenus=[dict(type="buttons", showactive=False, x=0, y=-0.08, xanchor="left", buttons=[
            dict(label="▶ play", method="animate",
                 args=[None, dict(frame=dict(duration=500, redraw=True), fromcurrent=True, transition=dict(duration=0))]),
            dict(label="⏸ pause", method="animate", args=[[None], dict(mode="immediate", frame=dict(duration=0))]),
        ])],
        sliders=[dict(active=0, x=0.15, len=0.85, y=-0.02, currentvalue=dict(prefix="output cell "), steps=[
            dict(label=f"{k // out},{k % out}", method="animate",
                 args=[[str(k)], dict(mode="immediate", frame=dict(duration=0, redraw=True))]) for k in range(out * out)
        ])],
    )
    for col in (1, 2):
        fig.update_yaxes(autorange="reversed", showticklabels=False, scaleanchor=f"x{'' if col == 1 else 2}", row=1, col=col)
        fig.update_xaxes(showticklabels=False, row=1, col=col)
    return fig


@remembered
def histogram_figure(counts: dict[str, np.ndarray], title: str = "Histogram: pixels per value (0 = black, 255 = white)") -> go.Figure:
    """Lines of pixel counts per value 0–255, one per channel."""
    colours = {"red": "#d62728", "green": "#2ca02c", "blue": "#1f77b4", "grey": "#555555"}
    fig = go.Figure()
    for name, c in counts.items():
        fig.add_trace(go.Scatter(x=np.arange(256), y=c, name=name, mode="lines", line=dict(color=colours.get(name, None))))
    fig.update_layout(title=title, xaxis_title="pixel value", yaxis_title="number of pixels", height=320,
                      margin=dict(l=10, r=10, t=50, b=10))
    return fig


@remembered
def grids_row(grids: Sequence[tuple[str, np.ndarray]], colorscale: str = "RdBu", zmid: float | None = 0.0, height: int = 300) -> go.Figure:
    """Several small number grids side by side, each titled (used for feature maps and filter copies)."""
    fig = make_subplots(rows=1, cols=len(grids), subplot_titles=[t for t, _ in grids], horizontal_spacing=0.04)
    for i, (_, g) in enumerate(grids, start=1):
        g = np.asarray(g, dtype=np.float64)
        fig.add_trace(go.Heatmap(z=g, text=[[_fmt(v) for v in r] for r in g], texttemplate="%{text}",
                                 colorscale=colorscale, zmid=zmid, showscale=False, xgap=1, ygap=1,
                                 hovertemplate="row %{y}, column %{x}: %{z}<extra></extra>"), row=1, col=i)
        fig.update_yaxes(autorange="reversed", dtick=1, row=1, col=i)
        fig.update_xaxes(dtick=1, row=1, col=i)
    fig.update_annotations(font_size=12)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=50, b=10))
    return fig
