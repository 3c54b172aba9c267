"""The train-a-CNN and transfer-learning pages' cached computations and their canvas (no maths here).

Compute once, display many times: this session's trained LeNet-5 is rebuilt only when the job reports new
weights, a digit's reading is kept per (weights, digit), VGG-16 features of the tray photo per (photo, block,
size) in ``ui.results``; the experiment's feature spaces, scores and projections are cached by what they
depend on (data set, block, input size, method), so a rerun that changed none of them recomputes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import streamlit as st

from ui import jobs
from ui.results import cached
from ui.tray import TrayImage
from vision_core.training import DigitReading, TrainProgress, lenet_from_state, read_digit
from vision_core.transfer import Evaluation, cnn_features, evaluate_features, experiment_dataset, handmade_features, project

_MODEL = "_tc_model"
T = TypeVar("T")


def drawing_canvas(key: str, size: int, stroke: int):
    """The drawing canvas (white ink on black, like MNIST), or None with a note when the component is unavailable."""
    try:
        from streamlit_drawable_canvas import st_canvas
    except Exception as exc:  # noqa: BLE001 - an optional component; the page explains and goes on
        st.warning(f"The drawing canvas is not available here ({type(exc).__name__}); use the other input.")
        return None
    return st_canvas(stroke_width=stroke, stroke_color="#FFFFFF", background_color="#000000", height=size,
                     width=size, drawing_mode="freedraw", return_image_data=True, key=key)


def read_canvas(key: str, size: int, stroke: int, read: Callable[[np.ndarray], T]) -> T | None:
    """The drawing canvas (``drawing_canvas``) read by ``read`` (its RGBA image data → what the page needs);
    None while it is empty or unavailable, or, with the reason as a note, when ``read`` refuses the drawing
    (a ``ValueError``, e.g. no ink)."""
    result = drawing_canvas(key, size, stroke)
    if result is None or result.image_data is None:
        return None
    try:
        return read(result.image_data)
    except ValueError as exc:
        st.info(str(exc))
        return None


def trained_model(job: str) -> tuple[Any, TrainProgress | None, tuple | None]:
    """This session's latest trained LeNet-5 (rebuilt only when the job has new weights), its record and a tag
    naming those weights; (None, None, None) before the first record."""
    s = jobs.snapshot(job)
    if s is None or s.latest is None:
        return None, None, None
    tag = (s.started, s.latest.step)
    hit = st.session_state.get(_MODEL)
    if hit is None or hit[0] != tag:
        hit = (tag, lenet_from_state(s.latest.state))
        st.session_state[_MODEL] = hit
    return hit[1], s.latest, tag


def digit_reading(model: Any, tag: tuple, digit: np.ndarray) -> DigitReading:
    """``read_digit`` once per (weights, digit), in this session (a drawing is the student's own)."""
    digest = hashlib.blake2b(np.ascontiguousarray(digit).tobytes(), digest_size=16).hexdigest()
    return cached("lenet_digit", f"lenet:{tag}", (digest,), lambda: read_digit(model, digit))


@st.cache_data(show_spinner="Computing hand-made features…", max_entries=4)
def handmade_space(name: str) -> np.ndarray:
    """Hand-made features of the data set ``name`` (computed once per process)."""
    return handmade_features(experiment_dataset(name).images)


@st.cache_data(show_spinner="Running every image through VGG-16 (pretrained on ImageNet)…", max_entries=8)
def cnn_space(name: str, layer: str, size: int, _model: object) -> np.ndarray:
    """Pooled VGG-16 features of the data set ``name`` at ``layer`` and ``size`` (one VGG-16 per process)."""
    return cnn_features(experiment_dataset(name).images, _model, layer, size)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=16)
def evaluation(name: str, space: str, layer: str, size: int, _features: np.ndarray) -> Evaluation:
    """The logistic classifier's score on one feature space (keyed by what the features came from)."""
    return evaluate_features(_features, experiment_dataset(name).labels)


@st.cache_data(show_spinner=False, max_entries=16)
def _pca(name: str, space: str, layer: str, size: int, _features: np.ndarray) -> np.ndarray:
    return project(_features, "pca")


def projection(name: str, space: str, layer: str, size: int, method: str, features: np.ndarray) -> np.ndarray | None:
    """A 2-D map of one feature space of the bundled dataset ``name`` (keyed by what the features came from and
    the method). PCA takes milliseconds and runs here; t-SNE takes seconds on a CPU and runs once for every
    session through the job queue: ``None`` while it waits or runs (the queue's place or progress is shown)."""
    if method == "pca":
        return _pca(name, space, layer, size, features)

    def work(progress: Callable[[float, str], None]) -> np.ndarray:
        progress(0.05, f"t-SNE of {len(features)} points in {features.shape[1]} dimensions (a few seconds)…")
        return project(features, method)

    return jobs.cached_computation("transfer.tsne", f"sample:{name}", (space, layer, size, method), work,
                                   label="t-SNE", time_limit=120.0)


def photo_feature(item: TrayImage, model: Any, layer: str, size: int) -> np.ndarray:
    """VGG-16 features ``(D,)`` of the tray photo, computed once per (photo, block, size)."""
    return cached("vgg16_pooled", item.key, (layer, size), lambda: cnn_features([item.image], model, layer, size)[0])
