"""Streamlit helpers for "Classify a photo" and "Inside the network": results computed once, plotly bar charts.

Every network output goes through ``ui.results.cached``, keyed by the tray photo's ``key``
(``sample:chelsea``, ``upload:<id>``), the model and only the settings the network uses: the top-k
slider, the overlay opacity and the view never run a network again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ui import jobs
from ui.results import cached
from vision_core.classify import class_probabilities, preprocessing_steps
from vision_core.see import (
    Attribution,
    FeatureMaps,
    FilterGrid,
    MaxStep,
    Occluded,
    Patch,
    Reconstruction,
    feature_maps,
    first_layer_filters,
    grad_cam,
    maximise_channel,
    occluded_prediction,
    occlusion_map,
    reconstruct,
    saliency_map,
    top_patches,
)


def probabilities(key: str, image: np.ndarray, model: str, net: Any) -> np.ndarray:
    """The 1000 ImageNet probabilities of the photo under ``model``, once per (photo, model)."""
    return cached("classify", key, (model,), lambda: class_probabilities(image, model, net=net))


def steps(key: str, image: np.ndarray, model: str) -> list[Any]:
    """``preprocessing_steps`` once per (photo, model)."""
    return cached("preprocess", key, (model,), lambda: preprocessing_steps(image, model))


def filters(model: str, net: Any) -> FilterGrid:
    """First-layer filters of an embedded network (they never change: shared by every session)."""
    return cached("filters", "sample:-", (model,), lambda: first_layer_filters(model, net=net))


def maps(key: str, image: np.ndarray, model: str, layer: str, net: Any) -> FeatureMaps:
    """``vision_core.see.feature_maps`` once per (photo, network, layer)."""
    return cached("feature_maps", key, (model, layer), lambda: feature_maps(image, model, layer, net=net))


def attribution(method: str, key: str, image: np.ndarray, model: str, target: int | None, patch: int, stride: int,
                net: Any) -> Attribution | None:
    """Occlusion, Grad-CAM or saliency once per (method, photo, model, class, patch, stride).

    Occlusion (hundreds of forward passes) runs as a queued background job with a progress bar: ``None`` until
    it is done. Grad-CAM and saliency take one pass and run at once."""
    if method == "occlusion":
        return jobs.cached_computation(
            "attribution", key, ("occlusion", model, target, patch, stride),
            lambda progress: occlusion_map(image, model, net=net, target=target, patch=patch, stride=stride,
                                           progress=progress),
            label="Occlusion map",
        )
    if method == "grad-cam":
        return cached("attribution", key, (method, model, target, 0, 0), lambda: grad_cam(image, model, net=net, target=target))
    return cached("attribution", key, (method, model, target, 0, 0), lambda: saliency_map(image, model, net=net, target=target))


def occluded(key: str, image: np.ndarray, model: str, net: Any, x: int, y: int, side: int) -> Occluded:
    """The classifier's top-1 with one grey square on the crop (two forward passes), once per square."""
    return cached("occluded", key, (model, x, y, side), lambda: occluded_prediction(image, model, net=net, x=x, y=y, side=side))


def topk_figure(preds: Sequence[tuple[str, float]], title: str, colour: str = "#1f77b4") -> go.Figure:
    """Horizontal bars of (label, probability), best on top, probabilities printed beside the bars."""
    labels = [label for label, _ in preds][::-1]
    probs = [p for _, p in preds][::-1]
    fig = go.Figure(
        go.Bar(
            x=probs, y=labels, orientation="h", marker_color=colour,
            text=[f"{p:.3f}" for p in probs], textposition="outside", cliponaxis=False,
            hovertemplate="%{y}: %{x:.4f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=title, height=80 + 38 * len(preds), margin=dict(l=10, r=40, t=50, b=30),
        xaxis=dict(range=[0, 1.12], title="probability (softmax over 1000 classes)"),
        yaxis=dict(automargin=True), showlegend=False,
    )
    return fig


NEURON_PHOTOS: tuple[str, ...] = ("chelsea", "coffee", "astronaut", "rocket", "motorcycle", "china", "flower", "coins")
"""The fixed photo set searched for a channel's top patches (bundled samples), plus the tray photo."""


def neuron_patches(tray: Any, layer: str, channel: int, net: Any) -> list[Patch]:
    """The channel's top-9 patches over ``NEURON_PHOTOS`` and the tray photo, once per (photo, layer, channel)."""
    from vision_core.io.samples import load_sample, sample_names

    def compute() -> list[Patch]:
        names = [n for n in NEURON_PHOTOS if n in sample_names()]
        photos = [(n, load_sample(n)) for n in names]
        if tray.key.removeprefix("sample:") not in names:
            photos.append(("your photo", tray.image))
        return top_patches(net, photos, layer, channel)

    return cached("top_patches", tray.key, (layer, channel), compute)


def neuron_reconstruction(tray: Any, layer: str, channel: int, method: str, net: Any) -> Reconstruction:
    """The strongest unit's reconstruction on the tray photo, once per (photo, layer, channel, method)."""
    return cached("reconstruct", tray.key, (layer, channel, method), lambda: reconstruct(net, tray.image, layer, channel, method))


def dream(layer: str, channel: int, net: Any) -> list[MaxStep] | None:
    """Activation maximisation of one channel as a queued job (the same for everybody: shared once computed)."""
    def work(progress: Any) -> list[MaxStep]:
        out: list[MaxStep] = []
        for step in maximise_channel(net, layer, channel, size=112, steps=96, report_every=8):
            out.append(step)
            progress(step.step / step.steps, f"step {step.step} of {step.steps}: activation {step.activation:.0f}")
        return out

    return jobs.cached_computation("maximise", "sample:-", (layer, channel), work, label="Optimising an image")


def activation_curve(steps: Sequence[MaxStep]) -> go.Figure:
    """The channel's mean activation along the optimisation."""
    fig = go.Figure(go.Scatter(x=[s.step for s in steps], y=[s.activation for s in steps], mode="lines+markers"))
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=30, b=30), title="Mean activation of the channel",
                      xaxis_title="step", yaxis_title="activation")
    return fig
