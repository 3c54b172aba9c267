"""Object detection: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("📦 Object detection", "Beyond classification", "Boxes from real detectors, IoU, NMS step by step, YOLO's grid.")
coming_soon("YOLOv3-tiny and torchvision detectors.")
