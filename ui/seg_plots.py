"""The segmentation page's cached runs and its plotly figures (no maths here: values come from vision_core).

Compute once, display many times: each network's output is kept per (photo, model, the settings the
model uses) in ``ui.results`` — the segmenter's class map and probabilities, Mask R-CNN's instances, the
boxes from BlazePose or YOLOv3-tiny, GrabCut's masks — so opacity, the overlay / mask / probability view and
the class choice never run a network again. YOLOv3-tiny's candidates are the detection page's own cache entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from ui.detect_plots import candidates_for
from ui.results import cached
from ui.tray import TrayImage
from vision_core.detection import select
from vision_core.models import get_spec
from vision_core.pose import estimate_pose, to_joints14
from vision_core.segmentation import (
    InstanceResult,
    SegmentationResult,
    boxes_around_keypoints,
    grabcut_instances,
    mask_rcnn_instances,
    segment,
    split_mask_by_boxes,
)

SELFIE_THRESHOLD = 0.5
"""Person probability above which the selfie models call a pixel "person"."""
MASK_RCNN_SCORE = 0.5
"""Mask R-CNN's instances scoring at least this are kept."""
MAX_BOXES = 5
"""At most this many boxes feed the offline substitutes."""
YOLO_SCORE = 0.3
"""YOLOv3-tiny's boxes for the substitutes: score at least this, NMS at IoU 0.45."""


@dataclass(frozen=True)
class BoxSet:
    """Boxes for the offline substitutes: ``boxes`` ``(N, 4)`` xyxy pixels, a label and a score each."""

    boxes: np.ndarray
    labels: tuple[str, ...]
    scores: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def key(self) -> tuple[Any, ...]:
        """A hashable summary for the result cache."""
        return (tuple(map(tuple, np.round(self.boxes, 2).tolist())), self.labels, tuple(np.round(self.scores, 4).tolist()))


def segment_for(item: TrayImage, model: str, net: Any) -> SegmentationResult:
    """Model ``model``'s class map and the probability image of each class present on this photo, computed once
    (kept ``compact()``: 1 byte a pixel per class present instead of 84 for the VOC models' float scores)."""
    with st.spinner("Running the segmentation network…"):
        return cached("segment", item.key, (model, SELFIE_THRESHOLD),
                      lambda: segment(item.image, model, net=net, threshold=SELFIE_THRESHOLD).compact())


def mask_rcnn_for(item: TrayImage, net: Any) -> InstanceResult:
    """Mask R-CNN's instances on this photo (score ≥ ``MASK_RCNN_SCORE``), computed once."""
    with st.spinner("Mask R-CNN…"):
        return cached("maskrcnn", item.key, ("maskrcnn", MASK_RCNN_SCORE),
                      lambda: mask_rcnn_instances(item.image, net, get_spec("maskrcnn").classes, MASK_RCNN_SCORE))


def blazepose_boxes(item: TrayImage, net: Any) -> BoxSet:
    """One box per person BlazePose finds (at most ``MAX_BOXES``): their landmarks and estimated head top."""
    def run() -> BoxSet:
        poses = estimate_pose(item.image, "blazepose", net=net, max_people=MAX_BOXES)
        h, w = item.image.shape[:2]
        boxes, scores = boxes_around_keypoints([(*p.keypoints, *to_joints14(p)[13:]) for p in poses],
                                               [p.score for p in poses], h, w)
        return BoxSet(boxes, ("person",) * len(boxes), scores)

    with st.spinner("BlazePose: finding people…"):
        return cached("seg_boxes", item.key, ("blazepose", MAX_BOXES), run)


def yolo_boxes(item: TrayImage, net: Any) -> BoxSet:
    """YOLOv3-tiny's best boxes (at most ``MAX_BOXES``), from the detection page's cached candidates."""
    det = select(candidates_for(item.key, item.image, "yolov3_tiny", net), YOLO_SCORE, 0.45).top(MAX_BOXES)
    return BoxSet(det.boxes, tuple(det.labels), det.scores)


def grabcut_for(item: TrayImage, boxes: BoxSet, iterations: int) -> InstanceResult:
    """GrabCut inside each box, once per photo, boxes and iterations (about a second)."""
    with st.spinner("GrabCut inside each box…"):
        return cached("grabcut", item.key, (boxes.key, int(iterations)),
                      lambda: grabcut_instances(item.image, boxes.boxes, boxes.labels, boxes.scores,
                                                iterations=int(iterations)))


def split_for(item: TrayImage, person: SegmentationResult, boxes: BoxSet) -> InstanceResult:
    """The selfie model's person mask split between the boxes, once per photo and boxes."""
    return cached("seg_split", item.key, (person.model, boxes.key),
                  lambda: split_mask_by_boxes(person.mask("person"), boxes.boxes, boxes.labels, boxes.scores))


def share_bars(names: Sequence[str], shares: Sequence[float], colours: Sequence[tuple[int, int, int]]) -> go.Figure:
    """Horizontal bars: share of the photo's pixels per class, each bar in its class colour."""
    fig = go.Figure(
        go.Bar(
            x=[100 * s for s in shares],
            y=list(names),
            orientation="h",
            marker_color=[f"rgb{tuple(int(v) for v in c)}" for c in colours],
            marker_line_color="#444",
            marker_line_width=1,
            text=[f"{100 * s:.1f} %" for s in shares],
            textposition="auto",
        )
    )
    fig.update_layout(
        height=60 + 28 * len(names), margin=dict(l=10, r=10, t=30, b=10), title="Pixels per class",
        xaxis_title="% of the photo", yaxis=dict(autorange="reversed"),
    )
    return fig


def work_bars(labels: Sequence[str], values: Sequence[float], title: str) -> go.Figure:
    """Bars on a log axis comparing amounts of work (e.g. pixel reads of sliding windows versus one FCN pass)."""
    fig = go.Figure(go.Bar(x=list(labels), y=list(values), text=[f"{v:,.0f}" for v in values], textposition="auto",
                           marker_color=["#d62728", "#2ca02c"][: len(values)] + ["#1f77b4"] * max(0, len(values) - 2)))
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=40, b=10), title=title, yaxis_type="log")
    return fig
