"""Running a detector: compute once (``candidates``), then threshold many times (``select``).

``candidates(image, model, net=)`` runs the network once and keeps every raw candidate (YOLO: each
cell × anchor; torchvision: the model's candidates with its own final NMS switched off, up to
``RAW_CANDIDATES``). ``select(candidates, score_threshold, iou_threshold)`` keeps the candidates scoring at
least the threshold and runs class-wise NMS on them (``vision_core.ops.boxes.nms`` with ``classes=``): no
network, milliseconds. ``detect`` is the two in a row.

Conventions: images ``(H, W, 3)`` uint8 RGB; boxes ``(N, 4)`` float32 xyxy pixels of the input image;
YOLO's score is objectness × class probability of the best class.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from vision_core.checks import check_fraction, check_image
from vision_core.errors import BadInput
from vision_core.models import Task, get_spec, list_models
from vision_core.models.detection import DETECTORS, OpenCvYolo, YoloDetector, coco_names
from vision_core.models.device import net_device
from vision_core.models.transforms import ToUnitTensor
from vision_core.models.views import module_view
from vision_core.ops.boxes import nms

from .results import Candidates, Detections

__all__ = ["RAW_CANDIDATES", "candidate_floor", "candidates", "detect", "detector_names", "postprocess_owner", "select"]

RAW_CANDIDATES = 1000
"""At most this many candidates (best scores first) come back from a torchvision detector before our NMS."""


def detector_names() -> list[str]:
    """Registered detection models (``DETECTORS`` order first)."""
    names = [s.name for s in list_models(Task.DETECTION)]
    return [n for n in DETECTORS if n in names] + [n for n in names if n not in DETECTORS]


def postprocess_owner(net: torch.nn.Module) -> torch.nn.Module:
    """The module holding ``score_thresh``/``nms_thresh``/``detections_per_img``: ``roi_heads`` for the
    R-CNN family, the detector itself for RetinaNet, FCOS and SSD."""
    return net.roi_heads if hasattr(net, "roi_heads") else net


def candidate_floor(net: torch.nn.Module) -> float:
    """The score under which torchvision detector ``net`` drops candidates inside the model."""
    return float(postprocess_owner(net).score_thresh)


def _without_final_nms(net: torch.nn.Module) -> torch.nn.Module:
    """A per-call view of torchvision detector ``net`` whose last step keeps every candidate (NMS at IoU 1.0, up
    to ``RAW_CANDIDATES``), so that our NMS, with the page's threshold, is the one that decides.

    The view (``models.views.module_view``) shares every parameter and buffer; ``net`` itself, shared by
    sessions, is not modified."""
    view, owner = module_view(net, "roi_heads" if hasattr(net, "roi_heads") else "")
    owner.nms_thresh = 1.0
    owner.detections_per_img = max(int(owner.detections_per_img), RAW_CANDIDATES)
    return view


def _torchvision_candidates(net: torch.nn.Module, image: np.ndarray,
                            classes: Sequence[str]) -> tuple[np.ndarray, list[str], np.ndarray]:
    x = ToUnitTensor()(image, net_device(net))
    with torch.inference_mode():
        out = _without_final_nms(net)([x])[0]
    boxes = out["boxes"].float().cpu().numpy().reshape(-1, 4)
    labels = [classes[int(i)] if int(i) < len(classes) else str(int(i)) for i in out["labels"].cpu()]
    return boxes, labels, out["scores"].float().cpu().numpy()


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


def candidates(image: np.ndarray, model: str = "yolov3_tiny", *, net: Any) -> Candidates:
    """Run detector ``model`` (the loaded ``net``) once on ``(H, W, 3)`` uint8 RGB and keep every candidate,
    sorted by decreasing score. ``UnknownModel`` for an unknown name, ``BadInput`` for a model that is not a
    detector or a bad image."""
    image = check_image(image)
    spec = get_spec(model)
    if spec.task is not Task.DETECTION:
        raise BadInput(f"{spec.title} is not a detector.")
    t0 = time.perf_counter()
    floor = 0.0
    if isinstance(net, (YoloDetector, OpenCvYolo)):
        boxes, cls, scores = net.candidates(image)
        names = coco_names()
        labels = [names[int(c)] for c in cls]
    else:
        boxes, labels, scores = _torchvision_candidates(net, image, spec.classes)
        floor = candidate_floor(net)
    order = np.argsort(-scores, kind="stable")
    seconds = time.perf_counter() - t0
    return Candidates(
        boxes=_frozen(boxes[order].reshape(-1, 4).astype(np.float32)), labels=tuple(labels[i] for i in order),
        scores=_frozen(scores[order].astype(np.float32)), model=model, image_size=image.shape[:2],
        seconds=seconds, candidate_floor=floor,
    )


def select(found: Candidates, score_threshold: float = 0.25, iou_threshold: float = 0.45) -> Detections:
    """Keep the candidates scoring at least ``score_threshold``, then class-wise NMS at ``iou_threshold``
    (two boxes of the same class overlapping more than it: the lower-scoring one goes). No network runs."""
    score_threshold = check_fraction(score_threshold, "The score threshold")
    iou_threshold = check_fraction(iou_threshold, "The IoU threshold")
    n = int(np.count_nonzero(found.scores >= score_threshold))  # scores are sorted: the first n pass
    boxes, scores, labels = found.boxes[:n].copy(), found.scores[:n].copy(), list(found.labels[:n])
    keep = nms(boxes, scores, iou_threshold, classes=labels) if n else np.zeros(0, dtype=np.int64)
    return Detections(
        boxes=boxes[keep].reshape(-1, 4).astype(np.float32), labels=[labels[i] for i in keep],
        scores=scores[keep].astype(np.float32), model=found.model, image_size=found.image_size,
        score_threshold=score_threshold, iou_threshold=iou_threshold,
        raw_boxes=boxes, raw_labels=labels, raw_scores=scores,
        keep=keep.astype(np.int64), seconds=found.seconds, candidate_floor=found.candidate_floor,
    )


def detect(image: np.ndarray, model: str = "yolov3_tiny", score_threshold: float = 0.25, iou_threshold: float = 0.45,
           *, net: Any) -> Detections:
    """Run detector ``model`` on ``(H, W, 3)`` uint8 RGB; keep boxes with score ≥ ``score_threshold``,
    then class-wise NMS at ``iou_threshold``: ``select(candidates(image, model, net=net), …)``.

    Returns boxes in the input image's pixels (xyxy), sorted by decreasing score. Raises ``BadInput`` for bad
    input, ``UnknownModel`` for an unknown model."""
    check_fraction(score_threshold, "The score threshold")
    check_fraction(iou_threshold, "The IoU threshold")
    return select(candidates(image, model, net=net), score_threshold, iou_threshold)
