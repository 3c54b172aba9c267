"""Object detection: real detectors on the tray photo, and the lecture's ideas made interactive."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ui.common import friendly_errors, page_header
from ui.detect_plots import cached_detect, cached_proposals, rcnn_family_figure
from ui.models import is_available, render_missing
from ui.tray import current_image
from vision_core.detection import (
    RCNN_FAMILY,
    Detections,
    box_iou_parts,
    composite_scene,
    detector_names,
    draw_detections,
    draw_iou_figure,
    draw_nms_step,
    draw_proposals,
    match_detections,
    nms,
    nms_steps,
    selective_search_available,
    sliding_window_boxes,
    sliding_window_count,
    yolo_grid,
    yolov3_tiny_heads,
)
from vision_core.io.images import to_png_bytes
from vision_core.models import get_spec

page_header(
    "📦 Object detection",
    "Beyond classification — classification + localisation, sliding windows, region proposals, R-CNN → Fast → "
    "Faster R-CNN, YOLO / SSD",
    "A detector answers *what* and *where*: a list of boxes, each with a class and a score. "
    "Run a real one on your photo, then open up the ideas behind it: IoU, non-maximum suppression, "
    "region proposals, YOLO's grid and how the R-CNN family got fast.",
)

DEFAULT = "yolov3_tiny"
TITLES = {get_spec(n).title: n for n in detector_names()}
DEFAULT_TITLE = get_spec(DEFAULT).title
VIEWS = ["Detect", "Two detectors", "IoU", "NMS step by step", "Windows vs proposals", "YOLO grid", "R-CNN family"]


def ready(name: str) -> bool:
    """Whether detector ``name`` can run here; otherwise say what is missing (with a download button)."""
    if is_available(name):
        return True
    render_missing(name)
    return False


def run(image_key: str, image: np.ndarray, name: str, score: float, iou: float) -> Detections | None:
    """Detections or ``None`` after an explanation (never a traceback)."""
    try:
        return cached_detect(image_key, image, name, float(score), float(iou))
    except (ValueError, KeyError) as exc:
        st.error(str(exc), icon="⚠️")
    except FileNotFoundError as exc:
        st.warning(str(exc), icon="📦")
    return None


photo_choice = st.radio(
    "Photo", ["Tray photo", "Composite scene"], horizontal=True, key="det_photo", bind="query-params",
    help="The composite puts Chelsea the cat and the astronaut, smaller, on a grey background: YOLOv3-tiny "
    "was trained on scenes like that and is weak on full-frame close-ups.",
)
if photo_choice == "Composite scene":
    image, image_key, image_label = composite_scene(), "composite", "Composite scene (chelsea + astronaut)"
else:
    tray = current_image()
    image, image_key, image_label = tray.image, tray.key, tray.label
H, W = image.shape[:2]

view = st.segmented_control("Show", VIEWS, default="Detect", key="det_view", bind="query-params", required=True) or "Detect"

if view == "Detect":
    c1, c2, c3 = st.columns([2, 1, 1])
    title = c1.selectbox("Detector", list(TITLES), index=list(TITLES).index(DEFAULT_TITLE), key="det_model",
                         bind="query-params")
    score = c2.slider("Score threshold", 0.0, 1.0, 0.25, 0.05, key="det_score", bind="query-params",
                      help="Keep boxes whose score (YOLO: objectness × class probability) is at least this.")
    iou_thr = c3.slider("NMS IoU threshold", 0.05, 1.0, 0.45, 0.05, key="det_iou", bind="query-params",
                        help="Of two same-class boxes overlapping more than this, only the higher-scoring one stays.")
    name = TITLES.get(title or DEFAULT_TITLE, DEFAULT)
    if not ready(name):
        st.caption(f"Showing the embedded {DEFAULT_TITLE} meanwhile.")
        name = DEFAULT
    det = run(image_key, image, name, score, iou_thr)
    if det is not None:
        found = sorted(set(det.labels))
        chosen = st.multiselect("Classes to show", found, default=found, key="det_classes",
                                help="Filter the boxes by class; the table and the download follow.")
        shown = det.only(chosen)
        left, right = st.columns([3, 2])
        with left:
            annotated = draw_detections(image, shown)
            st.image(annotated, caption=f"{get_spec(name).title} on {image_label} · {W}×{H}", width="stretch")
            st.download_button("Download the annotated PNG", to_png_bytes(annotated), file_name="detections.png",
                               mime="image/png", key="det_download")
        with right:
            m1, m2, m3 = st.columns(3)
            m1.metric("Boxes", len(shown))
            m2.metric("Before NMS", len(det.raw_labels))
            m3.metric("Time", f"{det.seconds:.2f} s")
            if len(shown):
                st.dataframe(shown.table(), hide_index=True, width="stretch")
            else:
                st.info(
                    f"No box scores {score:.2f} or more. Lower the score threshold, or try the composite scene: "
                    "YOLOv3-tiny misses large close-ups such as the full-frame cat.", icon="🔎")
            st.caption(f"Preprocessing: {get_spec(name).preprocessing}. Boxes are (x1, y1, x2, y2) in pixels of "
                       "the photo, x to the right and y down.")
            if det.candidate_floor > 0:
                st.caption(f"This model drops candidates scoring under {det.candidate_floor:g} inside itself, so a "
                           "lower score threshold changes nothing. Its own last NMS is switched off: the NMS here "
                           "is torchvision.ops.batched_nms at your IoU threshold, over its best candidates.")

elif view == "Two detectors":
    c1, c2, c3 = st.columns([2, 2, 1])
    titles = list(TITLES)
    ta = c1.selectbox("Detector A", titles, index=titles.index(DEFAULT_TITLE), key="det_a", bind="query-params")
    second = get_spec("yolov3_tiny_608").title
    tb = c2.selectbox("Detector B", titles, index=titles.index(second) if second in titles else 0, key="det_b",
                      bind="query-params")
    match_thr = c3.slider("Match IoU", 0.1, 0.95, 0.5, 0.05, key="det_match", bind="query-params",
                          help="Two boxes of the same class agree when their IoU is at least this.")
    score = st.slider("Score threshold (both)", 0.0, 1.0, 0.25, 0.05, key="det_score2", bind="query-params")
    names = [TITLES.get(t or DEFAULT_TITLE, DEFAULT) for t in (ta, tb)]
    if all(ready(n) for n in names):
        dets = [run(image_key, image, n, score, 0.45) for n in names]
        if all(d is not None for d in dets):
            a, b = dets
            agree = match_detections(a, b, match_thr)
            cols = st.columns(2)
            for col, d, n in zip(cols, dets, names):
                col.image(draw_detections(image, d), caption=f"{get_spec(n).title}: {len(d)} boxes, "
                          f"{d.seconds * 1000:.0f} ms", width="stretch")
            m1, m2, m3, m4 = st.columns(4)
            m1.metric("Agreement", f"{agree.agreement:.0%}", help="matched pairs / the larger number of boxes")
            m2.metric("Matched pairs", len(agree.pairs))
            m3.metric("Mean IoU of pairs", f"{agree.mean_iou:.2f}")
            m4.metric("Only A / only B", f"{len(agree.only_a)} / {len(agree.only_b)}")
            rows = [{"class": a.labels[i], "score A": round(float(a.scores[i]), 3), "score B": round(float(b.scores[j]), 3),
                     "IoU": round(v, 3)} for i, j, v in agree.pairs]
            rows += [{"class": a.labels[i], "score A": round(float(a.scores[i]), 3), "score B": None, "IoU": None}
                     for i in agree.only_a]
            rows += [{"class": b.labels[j], "score A": None, "score B": round(float(b.scores[j]), 3), "IoU": None}
                     for j in agree.only_b]
            if rows:
                st.dataframe(rows, hide_index=True, width="stretch")
            st.caption("Boxes are matched one to one, highest IoU first, only between equal classes. "
                       "The same weights at 416 and 608 pixels already disagree a little: more grid cells, other boxes.")

elif view == "IoU":
    st.markdown(
        "**Intersection over Union** compares a predicted box with the true one: the overlap's area divided by the "
        "area the two cover together. 1 means identical boxes, 0 no overlap; detection benchmarks usually count a "
        "prediction as correct when IoU ≥ 0.5. Drag the ranges to move the boxes (in % of the photo).")
    c1, c2 = st.columns(2)
    ax = c1.slider("Box A, left–right (%)", 0, 100, (10, 55), key="det_ax", bind="query-params")
    ay = c1.slider("Box A, top–bottom (%)", 0, 100, (15, 70), key="det_ay", bind="query-params")
    bx = c2.slider("Box B, left–right (%)", 0, 100, (35, 85), key="det_bx", bind="query-params")
    by = c2.slider("Box B, top–bottom (%)", 0, 100, (30, 90), key="det_by", bind="query-params")
    box_a = (ax[0] * W / 100, ay[0] * H / 100, ax[1] * W / 100, ay[1] * H / 100)
    box_b = (bx[0] * W / 100, by[0] * H / 100, bx[1] * W / 100, by[1] * H / 100)
    with friendly_errors():
        parts = box_iou_parts(box_a, box_b)
        left, right = st.columns([3, 2])
        left.image(draw_iou_figure(box_a, box_b, image=image), caption="A (blue), B (orange), intersection (green)",
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

elif view == "NMS step by step":
    st.markdown(
        "A detector predicts many overlapping boxes for one object. **Non-maximum suppression** keeps the best: "
        "take the highest-scoring box, remove every box that overlaps it by more than the IoU threshold, repeat "
        "with what is left. Here are YOLOv3-tiny's raw boxes on this photo, before NMS.")
    c1, c2 = st.columns(2)
    low = c1.slider("Score threshold for candidates", 0.01, 0.9, 0.1, 0.01, key="det_nms_score", bind="query-params")
    thr = c2.slider("NMS IoU threshold", 0.05, 0.95, 0.45, 0.05, key="det_nms_iou", bind="query-params")
    det = run(image_key, image, DEFAULT, low, 1.0)
    if det is not None and len(det.raw_labels):
        counts = {lab: det.raw_labels.count(lab) for lab in dict.fromkeys(det.raw_labels)}
        options = ["all classes", *sorted(counts, key=lambda k: -counts[k])]
        k1, k2 = st.columns(2)
        cls = k1.selectbox("Class", options, key="det_nms_class",
                           help="Detectors run NMS per class; 'all classes' runs it once over every box "
                           "(class-agnostic), which shows more rounds.")
        idx = [i for i, lab in enumerate(det.raw_labels) if cls in ("all classes", lab)]
        boxes, scores = det.raw_boxes[idx], det.raw_scores[idx]
        steps = nms_steps(boxes, scores, thr)
        assert_same = list(nms(boxes, scores, thr)) == [s.picked for s in steps]
        if st.session_state.get("det_round", 1) > len(steps):
            st.session_state["det_round"] = len(steps)
        rnd = k2.slider("Round", 1, len(steps), 1, key="det_round", bind="query-params") if len(steps) > 1 else 1
        rnd = min(rnd, len(steps))
        left, right = st.columns([3, 2])
        left.image(draw_nms_step(image, boxes, steps, rnd),
                   caption=f"Round {rnd} of {len(steps)}: picked (bright green), kept earlier (green), suppressed "
                   "now (red, with IoU), undecided (grey)", width="stretch")
        with right:
            step = steps[rnd - 1]
            st.markdown(f"**Round {rnd}.** The best remaining box (#{step.picked}, score {scores[step.picked]:.3f}) "
                        f"is kept. {len(step.suppressed)} box(es) overlap it by more than {thr:.2f} and are removed; "
                        f"{len(step.remaining)} remain undecided.")
            labels = [det.raw_labels[i] for i in idx]
            rows = [{"round": k + 1, "kept box": s.picked, "class": labels[s.picked],
                     "score": round(float(scores[s.picked]), 3),
                     "suppressed (IoU)": ", ".join(f"#{j} ({v:.2f})" for j, v in s.suppressed) or "–"}
                    for k, s in enumerate(steps)]
            st.dataframe(rows, hide_index=True, width="stretch")
            st.caption(f"{len(boxes)} candidates → {len(steps)} kept. Same result as torchvision.ops.nms: "
                       f"{'yes' if assert_same else 'NO'}.")
    elif det is not None:
        st.info("No candidate box at this score threshold; lower it.", icon="🔎")

elif view == "Windows vs proposals":
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
        left.image(draw_proposals(image, one, limit=60), width="stretch",
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
            props = cached_proposals(image_key, image)
            left, right = st.columns([3, 2])
            left.image(draw_proposals(image, props, limit=300), caption=f"300 of {props.count} proposals",
                       width="stretch")
            right.metric("Proposals", f"{props.count:,}")
            right.metric("Time", f"{props.seconds:.2f} s")
            right.markdown(f"{props.count:,} proposals against {n_windows:,} sliding windows, but the proposals "
                           "follow the image's regions instead of a fixed lattice, and a finer lattice (more sizes, "
                           f"shapes, smaller strides) multiplies the windows, not the proposals. Method: {props.method}.")

elif view == "YOLO grid":
    st.markdown(
        "**YOLO** (You Only Look Once) drops region proposals: one network looks at the whole image once. It "
        "divides the image into an **S × S grid**; the cell containing an object's centre is responsible for it. "
        "Each cell predicts **B** boxes (dx, dy, dw, dh, confidence: 5 numbers each) and **C** class scores, so "
        "the output is **S × S × (5·B + C)**.")
    c1, c2, c3 = st.columns(3)
    S = c1.slider("S (grid)", 2, 19, 7, key="det_S", bind="query-params")
    B = c2.slider("B (boxes per cell)", 1, 5, 2, key="det_B", bind="query-params")
    C = c3.slider("C (classes)", 1, 80, 20, key="det_C", bind="query-params")
    det = run(image_key, image, DEFAULT, 0.25, 0.45)
    with friendly_errors():
        grid = yolo_grid(image, det, S, B, C)
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
            heads = yolov3_tiny_heads(416)
            st.markdown("**YOLOv3-tiny**, the detector on this page, at 416×416: " + "; ".join(
                f"{g}×{g} cells × {a} anchors × {v} (4 box + 1 objectness + {v - 5} classes) = {g}×{g}×{a * v}"
                for g, _, a, v in heads) + ".")

else:
    st.markdown(
        "**R-CNN** (2014) warps ~2000 Selective-Search regions and runs VGG-16 on each: training takes 84 h and "
        "detection 47 s per image. **SPP-Net** and **Fast R-CNN** run the ConvNet once and pool each region "
        "from the feature map (RoI pooling); then the proposals themselves dominate (2.3 s of Fast R-CNN's time). "
        "**Faster R-CNN** lets a Region Proposal Network predict them from the same features (4 losses trained "
        "jointly). **YOLO** and **SSD** drop proposals: one pass, a grid of boxes.")
    det = run(image_key, image, DEFAULT, 0.25, 0.45)
    measured = ("YOLOv3-tiny here (CPU)", det.seconds) if det is not None else None
    st.plotly_chart(rcnn_family_figure(RCNN_FAMILY, measured), width="stretch", key="det_family_chart")
    st.dataframe([{"method": r["method"], "year": r["year"], "test s/image": round(r["test_seconds"], 3),
                   "with proposals": round(r["test_seconds_with_proposals"], 3),
                   "training h": r["train_hours"], "what changed": r["note"], "source": r["source"]}
                  for r in RCNN_FAMILY], hide_index=True, width="stretch")
    st.caption("Times are on the GPUs of their papers (VGG-16 for the R-CNN family); the grey bar is this "
               "machine's measured YOLOv3-tiny call on the current photo, on whatever device this app uses.")
