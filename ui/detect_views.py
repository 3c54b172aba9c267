"""The object-detection page's views, one function each (no maths here: values come from vision_core.detection).

Every view reads its own widgets and renders. Detectors run through ``ui.detect_plots.candidates_for``
(once per photo and model); thresholds, the class filter and the NMS rounds only select from those candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from ui import challenge_panel
from ui.common import friendly_errors
from ui.detect_plots import candidates_for, proposals_for, rcnn_family_figure, yolo_heads_for
from ui.models import require_model, say_strongest, strongest_index
from vision_core.detection import (
    RCNN_FAMILY,
    Detections,
    agreement_rows,
    box_iou_parts,
    class_options,
    detector_names,
    draw_detections,
    draw_iou_figure,
    draw_nms_step,
    draw_proposals,
    match_detections,
    nms_walkthrough,
    percent_box,
    rcnn_table,
    select,
    selective_search_available,
    sliding_window_boxes,
    sliding_window_count,
    yolo_grid,
)
from vision_core.detection import COMPOSITE_KEY
from vision_core.io.images import to_png_bytes
from vision_core.models import Task, get_spec

DEFAULT = "yolov3_tiny"
TITLES = {get_spec(n).title: n for n in detector_names()}
DEFAULT_TITLE = get_spec(DEFAULT).title


@dataclass(frozen=True)
class Photo:
    """The photo the page works on: pixels, cache key, caption label."""

    image: np.ndarray
    key: str
    label: str

    @property
    def size(self) -> tuple[int, int]:
        h, w = self.image.shape[:2]
        return int(h), int(w)


def detections(photo: Photo, name: str, net: Any, score: float, iou: float) -> Detections | None:
    """Detector ``name``'s boxes at these thresholds (its candidates computed once), or ``None`` after a sentence."""
    with friendly_errors():
        return select(candidates_for(photo.key, photo.image, name, net), float(score), float(iou))
    return None


def default_detections(photo: Photo, score: float = 0.25, iou: float = 0.45) -> Detections | None:
    """The embedded YOLOv3-tiny's boxes (``None`` when its files are missing, after saying so)."""
    net = require_model(DEFAULT)
    return None if net is None else detections(photo, DEFAULT, net, score, iou)


def detect_view(photo: Photo) -> None:
    """One detector on the photo: boxes, table, counts before and after NMS, the annotated PNG."""
    H, W = photo.size
    c1, c2, c3 = st.columns([2, 1, 1])
    title = c1.selectbox("Detector", list(TITLES), index=strongest_index(Task.DETECTION, list(TITLES.values()), DEFAULT),
                         key="det_model", bind="query-params")
    score = c2.slider("Score threshold", 0.0, 1.0, 0.25, 0.05, key="det_score", bind="query-params",
                      help="Keep boxes whose score (YOLO: objectness × class probability) is at least this.")
    iou_thr = c3.slider("NMS IoU threshold", 0.05, 1.0, 0.45, 0.05, key="det_iou", bind="query-params",
                        help="Of two same-class boxes overlapping more than this, only the higher-scoring one stays.")
    name = TITLES.get(title or DEFAULT_TITLE, DEFAULT)
    net = require_model(name)
    if net is None and name != DEFAULT:
        st.caption(f"Showing the embedded {DEFAULT_TITLE} meanwhile.")
        name, net = DEFAULT, require_model(DEFAULT)
    say_strongest(name, Task.DETECTION)
    det = detections(photo, name, net, score, iou_thr) if net is not None else None
    if det is None:
        return
    found = sorted(set(det.labels))
    chosen = st.multiselect("Classes to show", found, default=found, key="det_classes",
                            help="Filter the boxes by class; the table and the download follow.")
    shown = det.only(chosen)
    challenge_panel.score("detection", {"boxes": shown.boxes, "labels": list(shown.labels), "iou_threshold": float(iou_thr)}
                          if photo.key == COMPOSITE_KEY else None, only="det-one-box-each")
    left, right = st.columns([3, 2])
    with left:
        annotated = draw_detections(photo.image, shown)
        st.image(annotated, caption=f"{get_spec(name).title} on {photo.label} · {W}×{H}", width="stretch")
        st.download_button("Download the annotated PNG", lambda: to_png_bytes(annotated), file_name="detections.png",
                           mime="image/png", key="det_download")
    with right:
        m1, m2, m3 = st.columns(3)
        m1.metric("Boxes", len(shown))
        m2.metric("Before NMS", len(det.raw_labels))
        m3.metric("Time", f"{det.seconds:.2f} s")
        if len(shown):
            st.dataframe(shown.table(), hide_index=True, width="stretch")
        else:
            st.info(f"No box scores {score:.2f} or more. Lower the score threshold, or try the composite scene: "
                    "YOLOv3-tiny misses large close-ups such as the full-frame cat.", icon="🔎")
        st.caption(f"Preprocessing: {get_spec(name).preprocessing_text}. Boxes are (x1, y1, x2, y2) in pixels of "
                   "the photo, x to the right and y down.")
        if det.candidate_floor > 0:
            st.caption(f"This model drops candidates scoring under {det.candidate_floor:g} inside itself, so a "
                       "lower score threshold changes nothing. Its own last NMS is switched off: the NMS here "
                       "is torchvision.ops.batched_nms at your IoU threshold, over its best candidates.")


def two_detectors_view(photo: Photo) -> None:
    """Two detectors on the same photo, their boxes matched one to one."""
    c1, c2, c3 = st.columns([2, 2, 1])
    titles = list(TITLES)
    ta = c1.selectbox("Detector A", titles, index=titles.index(DEFAULT_TITLE), key="det_a", bind="query-params")
    second = get_spec("yolov3_tiny_608").title
    tb = c2.selectbox("Detector B", titles, index=titles.index(second) if second in titles else 0, key="det_b",
                      bind="query-params")
    match_thr = c3.slider("Match IoU", 0.1, 0.95, 0.5, 0.05, key="det_match", bind="query-params",
                          help="Two boxes of the same class agree when their IoU is at least this.")
    s1, s2 = st.columns(2)
    score = s1.slider("Score threshold (both)", 0.0, 1.0, 0.25, 0.05, key="det_score2", bind="query-params")
    nms_iou = s2.slider("NMS IoU threshold (both)", 0.05, 1.0, 0.45, 0.05, key="det_iou2", bind="query-params",
                        help="This view's own NMS: of two same-class boxes of one detector overlapping more than "
                        "this, only the higher-scoring one stays. It only re-selects from the cached candidates.")
    names = [TITLES.get(t or DEFAULT_TITLE, DEFAULT) for t in (ta, tb)]
    nets = [require_model(n) for n in names]
    if any(n is None for n in nets):
        return
    dets = [detections(photo, n, net, score, nms_iou) for n, net in zip(names, nets)]
    if any(d is None for d in dets):
        return
    a, b = dets
    with friendly_errors():
        agree = match_detections(a, b, match_thr)
        for col, d, n in zip(st.columns(2), dets, names):
            col.image(draw_detections(photo.image, d), caption=f"{get_spec(n).title}: {len(d)} boxes, "
                      f"{d.seconds * 1000:.0f} ms", width="stretch")
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("Agreement", f"{agree.agreement:.0%}", help="matched pairs / the larger number of boxes")
        m2.metric("Matched pairs", len(agree.pairs))
        m3.metric("Mean IoU of pairs", f"{agree.mean_iou:.2f}")
        m4.metric("Only A / only B", f"{len(agree.only_a)} / {len(agree.only_b)}")
        rows = agreement_rows(a, b, agree)
        if rows:
            st.dataframe(rows, hide_index=True, width="stretch")
        st.caption("Boxes are matched one to one, highest IoU first, only between equal classes. "
                   "The same weights at 416 and 608 pixels already disagree a little: more grid cells, other boxes.")


def iou_view(photo: Photo) -> None:
    """Two boxes moved by sliders, their IoU with its parts."""
    H, W = photo.size
    st.markdown(
        "**Intersection over Union** compares a predicted box with the true one: the overlap's area divided by the "
        "area the two cover together. 1 means identical boxes, 0 no overlap; detection benchmarks usually count a "
        "prediction as correct when IoU ≥ 0.5. Drag the ranges to move the boxes (in % of the photo).")
    c1, c2 = st.columns(2)
    ax = c1.slider("Box A, left–right (%)", 0, 100, (10, 55), key="det_ax", bind="query-params")
    ay = c1.slider("Box A, top–bottom (%)", 0, 100, (15, 70), key="det_ay", bind="query-params")
    bx = c2.slider("Box B, left–right (%)", 0, 100, (35, 85), key="det_bx", bind="query-params")
    by = c2.slider("Box B, top–bottom (%)", 0, 100, (30, 90), key="det_by", bind="query-params")
    with friendly_errors():
        box_a, box_b = percent_box(ax, ay, H, W), percent_box(bx, by, H, W)
        parts = box_iou_parts(box_a, box_b)
        left, right = st.columns([3, 2])
        left.image(draw_iou_figure(box_a, box_b, image=photo.image), caption="A (blue), B (orange), intersection (green)",
                   width="stretch")
        with right:
            st.metric("IoU", f"{parts.iou:.3f}")
            st.markdown(
                f"- area A = {parts.area_a:,.0f} px²\n- area B = {parts.area_b:,.0f} px²\n"
                f"- intersection = {parts.inter_area:,.0f} px²\n"
                f"- union = A + B − intersection = {parts.union_area:,.0f} px²\n\n"
                f"IoU = {parts.inter_area:,.0f} / {parts.union_area:,.0f} = **{parts.iou:.3f}**")
            if parts.iou >= 0.5:
                st.success("IoU ≥ 0.5: a benchmark would count B as a correct detection of A.")
            else:
                st.warning("IoU < 0.5: a benchmark would count B as a miss.")


def nms_view(photo: Photo) -> None:
    """YOLOv3-tiny's raw boxes and greedy NMS round by round."""
    st.markdown(
        "A detector predicts many overlapping boxes for one object. **Non-maximum suppression** keeps the best: "
        "take the highest-scoring box, remove every box that overlaps it by more than the IoU threshold, repeat "
        "with what is left. Here are YOLOv3-tiny's raw boxes on this photo, before NMS.")
    c1, c2 = st.columns(2)
    low = c1.slider("Score threshold for candidates", 0.01, 0.9, 0.1, 0.01, key="det_nms_score", bind="query-params")
    thr = c2.slider("NMS IoU threshold", 0.05, 0.95, 0.45, 0.05, key="det_nms_iou", bind="query-params")
    det = default_detections(photo, low, 1.0)
    if det is None:
        return
    if not det.raw_labels:
        st.info("No candidate box at this score threshold; lower it.", icon="🔎")
        return
    k1, k2 = st.columns(2)
    cls = k1.selectbox("Class", class_options(det.raw_labels), key="det_nms_class",
                       help="Detectors run NMS per class; 'all classes' runs it once over every box "
                       "(class-agnostic), which shows more rounds.")
    with friendly_errors():
        walk = nms_walkthrough(det, thr, cls)
        steps = walk.steps
        if st.session_state.get("det_round", 1) > len(steps):
            st.session_state["det_round"] = len(steps)
        rnd = k2.slider("Round", 1, len(steps), 1, key="det_round", bind="query-params") if len(steps) > 1 else 1
        rnd = min(rnd, len(steps))
        left, right = st.columns([3, 2])
        left.image(draw_nms_step(photo.image, walk.boxes, steps, rnd),
                   caption=f"Round {rnd} of {len(steps)}: picked (bright green), kept earlier (green), suppressed "
                   "now (red, with IoU), undecided (grey)", width="stretch")
        with right:
            step = steps[rnd - 1]
            st.markdown(f"**Round {rnd}.** The best remaining box (#{step.picked}, score "
                        f"{walk.scores[step.picked]:.3f}) is kept. {len(step.suppressed)} box(es) overlap it by more "
                        f"than {thr:.2f} and are removed; {len(step.remaining)} remain undecided.")
            st.dataframe(walk.rows(), hide_index=True, width="stretch")
            st.caption(f"{len(walk.boxes)} candidates → {len(steps)} kept. Same result as torchvision.ops.nms: "
                       f"{'yes' if walk.same_as_nms else 'NO'}.")


def proposals_view(photo: Photo) -> None:
    """Sliding windows counted and drawn, against Selective-Search-style proposals."""
    H, W = photo.size
    st.markdown(
        "**Sliding window:** classify a crop at every position, scale and shape; the count explodes. "
        "**Region proposals:** find a few \"blobby\" regions likely to hold objects and classify only those; "
        "the lecture's Selective Search gives about 2000 proposals in a few seconds of CPU, and R-CNN runs its "
        "ConvNet once per proposal (~2000 passes per image, 47 s with VGG-16).")
    c1, c2 = st.columns(2)
    stride = c1.select_slider("Window stride (fraction of the window)", [0.125, 0.25, 0.5, 1.0], 0.25,
                              key="det_stride", bind="query-params")
    sizes = c2.multiselect("Window sizes (px)", [32, 64, 128, 256, 512], [64, 128, 256], key="det_sizes")
    n_windows = 0
    with friendly_errors():
        n_windows = sliding_window_count(H, W, sizes or [128], (0.5, 1.0, 2.0), float(stride))
        left, right = st.columns([3, 2])
        one = sliding_window_boxes(H, W, min(sizes or [128]), 1.0, float(stride))
        left.image(draw_proposals(photo.image, one, limit=60), width="stretch",
                   caption=f"60 of the {len(one):,} square {min(sizes or [128])}-px windows")
        right.metric(f"Sliding windows on this {W}×{H} photo", f"{n_windows:,}",
                     help="3 aspect ratios (1:2, 1:1, 2:1) for each size")
        right.markdown("Each window is a crop the CNN must classify (dog? cat? background?). Real objects come "
                       "in any size and shape, so the sizes, ratios and positions multiply.")
    if not selective_search_available():
        st.caption("OpenCV's Selective Search lives in opencv-contrib (`cv2.ximgproc`), which this app does not "
                   "install; the proposals below come from a small re-implementation: Felzenszwalb–Huttenlocher "
                   "segments (scikit-image) merged step by step by colour, size and fill similarity, every "
                   "intermediate region being a proposal.")
    if st.toggle("Compute region proposals", value=True, key="det_props", bind="query-params"):
        with friendly_errors():
            props = proposals_for(photo.key, photo.image)
            left, right = st.columns([3, 2])
            left.image(draw_proposals(photo.image, props, limit=300), caption=f"300 of {props.count} proposals",
                       width="stretch")
            right.metric("Proposals", f"{props.count:,}")
            right.metric("Time", f"{props.seconds:.2f} s")
            right.markdown(f"{props.count:,} proposals against {n_windows:,} sliding windows, but the proposals "
                           "follow the image's regions instead of a fixed lattice, and a finer lattice (more sizes, "
                           f"shapes, smaller strides) multiplies the windows, not the proposals. Method: {props.method}.")


def yolo_grid_view(photo: Photo) -> None:
    """YOLO's S × S grid over the photo, the output tensor's shape, YOLOv3-tiny's real heads."""
    st.markdown(
        "**YOLO** (You Only Look Once) drops region proposals: one network looks at the whole image once. It "
        "divides the image into an **S × S grid**; the cell containing an object's centre is responsible for it. "
        "Each cell predicts **B** boxes (dx, dy, dw, dh, confidence: 5 numbers each) and **C** class scores, so "
        "the output is **S × S × (5·B + C)**.")
    c1, c2, c3 = st.columns(3)
    S = c1.slider("S (grid)", 2, 19, 7, key="det_S", bind="query-params")
    B = c2.slider("B (boxes per cell)", 1, 5, 2, key="det_B", bind="query-params")
    C = c3.slider("C (classes)", 1, 80, 20, key="det_C", bind="query-params")
    det = default_detections(photo)
    with friendly_errors():
        grid = yolo_grid(photo.image, det, S, B, C)
        left, right = st.columns([3, 2])
        left.image(grid.figure, caption="Cells holding a detected box's centre are shaded (YOLOv3-tiny's boxes)",
                   width="stretch")
        with right:
            s0, s1, s2 = grid.shape
            st.metric("Output tensor", f"{s0} × {s1} × {s2}")
            st.markdown(f"5·{B} + {C} = {s2} numbers per cell, {grid.values:,} numbers in all. "
                        "The lecture's S = 7, B = 2, C = 20 (PASCAL VOC) gives **7 × 7 × 30**.")
            if grid.cells:
                st.dataframe([{"class": lab, "row": r, "column": c} for r, c, lab in grid.cells], hide_index=True)
            net = require_model(DEFAULT, offer_download=False)
            if net is not None:
                st.markdown("**YOLOv3-tiny**, the detector on this page, at 416×416: " + "; ".join(
                    f"{g}×{g} cells × {a} anchors × {v} (4 box + 1 objectness + {v - 5} classes) = {g}×{g}×{a * v}"
                    for g, _, a, v in yolo_heads_for(net, 416)) + ".")


def rcnn_view(photo: Photo) -> None:
    """The R-CNN family's training and test times, with this machine's YOLOv3-tiny time beside them."""
    st.markdown(
        "**R-CNN** (2014) warps ~2000 Selective-Search regions and runs VGG-16 on each: training takes 84 h and "
        "detection 47 s per image. **SPP-Net** and **Fast R-CNN** run the ConvNet once and pool each region "
        "from the feature map (RoI pooling); then the proposals themselves dominate (2.3 s of Fast R-CNN's time). "
        "**Faster R-CNN** lets a Region Proposal Network predict them from the same features (4 losses trained "
        "jointly). **YOLO** and **SSD** drop proposals: one pass, a grid of boxes.")
    det = default_detections(photo)
    measured = ("YOLOv3-tiny here (CPU)", det.seconds) if det is not None else None
    st.plotly_chart(rcnn_family_figure(RCNN_FAMILY, measured), width="stretch", key="det_family_chart")
    st.dataframe(rcnn_table(), hide_index=True, width="stretch")
    st.caption("Times are on the GPUs of their papers (VGG-16 for the R-CNN family); the grey bar is this "
               "machine's measured YOLOv3-tiny call on the current photo, on whatever device this app uses.")


VIEWS = {
    "Detect": detect_view,
    "Two detectors": two_detectors_view,
    "IoU": iou_view,
    "NMS step by step": nms_view,
    "Windows vs proposals": proposals_view,
    "YOLO grid": yolo_grid_view,
    "R-CNN family": rcnn_view,
}
"""The page's views in menu order (the labels are the ``det_view`` link values)."""
