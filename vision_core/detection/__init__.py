"""Object detection: real detectors on any photo, and the lecture's ideas (IoU, NMS, proposals, YOLO's grid).

Modules:

- ``results``: ``Candidates`` (every raw box of one detector run) and ``Detections`` (after thresholds), drawing.
- ``detector``: ``candidates`` (the network, once per photo and model), ``select`` (score threshold and class-wise
  NMS on those candidates, no network), ``detect`` (both); torchvision detectors with their own final NMS off.
- ``compare``: two detectors matched box to box (``match_detections``, ``Agreement``).
- ``teach``: IoU and NMS laid out for the page (``nms_walkthrough``, ``draw_nms_step``, ``draw_iou_figure``).
- ``scene``: the composite scene of bundled photos, ``crop_to``.
- ``proposals``: sliding windows and Selective-Search-style region proposals.
- ``yolo_grid``: YOLO's S × S grid and output shape, YOLOv3-tiny's real heads.
- ``rcnn``: the R-CNN family's times from the lecture.

Detectors are registered in ``vision_core.models.detection`` (YOLOv3-tiny in torch at 416 and 608 and through
OpenCV's dnn, torchvision's Faster R-CNN v2, SSDlite, RetinaNet v2, FCOS); every function takes the loaded
network (``net=``). IoU and NMS are ``vision_core.ops.boxes``, drawing ``vision_core.ops.draw``.

Conventions: images are ``(H, W, 3)`` uint8 RGB; boxes are ``(N, 4)`` float32 ``xyxy`` in pixels of
the input image (x to the right, y down); scores are in [0, 1]. YOLO's score is
objectness × class probability of the best class.
"""

from vision_core.models.detection import DETECTORS, YoloDetector, coco_names
from vision_core.ops.boxes import BoxIoU, NmsStep, box_iou, box_iou_parts, nms, nms_steps

from .compare import Agreement, agreement_rows, match_detections
from .detector import RAW_CANDIDATES, candidate_floor, candidates, detect, detector_names, postprocess_owner, select
from .proposals import (
    Proposals,
    draw_proposals,
    region_proposals,
    selective_search_available,
    sliding_window_boxes,
    sliding_window_count,
)
from .rcnn import RCNN_FAMILY, rcnn_table
from .results import Candidates, Detections, draw_detections
from .scene import COMPOSITE_KEY, composite_scene, crop_to
from .teach import ALL_CLASSES, NmsWalkthrough, class_options, draw_iou_figure, draw_nms_step, nms_walkthrough, percent_box
from .yolo_grid import YoloGrid, yolo_grid, yolo_output_shape, yolov3_tiny_heads

__all__ = [
    "ALL_CLASSES",
    "Agreement",
    "BoxIoU",
    "COMPOSITE_KEY",
    "Candidates",
    "DETECTORS",
    "Detections",
    "NmsStep",
    "NmsWalkthrough",
    "Proposals",
    "RAW_CANDIDATES",
    "RCNN_FAMILY",
    "YoloDetector",
    "YoloGrid",
    "agreement_rows",
    "box_iou",
    "box_iou_parts",
    "candidate_floor",
    "candidates",
    "class_options",
    "coco_names",
    "composite_scene",
    "crop_to",
    "detect",
    "detector_names",
    "draw_detections",
    "draw_iou_figure",
    "draw_nms_step",
    "draw_proposals",
    "match_detections",
    "nms",
    "nms_steps",
    "nms_walkthrough",
    "percent_box",
    "postprocess_owner",
    "rcnn_table",
    "region_proposals",
    "select",
    "selective_search_available",
    "sliding_window_boxes",
    "sliding_window_count",
    "yolo_grid",
    "yolo_output_shape",
    "yolov3_tiny_heads",
]
