"""The classic-CV page's Viola–Jones and template-matching views, and the helpers every classic view uses.

Compute once, display many times: every result that costs more than a few milliseconds (detections,
stage counts, AdaBoost, template probes and curves, SIFT matches, mosaics, the vocabulary, the VGG-16
baseline) goes through ``ui.results.cached`` keyed by the photo and the settings it uses, so a rerun that
changed none of them computes nothing. Results on lfw_subset are keyed ``sample:lfw_subset`` and shared by
every session. Widget keys are URL parameters (``cv_…``): shared links open the same view. The SIFT and
bag-of-words views are in ``ui.classic_features``.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Hashable
from typing import TypeVar

import numpy as np
import streamlit as st

from ui.classic_plots import degradation_figure, error_figure, last_canvas_rect, stage_figure
from ui import challenge_panel
from ui.common import friendly_errors
from ui.models import cascade_classifier, cascade_model
from ui.results import cached
from ui.tray import TrayImage
from vision_core import classic
from vision_core.io.images import to_png_bytes
from vision_core.ops.draw import draw_boxes

T = TypeVar("T")
LFW = "sample:lfw_subset"
"""The photo key of the results computed on lfw_subset (the same for everybody)."""
CASCADES_KEY = "sample:opencv-cascades"
"""The key of results that depend on a cascade only (shared by everybody)."""
DETECT_MAX_SIDE = 1024
"""The Viola–Jones view searches larger photos on a copy with this long side."""
TEMPLATE_SIDE, SIFT_SIDE = 480, 640
"""Long sides of the working copies of the template and SIFT views."""
GREEN, ORANGE = (0, 255, 0), (255, 160, 0)


def compute_once(kind: str, photo_key: str, params: tuple[Hashable, ...], compute: Callable[[], T], spinner: str) -> T:
    """``ui.results.cached`` under ``classic.<kind>``, with ``spinner`` shown while it computes (not on a hit)."""
    def run() -> T:
        with st.spinner(spinner):
            return compute()

    return cached(f"classic.{kind}", photo_key, params, run)


def working_copy_of(item: TrayImage, side: int) -> tuple[np.ndarray, str]:
    """The tray photo with its long side at most ``side``, and the key of that copy."""
    key = f"{item.key}:{side}"
    return cached("classic.work", item.key, (side,), lambda: classic.working_copy(item.image, side)), key


def detections(key: str, image: np.ndarray, cascade: str = "frontalface_default", scale_factor: float = 1.1,
               neighbors: int = 5, min_side: int = 30, max_side: int | None = None) -> classic.Detection:
    """Viola–Jones on ``image`` (whose photo key is ``key``) with the shared classifier: the cascade's raw windows
    once per (cascade, scale, size), grouped for each ``neighbors`` (a move of minNeighbors searches nothing)."""
    params = (cascade, float(scale_factor), int(min_side), max_side)
    found = compute_once("haar_windows", key, params, lambda: classic.haar_windows(
        image, cascade_classifier(cascade), scale_factor=scale_factor, min_size=(int(min_side), int(min_side)),
        max_side=max_side), "Viola–Jones…")
    return cached("classic.haar", key, (*params, int(neighbors)),
                  lambda: classic.Detection(classic.group_windows(found, int(neighbors)), found.seconds))


# ---------------------------------------------------------------------------------------------- Viola–Jones

ADABOOST_TEXT = (
    "**AdaBoost, as in the lecture**\n"
    "1. Give every example a weight: 1/2m for the m negatives, 1/2l for the l positives.\n"
    "2. Normalise the weights so they sum to 1.\n"
    "3. Pick the weak classifier h(x, f, p, θ) — one Haar feature f, a polarity p and a threshold "
    "θ — with the smallest weighted error εₜ = Σ wᵢ |h(xᵢ) − yᵢ|.\n"
    "4. Multiply the weights of the examples it got right by βₜ = εₜ / (1 − εₜ): the mistakes now "
    "weigh more. Repeat from 2.\n"
    "5. Strong classifier: face when Σ αₜ hₜ(x) ≥ ½ Σ αₜ, with αₜ = log 1/βₜ.\n\n"
    "A **cascade** chains such strong classifiers: a window must pass every stage, and most "
    "windows are thrown away by the first, cheap ones."
)


def viola_jones_view(item: TrayImage) -> None:
    """Detections with OpenCV's cascade, one Haar feature of each type, the stage survivors, a live AdaBoost."""
    st.subheader("A boosted cascade of Haar features (Viola & Jones, CVPR 2001)")
    c1, c2, c3, c4 = st.columns(4)
    cascade = c1.selectbox("Cascade (OpenCV)", list(classic.CASCADES), key="cv_cascade", bind="query-params")
    scale_factor = c2.slider("scaleFactor", 1.05, 1.5, 1.1, 0.05, key="cv_scale", bind="query-params",
                             help="Step between pyramid levels: 1.1 = windows 10 % larger each level.")
    neighbors = c3.slider("minNeighbors", 0, 10, 5, key="cv_neighbors", bind="query-params",
                          help="Raw windows that must overlap before a box is kept (0 = every raw window).")
    min_side = c4.slider("Minimum size (px)", 10, 200, 30, 5, key="cv_minsize", bind="query-params")
    det = None
    with friendly_errors():
        det = detections(item.key, item.image, cascade, scale_factor, neighbors, min_side, DETECT_MAX_SIDE)
    left, right = st.columns([3, 2])
    if det is not None:
        boxes = det.boxes
        shown = cached("classic.haar_drawn", item.key, (cascade, float(scale_factor), int(neighbors), int(min_side)),
                       lambda: draw_boxes(item.image, boxes, colours=GREEN))
        big = max(item.image.shape[:2]) > DETECT_MAX_SIDE
        left.image(shown, width="stretch", caption=f"{item.label}: {len(boxes)} detection(s) with {cascade}"
                   + (f" (searched on a copy with long side {DETECT_MAX_SIDE} px)" if big else ""))
        m1, m2 = right.columns(2)
        m1.metric("Detections", len(boxes))
        m2.metric("Time", f"{det.seconds * 1000:.0f} ms")
        right.markdown(ADABOOST_TEXT)
    _haar_features(item, det)
    _cascade_stages(item, cascade)
    _adaboost()
    st.info("**Where it breaks.** A cascade learns one pose of one kind of object: frontal faces, upright, "
            "well lit. Turn the head (try the profile cascade), tilt the photo or look for a chair, and it finds "
            "nothing; every new object needs a new cascade trained on thousands of examples.", icon="🧱")


def _haar_features(item: TrayImage, det: classic.Detection | None) -> None:
    st.markdown("#### What a Haar feature is")
    box = None if det is None or not len(det.boxes) else tuple(int(v) for v in det.boxes[0])
    crop_note = "the centre of the photo (nothing detected)" if box is None else "the first detection"

    def draw() -> tuple[list[tuple[np.ndarray, str]], np.ndarray, int]:
        window = classic.haar_window(item.image, box)
        ii = classic.integral_image(window)
        features = [(classic.draw_haar_feature(window, kind, fx, fy, fw, fh, zoom=6),
                     f"{kind.replace('_', ' ')}: {classic.haar_feature_value(ii, kind, fx, fy, fw, fh):+,.0f}")
                    for kind, (fx, fy, fw, fh) in classic.HAAR_DEMO.items()]
        return features, classic.integral_image_view(window, 6), int(ii[-1, -1])

    features, ii_view, total = cached("classic.haar_features", item.key, (box,), draw)
    st.caption(f"The 24×24 window of {crop_note}, as the detector sees it. White cells add their pixels, black "
               "cells subtract theirs: value = Σ white − Σ black, each rectangle sum read from the integral "
               "image with 4 look-ups, whatever its size.")
    cols = st.columns(len(features) + 1)
    for col, (picture, caption) in zip(cols, features):
        col.image(picture, caption=caption, width="stretch")
    cols[-1].image(ii_view, caption=f"integral image (bottom-right = Σ all = {total:,})", width="stretch")


def _cascade_stages(item: TrayImage, cascade: str) -> None:
    st.markdown("#### The cascade on this photo: windows surviving each stage")
    with friendly_errors():
        model = cascade_model(cascade)
        stages_ok = cached("classic.upright", CASCADES_KEY, (cascade,), lambda: classic.upright_stages(model))
        if stages_ok == 0:
            st.info(f"{cascade} uses 45° tilted Haar features from its first stage; this stage-by-stage evaluation "
                    "only implements upright ones. Pick a face, eye or cat cascade.")
            return
        n_eval = st.slider("Stages to evaluate", 1, stages_ok, min(stages_ok, 25), key="cv_stages", bind="query-params")

        def run() -> tuple[classic.StageCounts, np.ndarray | None]:
            counts = classic.cascade_stage_survivors(item.image, model, n_eval)
            raw = counts.final_boxes[:200]
            return counts, draw_boxes(item.image, raw, colours=ORANGE, width=1) if len(raw) else None

        counts, raw_picture = compute_once("stages", item.key, (cascade, int(n_eval)), run,
                                           "Evaluating the cascade's stages window by window…")
        st.plotly_chart(stage_figure(counts.windows, counts.survivors, photo_key=item.key), width="stretch")
        survive = counts.survivors
        st.markdown(
            f"{model.n_stages} stages with {', '.join(map(str, model.weak_counts[:4]))} … weak classifiers "
            f"({sum(model.weak_counts):,} in all) on a {model.window[0]}×{model.window[1]} window. Of "
            f"**{counts.windows:,}** windows (photo reduced to at most 480 px, windows every 2 px, pyramid "
            f"step 1.25), stage 1 keeps **{survive[0]:,}** ({survive[0] / max(counts.windows, 1):.1%}); "
            f"after {n_eval} stages **{survive[-1]:,}** remain. OpenCV then groups overlapping survivors "
            "(minNeighbors) into the boxes above. Evaluated here from the cascade XML with NumPy, not by "
            "OpenCV." + ("" if stages_ok == model.n_stages else
                          f" (Only the first {stages_ok} stages use upright features.)")
        )
        if raw_picture is not None:
            st.image(raw_picture, caption=f"The {len(counts.final_boxes)} raw windows that passed all {n_eval} stages",
                     width=420)


def _adaboost() -> None:
    st.markdown("#### A small live AdaBoost on lfw_subset (100 faces, 100 non-faces, 25×25)")
    a1, a2 = st.columns(2)
    rounds = int(a1.slider("Rounds T", 1, 30, 10, key="cv_rounds", bind="query-params"))
    n_feat = int(a2.select_slider("Random Haar features to choose from", [200, 500, 1500, 3000], 1500,
                                  key="cv_nfeat", bind="query-params"))
    with friendly_errors():
        boost = compute_once("adaboost", LFW, (rounds, n_feat, 0), lambda: classic.adaboost_haar(rounds, n_feat, seed=0),
                             "Boosting Haar features on lfw_subset…")
        grid = cached("classic.weak_grid", LFW, (rounds, n_feat, 0),
                      lambda: classic.weak_classifier_grid(boost, min(6, len(boost.weak)), zoom=6))
        b1, b2 = st.columns([3, 2])
        b1.image(grid, caption="The first weak classifiers chosen, drawn on the mean face", width="stretch")
        b1.dataframe(
            [{"t": i + 1, "feature": w.kind.replace("_", " "), "x, y, w, h": f"{w.x}, {w.y}, {w.w}, {w.h}",
              "p": w.polarity, "θ": round(w.threshold, 2), "εₜ": round(w.error, 3), "αₜ": round(w.alpha, 2)}
             for i, w in enumerate(boost.weak)],
            hide_index=True, height=240,
        )
        b2.plotly_chart(error_figure(boost), width="stretch")
        b2.markdown(f"After {len(boost.weak)} rounds: training error **{boost.train_error[-1]:.1%}**, held-out "
                    f"error **{boost.test_error[-1]:.1%}** ({boost.n_train} training, {boost.n_test} held-out images).")


# ---------------------------------------------------------------------------------------------- template matching

BOX_KEYS = ("cv_tx", "cv_ty", "cv_tw", "cv_th")
CURVES: dict[str, tuple[tuple[float, ...], str]] = {
    "rotation": ((0, 5, 10, 15, 20, 30, 45, 60, 90, 135, 180), "degrees"),
    "scale": ((0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0), "×"),
    "shadow": ((0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9), "darkening"),
    "occlusion": ((0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9), "fraction hidden"),
}
"""Values of each change for the peak-score curve, and their unit."""


def _data_url(item: TrayImage, work: np.ndarray) -> str:
    """The working copy as a PNG data URL, encoded once (the canvas would encode it again on every rerun)."""
    def encode() -> str:
        return "data:image/png;base64," + base64.b64encode(to_png_bytes(work)).decode("ascii")

    return cached("classic.work_png", item.key, (TEMPLATE_SIDE,), encode)


def _template_box(item: TrayImage, work: np.ndarray, work_key: str) -> tuple[int, int, int, int]:
    """The default template box (x, y, w, h) for this photo; resets the box inputs when the photo changed and
    copies a rectangle drawn on the canvas into them."""
    faces = detections(work_key, work).boxes
    default_box = classic.default_template_box(work, faces)
    if st.session_state.get("_cv_box_for") not in (None, item.key):
        st.session_state.update(dict(zip(BOX_KEYS, default_box)))
    elif all(k in st.session_state for k in BOX_KEYS):
        current = classic.clamp_box(*(st.session_state[k] for k in BOX_KEYS), work.shape)
        st.session_state.update(dict(zip(BOX_KEYS, current)))
    st.session_state["_cv_box_for"] = item.key
    try:
        from streamlit_drawable_canvas import st_canvas
    except Exception:  # noqa: BLE001 - the component is optional; the number inputs still work
        st_canvas = None
    if st_canvas is None:
        st.info("The drawing canvas (streamlit-drawable-canvas) is not available here: set the template "
                "box with the numbers below.")
        return default_box
    st.caption("Draw a rectangle on the photo: it becomes the template.")
    H, W = work.shape[:2]
    drawn = st_canvas(fill_color="rgba(255, 165, 0, 0.15)", stroke_width=2, stroke_color="#ff8c00",
                      background_image=_data_url(item, work), height=H, width=W, drawing_mode="rect",
                      key=f"cv_canvas_{item.key}")
    rect = last_canvas_rect(drawn.json_data)
    if rect is not None and st.session_state.get("_cv_last_rect") != rect:
        st.session_state["_cv_last_rect"] = rect
        st.session_state.update(dict(zip(BOX_KEYS, classic.clamp_box(*rect, work.shape))))
    return default_box


def template_view(item: TrayImage) -> None:
    """A template cut from the photo, searched in a changed copy of it; the peak score against each change."""
    st.subheader("Template matching by normalised correlation")
    work, work_key = working_copy_of(item, TEMPLATE_SIDE)
    H, W = work.shape[:2]
    left, right = st.columns([3, 2])
    with left:
        default_box = _template_box(item, work, work_key)
    with right:
        st.caption(f"Template box in the {W}×{H} working copy (drawn rectangles land here too).")
        n1, n2 = st.columns(2)
        tx = n1.number_input("x", 0, W - 8, min(default_box[0], W - 8), key="cv_tx", bind="query-params")
        ty = n2.number_input("y", 0, H - 8, min(default_box[1], H - 8), key="cv_ty", bind="query-params")
        tw = n1.number_input("width", 8, W, default_box[2], key="cv_tw", bind="query-params")
        th = n2.number_input("height", 8, H, default_box[3], key="cv_th", bind="query-params")
        method = st.selectbox("Method (OpenCV matchTemplate)", list(classic.TEMPLATE_METHODS), key="cv_method",
                              bind="query-params")
        st.markdown("**Change the search image**")
        change = {
            "rotation": st.slider("Rotate (°)", -180, 180, 0, 5, key="cv_rot", bind="query-params"),
            "scale": st.slider("Scale", 0.5, 2.0, 1.0, 0.05, key="cv_tscale", bind="query-params"),
            "shadow": st.slider("Shadow across the object", 0.0, 1.0, 0.0, 0.05, key="cv_shadow", bind="query-params"),
            "occlusion": st.slider("Occluded part of the object", 0.0, 1.0, 0.0, 0.05, key="cv_occl",
                                   bind="query-params"),
        }
    bx, by, bw, bh = classic.clamp_box(int(tx), int(ty), int(tw), int(th), work.shape)
    box = (bx, by, bx + bw, by + bh)
    with friendly_errors():
        def probe_run() -> tuple[classic.TemplateProbe, np.ndarray, np.ndarray]:
            probe = classic.probe_template(work, box, method, **change)
            return probe, classic.draw_probe(probe), classic.score_heatmap(probe.scores, method)

        probe, shown, heat = compute_once("probe", work_key, (box, method, *change.values()), probe_run, "Matching…")
        best_score = probe.top[0][1]
        i1, i2, i3 = st.columns([2, 2, 1])
        i1.image(shown, caption="Search image: green = best match, orange = next best, blue = the true place",
                 width="stretch")
        i2.image(heat, caption=f"{method} score map (red = best)", width="stretch")
        i3.image(probe.template, caption=f"template {probe.template.shape[1]}×{probe.template.shape[0]}",
                 width="stretch")
        i3.metric("Best score", f"{best_score:.3f}")
        i3.metric("Score at the true place", f"{probe.at_truth:.3f}")
        (i3.success if probe.found else i3.error)("found" if probe.found else "lost: the best match is elsewhere")
        challenge_panel.score("classic_cv", {"rotation": float(change["rotation"]), "found": bool(probe.found),
                                             "peak": float(best_score), "method": method}, only="classic-template-20")
        kind = st.segmented_control("Measure the peak against", list(CURVES), default="rotation", key="cv_curve",
                                    bind="query-params", required=True) or "rotation"
        values, unit = CURVES[kind]
        curve = compute_once("curve", work_key, (box, kind, values, method),
                             lambda: classic.degradation_curve(work, box, kind, values, method), "Measuring the matching peak…")
        st.plotly_chart(degradation_figure(curve, unit, change[kind], photo_key=item.key), width="stretch")
    st.info("**Where it breaks.** \"Find the chair in this image\": the output of normalised correlation is "
            "*pretty much garbage*. A template is one rigid pattern of pixels: rotate it, scale it, shade it or "
            "hide part of it and the peak collapses. \"These techniques are inadequate for three-dimensional "
            "scene analysis for many reasons, such as occlusion, changes in viewing angle, and articulation of "
            "parts\" (Nevatia & Binford, 1977).", icon="🪑")
