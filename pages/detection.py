"""Object detection: real detectors on the tray photo, and the lecture's ideas made interactive.

The views live in ``ui.detect_views`` (one function each); every detector runs once per photo and model,
and the sliders only select from its candidates."""

from __future__ import annotations

import streamlit as st

from ui.common import page_header
from ui.detect_views import VIEWS, Photo
from ui.tray import current_image
from vision_core.detection import COMPOSITE_KEY, composite_scene

page_header(
    "📦 Object detection",
    "Beyond classification — classification + localisation, sliding windows, region proposals, R-CNN → Fast → "
    "Faster R-CNN, YOLO / SSD",
    "A detector answers *what* and *where*: a list of boxes, each with a class and a score. "
    "Run a real one on your photo, then open up the ideas behind it: IoU, non-maximum suppression, "
    "region proposals, YOLO's grid and how the R-CNN family got fast.",
)

photo_choice = st.radio(
    "Photo", ["Tray photo", "Composite scene"], horizontal=True, key="det_photo", bind="query-params",
    help="The composite puts Chelsea the cat and the astronaut, smaller, on a grey background: YOLOv3-tiny "
    "was trained on scenes like that and is weak on full-frame close-ups.",
)
if photo_choice == "Composite scene":
    photo = Photo(composite_scene(), COMPOSITE_KEY, "Composite scene (chelsea + astronaut)")
else:
    tray = current_image()
    photo = Photo(tray.image, tray.key, tray.label)

view = st.segmented_control("Show", list(VIEWS), default="Detect", key="det_view", bind="query-params",
                            required=True) or "Detect"
VIEWS.get(view, VIEWS["Detect"])(photo)
