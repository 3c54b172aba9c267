"""The localisation page's cached computations and figures (no maths here: vision_core.localisation does it).

Compute once, display many times: this session's localiser is rebuilt only when the job reports new weights;
its scores on the held-out scenes, its predictions on a seed's new canvases and on a drawing are kept in
``ui.results`` under a key naming those weights (``loc:<run start>:<step>``, this session only). The example
scenes of section 1 are the same for everybody (``sample:`` key, computed once per process).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from ui import jobs
from ui.results import cached
from vision_core import localisation as loc
from vision_core.ops.tiling import tile_grid

_NET = "_loc_network"
EXAMPLES_KEY = "sample:localisation_examples"


def trained_localiser(job: str) -> tuple[Any, loc.LocalisationProgress | None, str | None]:
    """(localiser, record, results key) of this session's latest weights, rebuilt only when the job has new
    ones; (None, None, None) before the first trained step."""
    s = jobs.snapshot(job)
    if s is None or s.latest is None or s.latest.step == 0:
        return None, None, None
    key = f"loc:{s.started}:{s.latest.step}"
    hit = st.session_state.get(_NET)
    if hit is None or hit[0] != key:
        hit = (key, loc.localiser_from(s.latest))
        st.session_state[_NET] = hit
    return hit[1], s.latest, key


def _tiles(pictures: list[np.ndarray], cols: int) -> np.ndarray:
    return tile_grid(np.stack(pictures), cols, None, 4).image


def examples(n: int = 8) -> tuple[np.ndarray, loc.Scenes]:
    """``n`` training scenes with their true boxes drawn, as one picture (the same for everybody)."""
    def compute() -> tuple[np.ndarray, loc.Scenes]:
        scenes = loc.make_scenes(n, "train", seed=7)
        return _tiles([loc.draw_scene(im, true_box=b, zoom=3) for im, b in zip(scenes.images, scenes.boxes)], n), scenes

    return cached("loc_examples", EXAMPLES_KEY, (n,), compute)


def held_out(net: Any, key: str) -> loc.Evaluation:
    """Accuracy and IoU on the 500 held-out scenes, once per weights."""
    return cached("loc_held_out", key, (), lambda: loc.evaluate(loc.held_out_scenes(), net=net))


@dataclass(frozen=True)
class Shown:
    """New canvases with predictions: the picture (true box green, predicted orange) and one caption per canvas."""

    picture: np.ndarray
    captions: tuple[str, ...]
    evaluation: loc.Evaluation


def _caption(pred: loc.Prediction, i: int, iou: float | None, truth: int | None = None) -> str:
    said = f"{pred.labels[i]} ({pred.confidence[i]:.0%})"
    right = "" if truth is None else (" ✓" if pred.labels[i] == truth else f" ✗ (it is {truth})")
    return f"{said}{right}" + ("" if iou is None else f" · IoU {iou:.2f}")


def new_canvases(net: Any, key: str, seed: int, n: int = 8) -> Shown:
    """``n`` fresh held-out scenes from ``seed`` with the localiser's class and box, once per (weights, seed)."""
    def compute() -> Shown:
        scenes = loc.make_scenes(n, "test", seed=seed)
        ev = loc.evaluate(scenes, net=net)
        pred = ev.prediction
        pictures = [loc.draw_scene(scenes.images[i], pred.boxes[i], scenes.boxes[i], str(pred.labels[i]))
                    for i in range(n)]
        captions = tuple(_caption(pred, i, float(ev.ious[i]), int(scenes.labels[i])) for i in range(n))
        return Shown(_tiles(pictures, 4), captions, ev)

    return cached("loc_new", key, (seed, n), compute)


@dataclass(frozen=True)
class DrawnAnswer:
    """The localiser on a drawing: the picture, its prediction and the IoU with the drawing's ink box."""

    picture: np.ndarray
    prediction: loc.Prediction
    iou: float


def drawn(net: Any, key: str, drawing: loc.Drawing) -> DrawnAnswer:
    """Class and box for a drawing, once per (weights, drawing)."""
    digest = hashlib.blake2b(drawing.image.tobytes(), digest_size=16).hexdigest()

    def compute() -> DrawnAnswer:
        pred = loc.predict(drawing.image, net=net)
        iou = float(loc.paired_iou(pred.boxes, drawing.box[None])[0])
        picture = loc.draw_scene(drawing.image, pred.boxes[0], drawing.box, str(pred.labels[0]))
        return DrawnAnswer(picture, pred, iou)

    return cached("loc_drawn", key, (digest,), compute)


def curves_figure(curve: tuple[loc.LocalisationCurve, ...], box_weight: float, total_steps: int) -> go.Figure:
    """Left: the two losses and their weighted sum; right: held-out accuracy and mean IoU, against the step."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Training losses", "Held-out scenes"))
    steps = [p.step for p in curve[1:]]
    fig.add_trace(go.Scatter(x=steps, y=[p.class_loss for p in curve[1:]], name="softmax cross-entropy", mode="lines"), 1, 1)
    fig.add_trace(go.Scatter(x=steps, y=[box_weight * p.box_loss for p in curve[1:]], name=f"λ · box loss (λ = {box_weight:g})",
                             mode="lines"), 1, 1)
    fig.add_trace(go.Scatter(x=steps, y=[p.total_loss for p in curve[1:]], name="total = CE + λ · box", mode="lines",
                             line=dict(dash="dot", color="black")), 1, 1)
    every = [p.step for p in curve]
    fig.add_trace(go.Scatter(x=every, y=[100 * p.test_accuracy for p in curve], name="class accuracy (%)",
                             mode="lines+markers"), 1, 2)
    fig.add_trace(go.Scatter(x=every, y=[100 * p.test_iou for p in curve], name="mean IoU (%)", mode="lines+markers"), 1, 2)
    fig.update_xaxes(title_text="step (mini-batch of 64 fresh scenes)", range=[0, total_steps * 1.02])
    fig.update_yaxes(type="log", row=1, col=1)
    fig.update_yaxes(range=[0, 101], row=1, col=2)
    fig.update_layout(height=340, margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.3))
    return fig


def iou_histogram(ious: np.ndarray) -> go.Figure:
    """How the held-out IoUs are spread, with the 0.5 threshold marked."""
    fig = go.Figure(go.Histogram(x=ious, xbins=dict(start=0, end=1.0001, size=0.05), marker_color="#f58230"))
    fig.add_vline(x=0.5, line_dash="dot", line_color="grey", annotation_text="0.5")
    fig.update_layout(height=260, margin=dict(l=10, r=10, t=10, b=10), xaxis_title="IoU of predicted and true box",
                      yaxis_title="held-out scenes", bargap=0.05)
    return fig
