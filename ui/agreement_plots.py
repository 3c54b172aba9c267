"""Agreement numbers' cached results and figures: attribution maps compared (Spearman ρ, top-k % overlap) for
"Inside the network", two segmenters' masks compared (IoU) for the segmentation page.

No maths here: the numbers come from ``vision_core.see.agreement`` and ``vision_core.segmentation.agreement``.
Each comparison is cached with ``ui.results.cached`` per photo and the settings it reads; the maps and masks it
compares are the pages' own cached network outputs, so a display change (top-k %, the pair, opacity) runs no
network. Figures are ``@remembered`` (``ui.figures``): built once per input.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from ui.figures import remembered
from ui.results import cached
from vision_core.see import MapAgreement, agreement
from vision_core.segmentation import ClassAgreement, MaskAgreement, SegmentationResult, class_agreement, mask_iou


def map_agreement(photo_key: str, params: tuple[Hashable, ...], maps: Mapping[str, np.ndarray], grid: int,
                  percent: float) -> MapAgreement:
    """``vision_core.see.agreement`` of ``maps`` once per (photo, ``params`` = the settings that made the maps,
    grid, top-k %)."""
    return cached("map_agreement", photo_key, (*params, tuple(maps), int(grid), float(percent)),
                  lambda: agreement(maps, grid, percent))


def _cell(v: float) -> str:
    return "n/a" if not np.isfinite(v) else f"{v:.2f}"


@remembered
def matrix_figure(values: np.ndarray, names: Sequence[str], title: str, zmin: float = -1.0, zmax: float = 1.0,
                  colorscale: str = "RdBu") -> go.Figure:
    """A small square matrix (method × method) with each number written in its cell; NaN shown as "n/a"."""
    values = np.asarray(values, dtype=np.float64)
    names = list(names)
    fig = go.Figure(go.Heatmap(
        z=np.where(np.isfinite(values), values, np.nan), x=names, y=names,
        text=[[_cell(v) for v in row] for row in values], texttemplate="%{text}", textfont=dict(size=15),
        colorscale=colorscale, zmin=zmin, zmax=zmax, showscale=False, xgap=2, ygap=2,
        hovertemplate="%{y} vs %{x}: %{text}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    fig.update_layout(title=dict(text=title, y=0.97), height=320, width=380, margin=dict(l=10, r=10, t=80, b=10))
    return fig


@remembered
def iou_bars(names: Sequence[str], ious: Sequence[float], title: str) -> go.Figure:
    """Horizontal bars of per-class IoU (0–1), one per class, the value printed beside each bar."""
    fig = go.Figure(go.Bar(x=list(ious), y=list(names), orientation="h", marker_color="#2ca02c",
                           text=[f"{v:.2f}" for v in ious], textposition="outside", cliponaxis=False))
    fig.update_layout(title=title, height=80 + 28 * len(names), margin=dict(l=10, r=40, t=40, b=30),
                      xaxis=dict(range=[0, 1.1], title="IoU = |A ∩ B| / |A ∪ B|"), yaxis=dict(autorange="reversed"))
    return fig


def mask_agreement(photo_key: str, params: tuple[Hashable, ...], a: np.ndarray, b: np.ndarray) -> MaskAgreement:
    """``vision_core.segmentation.mask_iou`` of two masks once per (photo, ``params`` = what made the masks)."""
    return cached("mask_agreement", photo_key, params, lambda: mask_iou(a, b))


def class_map_agreement(photo_key: str, params: tuple[Hashable, ...], a: SegmentationResult,
                        b: SegmentationResult) -> ClassAgreement:
    """Per-class and mean IoU of two segmenters' class maps once per (photo, ``params`` = the two models)."""
    if a.class_names != b.class_names:
        raise ValueError(f"{a.model} and {b.model} label different classes; only models with the same classes compare.")
    return cached("class_agreement", photo_key, params, lambda: class_agreement(a.class_map, b.class_map, a.class_names))
