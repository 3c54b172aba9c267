"""Object detectors: the embedded YOLOv3-tiny (torch port and OpenCV's runtime) and torchvision's COCO detectors.

Registers ``yolov3_tiny`` (416×416), ``yolov3_tiny_608`` (the same network at 608×608, sharing its
weights), ``yolov3_tiny_opencv`` (the same files through ``cv2.dnn``, a reference runtime) and, with hub
weights, Faster R-CNN ResNet-50 FPN v2, SSDlite320 MobileNetV3, RetinaNet ResNet-50 FPN v2 and FCOS.

YOLO runtimes expose ``candidates(image)``: every cell × anchor prediction before thresholding, as
``(boxes xyxy px, best class index, score = objectness × p_class)``.
"""

from __future__ import annotations

import functools
import threading

import numpy as np
import torch

from vision_core.assets import asset_path
from vision_core.models._api import ModelSpec, Task, register, torchvision_spec
from vision_core.models.darknet import Darknet, decode, load_darknet
from vision_core.models.device import net_device
from vision_core.models.transforms import Letterboxed, ToUnitTensor
from vision_core.ops.boxes import Letterbox, unletterbox_boxes

__all__ = ["DETECTORS", "TORCHVISION_DETECTORS", "OpenCvYolo", "YoloDetector", "coco_names"]


@functools.lru_cache(maxsize=1)
def coco_names() -> tuple[str, ...]:
    """The 80 COCO class names of the embedded YOLOv3-tiny, in output order (``person`` first)."""
    return tuple(n.strip() for n in asset_path("coco_names").read_text().splitlines() if n.strip())


def _rows_to_candidates(rows: np.ndarray, class_scores: np.ndarray, box: Letterbox) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    best = class_scores.argmax(1)
    scores = class_scores[np.arange(len(rows)), best]
    return unletterbox_boxes(rows[:, :4], box, fmt="cxcywh", normalized=True), best.astype(np.int64), scores.astype(np.float32)


class YoloDetector(torch.nn.Module):
    """YOLOv3-tiny (``Darknet``) at one input size; two sizes share one network."""

    def __init__(self, net: Darknet, input_size: int) -> None:
        super().__init__()
        if input_size < 32 or input_size % 32:
            raise ValueError(f"The YOLO input size must be a multiple of 32 (e.g. 416), got {input_size}.")
        self.net = net
        self.input_size = input_size
        self.preprocess = Letterboxed(input_size, fill=0.5)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        return self.net(x)

    def candidates(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every cell × anchor prediction: ``(boxes xyxy px, best class index, score = obj × p_class)``."""
        x, box = self.preprocess(image)
        with torch.inference_mode():
            raw = self.net(torch.from_numpy(x)[None].to(net_device(self.net)))
            rows = decode(raw, self.net.heads, self.input_size).float().cpu().numpy()
        return _rows_to_candidates(rows, rows[:, 4:5] * rows[:, 5:], box)


class OpenCvYolo:
    """The same YOLOv3-tiny files through ``cv2.dnn.readNetFromDarknet`` (not thread-safe: registered so).

    OpenCV's output rows are ``(cx, cy, w, h, obj, obj × p_class…)`` with class scores under its own
    threshold set to 0, so only the best class's score is used here."""

    def __init__(self, input_size: int = 416) -> None:
        import cv2

        self.net = cv2.dnn.readNetFromDarknet(str(asset_path("yolov3_tiny_cfg")), str(asset_path("yolov3_tiny_weights")))
        self.input_size = input_size
        self.preprocess = Letterboxed(input_size, fill=0.5)
        self._lock = threading.Lock()

    def forward_raw(self, blob: np.ndarray) -> np.ndarray:
        """``(1, 3, S, S)`` float32 → ``(N, 85)`` rows in OpenCV's convention, heads in cfg order."""
        with self._lock:
            self.net.setInput(blob)
            outs = self.net.forward(self.net.getUnconnectedOutLayersNames())
        return np.concatenate([np.asarray(o) for o in outs])

    def candidates(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x, box = self.preprocess(image)
        rows = self.forward_raw(x[None])
        return _rows_to_candidates(rows, rows[:, 5:], box)


def _load_yolo(device: torch.device) -> YoloDetector:
    return YoloDetector(load_darknet(asset_path("yolov3_tiny_cfg"), asset_path("yolov3_tiny_weights"), device), 416)


_YOLO_ASSETS = ("yolov3_tiny_cfg", "yolov3_tiny_weights", "coco_names")
register(ModelSpec(
    name="yolov3_tiny", task=Task.DETECTION, title="YOLOv3-tiny (COCO-80, 416×416, torch)", loader=_load_yolo,
    assets=_YOLO_ASSETS, preprocessing=Letterboxed(416, fill=0.5),
))
register(ModelSpec(
    name="yolov3_tiny_608", task=Task.DETECTION, title="YOLOv3-tiny (COCO-80, 608×608, torch)", loader=None,
    assets=_YOLO_ASSETS, preprocessing=Letterboxed(608, fill=0.5),
    shares="yolov3_tiny", adapt=lambda yolo: YoloDetector(yolo.net, 608),
))
register(ModelSpec(
    name="yolov3_tiny_opencv", task=Task.DETECTION, title="YOLOv3-tiny (COCO-80, 416×416, OpenCV dnn)",
    loader=lambda device: OpenCvYolo(416), assets=_YOLO_ASSETS, preprocessing=Letterboxed(416, fill=0.5),
    thread_safe=False,
))

TORCHVISION_DETECTORS: dict[str, tuple[str, str, str]] = {
    "fasterrcnn_v2": ("Faster R-CNN ResNet-50 FPN v2 (COCO)", "fasterrcnn_resnet50_fpn_v2", "FasterRCNN_ResNet50_FPN_V2_Weights"),
    "ssdlite": ("SSDlite320 MobileNetV3-Large (COCO)", "ssdlite320_mobilenet_v3_large", "SSDLite320_MobileNet_V3_Large_Weights"),
    "retinanet_v2": ("RetinaNet ResNet-50 FPN v2 (COCO)", "retinanet_resnet50_fpn_v2", "RetinaNet_ResNet50_FPN_V2_Weights"),
    "fcos": ("FCOS ResNet-50 FPN (COCO)", "fcos_resnet50_fpn", "FCOS_ResNet50_FPN_Weights"),
}
for _name, (_title, _builder, _enum) in TORCHVISION_DETECTORS.items():
    register(torchvision_spec(_name, Task.DETECTION, _title, _builder, _enum, preprocessing=ToUnitTensor()))

DETECTORS: tuple[str, ...] = ("yolov3_tiny", "yolov3_tiny_608", "yolov3_tiny_opencv", *TORCHVISION_DETECTORS)
"""Detector names in menu order: embedded first, then torchvision downloads."""
