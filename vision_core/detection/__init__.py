"""Object detection: real detectors on any photo, and the lecture's ideas (IoU, NMS, proposals, YOLO's grid).

Detectors (all registered in ``vision_core.models``):

- ``yolov3_tiny``: embedded YOLOv3-tiny (COCO-80) run in torch through ``vision_core.models.darknet``,
  letterboxed to 416×416; ``yolov3_tiny_608`` the same weights at 608×608 (more cells, slower);
  ``yolov3_tiny_opencv`` the same files through ``cv2.dnn`` (a reference runtime).
- torchvision (hub weights, downloaded on demand): Faster R-CNN ResNet-50 FPN v2, SSDlite320
  MobileNetV3, RetinaNet ResNet-50 FPN v2, FCOS ResNet-50 FPN.

Conventions: images are ``(H, W, 3)`` uint8 RGB; boxes are ``(N, 4)`` float32 ``xyxy`` in pixels of
the input image (x to the right, y down); scores are in [0, 1]. YOLO's score is
objectness × class probability of the best class.
"""

from __future__ import annotations

import copy
import functools
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torchvision
from PIL import Image

from vision_core.checks import check_image
from vision_core.models import Task, get_spec, list_models
from vision_core.models.detection import DETECTORS, TORCHVISION_DETECTORS, OpenCvYolo, YoloDetector, coco_names
from vision_core.models.transforms import ToUnitTensor

__all__ = [
    "Agreement",
    "Detections",
    "DETECTORS",
    "NmsStep",
    "Proposals",
    "RCNN_FAMILY",
    "YoloDetector",
    "YoloGrid",
    "RAW_CANDIDATES",
    "box_iou_parts",
    "candidate_floor",
    "coco_names",
    "composite_scene",
    "crop_to",
    "detect",
    "detector_names",
    "draw_detections",
    "draw_iou_figure",
    "draw_nms_step",
    "draw_proposals",
    "iou",
    "match_detections",
    "nms",
    "nms_steps",
    "region_proposals",
    "sliding_window_boxes",
    "sliding_window_count",
    "yolo_grid",
    "yolo_output_shape",
    "yolov3_tiny_heads",
]

PALETTE: tuple[tuple[int, int, int], ...] = (
    (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48), (145, 30, 180),
    (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212), (0, 128, 128), (170, 110, 40),
)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Detections:
    """What a detector found in one image.

    ``boxes`` ``(N, 4)`` float32 xyxy pixels of the input image, ``labels`` N class names,
    ``scores`` ``(N,)`` float32 in [0, 1], sorted by decreasing score (after NMS).
    ``raw_*`` are the candidates above ``score_threshold`` *before* NMS (same conventions);
    ``keep`` indexes ``raw_*`` rows that survived. ``seconds`` is the time of the call, model loading excluded.
    ``candidate_floor``: the lowest score the detector itself reports (torchvision detectors drop lower-scoring
    candidates inside the model; 0 for YOLO), so a ``score_threshold`` under it changes nothing.
    """

    boxes: np.ndarray
    labels: list[str]
    scores: np.ndarray
    model: str
    image_size: tuple[int, int]
    score_threshold: float
    iou_threshold: float
    raw_boxes: np.ndarray = field(repr=False)
    raw_labels: list[str] = field(repr=False)
    raw_scores: np.ndarray = field(repr=False)
    keep: np.ndarray = field(repr=False)
    seconds: float = 0.0
    candidate_floor: float = 0.0

    def __len__(self) -> int:
        return len(self.labels)

    def only(self, classes: Sequence[str]) -> Detections:
        """The same result restricted to ``classes`` (raw candidates too)."""
        wanted = set(classes)
        idx = [i for i, lab in enumerate(self.labels) if lab in wanted]
        ridx = [i for i, lab in enumerate(self.raw_labels) if lab in wanted]
        remap = {old: new for new, old in enumerate(ridx)}
        return Detections(
            self.boxes[idx].reshape(-1, 4), [self.labels[i] for i in idx], self.scores[idx], self.model, self.image_size,
            self.score_threshold, self.iou_threshold, self.raw_boxes[ridx].reshape(-1, 4),
            [self.raw_labels[i] for i in ridx], self.raw_scores[ridx],
            np.array([remap[int(k)] for k in self.keep if int(k) in remap], dtype=np.int64), self.seconds,
            self.candidate_floor,
        )

    def table(self) -> list[dict[str, Any]]:
        """One row per detection: label, score, x1, y1, x2, y2, width, height (pixels, rounded)."""
        return [
            {
                "label": lab, "score": round(float(s), 3),
                "x1": round(float(b[0]), 1), "y1": round(float(b[1]), 1),
                "x2": round(float(b[2]), 1), "y2": round(float(b[3]), 1),
                "width": round(float(b[2] - b[0]), 1), "height": round(float(b[3] - b[1]), 1),
            }
            for b, lab, s in zip(self.boxes, self.labels, self.scores)
        ]


# --------------------------------------------------------------------------- IoU and NMS


def _as_boxes(boxes: Any, name: str = "boxes") -> torch.Tensor:
    t = torch.as_tensor(np.asarray(boxes, dtype=np.float32))
    if t.ndim == 1 and t.numel() == 4:
        t = t[None]
    if t.ndim != 2 or t.shape[1] != 4:
        raise ValueError(f"{name} must be (N, 4) xyxy boxes, got shape {tuple(t.shape)}.")
    if t.numel() and bool(((t[:, 2] < t[:, 0]) | (t[:, 3] < t[:, 1])).any()):
        raise ValueError(f"{name} must have x2 ≥ x1 and y2 ≥ y1 (xyxy order).")
    return t


def iou(boxes1: Any, boxes2: Any) -> np.ndarray:
    """IoU matrix ``(N, M)`` of xyxy boxes (``torchvision.ops.box_iou``); a single box may be given as 4 numbers."""
    return torchvision.ops.box_iou(_as_boxes(boxes1, "boxes1"), _as_boxes(boxes2, "boxes2")).numpy()


def nms(boxes: Any, scores: Any, iou_threshold: float = 0.45) -> np.ndarray:
    """Indices of the boxes kept by non-maximum suppression, by decreasing score (``torchvision.ops.nms``)."""
    _check_fraction(iou_threshold, "The IoU threshold")
    b = _as_boxes(boxes)
    s = torch.as_tensor(np.asarray(scores, dtype=np.float32)).reshape(-1)
    if s.numel() != b.shape[0]:
        raise ValueError(f"Got {b.shape[0]} boxes but {s.numel()} scores.")
    return torchvision.ops.nms(b, s, float(iou_threshold)).numpy()


@dataclass(frozen=True)
class BoxIoU:
    """IoU of two boxes with its parts (areas in square pixels); ``intersection`` is xyxy or ``None``."""

    iou: float
    area_a: float
    area_b: float
    inter_area: float
    union_area: float
    intersection: tuple[float, float, float, float] | None


def box_iou_parts(a: Sequence[float], b: Sequence[float]) -> BoxIoU:
    """IoU = intersection / union of two xyxy boxes, with the parts shown on the page."""
    ta, tb = _as_boxes(a, "box A")[0], _as_boxes(b, "box B")[0]
    area_a = float((ta[2] - ta[0]) * (ta[3] - ta[1]))
    area_b = float((tb[2] - tb[0]) * (tb[3] - tb[1]))
    x1, y1 = max(float(ta[0]), float(tb[0])), max(float(ta[1]), float(tb[1]))
    x2, y2 = min(float(ta[2]), float(tb[2])), min(float(ta[3]), float(tb[3]))
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)
    union = area_a + area_b - inter
    value = float(iou(ta[None], tb[None])[0, 0]) if union > 0 else 0.0
    return BoxIoU(value, area_a, area_b, inter, union, (x1, y1, x2, y2) if inter > 0 else None)


@dataclass(frozen=True)
class NmsStep:
    """One round of greedy NMS: the highest-scoring remaining box is ``picked`` (index into the input);
    every remaining box whose IoU with it is above the threshold is ``suppressed`` (pairs ``(index, IoU)``);
    ``remaining`` are still undecided afterwards."""

    picked: int
    suppressed: tuple[tuple[int, float], ...]
    remaining: tuple[int, ...]


def nms_steps(boxes: Any, scores: Any, iou_threshold: float = 0.45) -> list[NmsStep]:
    """Greedy NMS written out round by round; the picked indices equal ``nms(boxes, scores, iou_threshold)``."""
    _check_fraction(iou_threshold, "The IoU threshold")
    b = _as_boxes(boxes)
    s = np.asarray(scores, dtype=np.float32).reshape(-1)
    if s.size != b.shape[0]:
        raise ValueError(f"Got {b.shape[0]} boxes but {s.size} scores.")
    ious = torchvision.ops.box_iou(b, b).numpy()
    order = [int(i) for i in np.argsort(-s, kind="stable")]
    steps: list[NmsStep] = []
    while order:
        top, rest = order[0], order[1:]
        gone = tuple((j, float(ious[top, j])) for j in rest if ious[top, j] > iou_threshold)
        gone_set = {j for j, _ in gone}
        order = [j for j in rest if j not in gone_set]
        steps.append(NmsStep(top, gone, tuple(order)))
    return steps


@dataclass(frozen=True)
class Agreement:
    """Two detectors compared: ``pairs`` ``(i, j, IoU)`` of matched boxes (A index, B index),
    the unmatched indices of each, and ``agreement`` = matched / max(N_A, N_B) (1.0 when both are empty)."""

    pairs: tuple[tuple[int, int, float], ...]
    only_a: tuple[int, ...]
    only_b: tuple[int, ...]
    agreement: float
    mean_iou: float


def match_detections(a: Detections, b: Detections, iou_threshold: float = 0.5, same_label: bool = True) -> Agreement:
    """Greedy one-to-one matching by decreasing IoU (≥ ``iou_threshold``), optionally only between equal labels."""
    _check_fraction(iou_threshold, "The matching IoU threshold")
    if a.image_size != b.image_size:
        raise ValueError("The two detections come from images of different sizes; compare them on the same photo.")
    pairs: list[tuple[int, int, float]] = []
    if len(a) and len(b):
        m = iou(a.boxes, b.boxes)
        if same_label:
            m = m * np.array([[la == lb for lb in b.labels] for la in a.labels], dtype=np.float32)
        used_a: set[int] = set()
        used_b: set[int] = set()
        for flat in np.argsort(-m, axis=None, kind="stable"):
            i, j = divmod(int(flat), m.shape[1])
            if m[i, j] < iou_threshold or m[i, j] <= 0:
                break
            if i in used_a or j in used_b:
                continue
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j, float(m[i, j])))
    only_a = tuple(i for i in range(len(a)) if i not in {p[0] for p in pairs})
    only_b = tuple(j for j in range(len(b)) if j not in {p[1] for p in pairs})
    biggest = max(len(a), len(b))
    agreement = len(pairs) / biggest if biggest else 1.0
    mean_iou = float(np.mean([p[2] for p in pairs])) if pairs else 0.0
    return Agreement(tuple(pairs), only_a, only_b, agreement, mean_iou)


def _check_fraction(value: float, what: str) -> None:
    if not isinstance(value, (int, float)) or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{what} must be between 0 and 1, got {value!r}.")


# --------------------------------------------------------------------------- detectors


def detector_names() -> list[str]:
    """Registered detection models (``DETECTORS`` order first)."""
    names = [s.name for s in list_models(Task.DETECTION)]
    return [n for n in DETECTORS if n in names] + [n for n in names if n not in DETECTORS]


RAW_CANDIDATES = 1000
"""At most this many candidates (best scores first) come back from a torchvision detector before our NMS."""


def _postprocess_owner(net: torch.nn.Module) -> torch.nn.Module:
    """The module holding ``score_thresh``/``nms_thresh``/``detections_per_img``: ``roi_heads`` for the
    R-CNN family, the detector itself for RetinaNet, FCOS and SSD."""
    return net.roi_heads if hasattr(net, "roi_heads") else net


def candidate_floor(net: torch.nn.Module) -> float:
    """The score under which torchvision detector ``net`` drops candidates inside the model."""
    return float(_postprocess_owner(net).score_thresh)


def _without_final_nms(net: torch.nn.Module) -> torch.nn.Module:
    """A view of torchvision detector ``net`` whose last step keeps every candidate (NMS at IoU 1.0, up to
    ``RAW_CANDIDATES``), so that our NMS, with the page's threshold, is the one that decides.

    Shallow copies share every parameter and buffer; ``net`` itself is not modified (it is shared by sessions).
    """
    view = copy.copy(net)
    view._modules = dict(net._modules)
    if "roi_heads" in view._modules:
        view._modules["roi_heads"] = copy.copy(net.roi_heads)
    owner = _postprocess_owner(view)
    owner.nms_thresh = 1.0
    owner.detections_per_img = max(int(owner.detections_per_img), RAW_CANDIDATES)
    return view


def _torchvision_candidates(net: torch.nn.Module, image: np.ndarray, classes: Sequence[str]) -> tuple[np.ndarray, list[str], np.ndarray]:
    device = next(net.parameters()).device
    x = ToUnitTensor()(image, device)
    with torch.inference_mode():
        out = _without_final_nms(net)([x])[0]
    boxes = out["boxes"].float().cpu().numpy().reshape(-1, 4)
    labels = [classes[int(i)] if int(i) < len(classes) else str(int(i)) for i in out["labels"].cpu()]
    return boxes, labels, out["scores"].float().cpu().numpy()


def detect(image: np.ndarray, model: str = "yolov3_tiny", score_threshold: float = 0.25, iou_threshold: float = 0.45,
           *, net: Any) -> Detections:
    """Run detector ``model`` on ``(H, W, 3)`` uint8 RGB; keep boxes with score ≥ ``score_threshold``,
    then class-wise NMS at ``iou_threshold`` (``torchvision.ops.batched_nms``).

    Returns boxes in the input image's pixels (xyxy), sorted by decreasing score. Raises ``ValueError``
    for bad input, ``KeyError`` for an unknown model, ``AssetMissing``/``WeightsMissing`` when files are missing.
    """
    image = check_image(image)
    _check_fraction(score_threshold, "The score threshold")
    _check_fraction(iou_threshold, "The IoU threshold")
    spec = get_spec(model)
    if spec.task is not Task.DETECTION:
        raise ValueError(f"{spec.title} is not a detector.")
    t0 = time.perf_counter()
    floor = 0.0
    if isinstance(net, (YoloDetector, OpenCvYolo)):
        boxes, cls, scores = net.candidates(image)
        names = coco_names()
        sel = np.flatnonzero(scores >= score_threshold)
        boxes, scores = boxes[sel], scores[sel]
        labels = [names[int(c)] for c in cls[sel]]
    else:
        boxes, labels, scores = _torchvision_candidates(net, image, spec.classes)
        floor = candidate_floor(net)
        sel = np.flatnonzero(scores >= score_threshold)
        boxes, scores, labels = boxes[sel], scores[sel], [labels[i] for i in sel]
    order = np.argsort(-scores, kind="stable")
    boxes, scores, labels = boxes[order].reshape(-1, 4), scores[order], [labels[i] for i in order]
    if len(labels):
        ids = {lab: k for k, lab in enumerate(dict.fromkeys(labels))}
        keep = torchvision.ops.batched_nms(
            torch.from_numpy(boxes), torch.from_numpy(scores), torch.tensor([ids[lab] for lab in labels]), float(iou_threshold)
        ).numpy()
    else:
        keep = np.zeros(0, dtype=np.int64)
    h, w = image.shape[:2]
    return Detections(
        boxes=boxes[keep].reshape(-1, 4).astype(np.float32), labels=[labels[i] for i in keep],
        scores=scores[keep].astype(np.float32), model=model, image_size=(h, w),
        score_threshold=float(score_threshold), iou_threshold=float(iou_threshold),
        raw_boxes=boxes.astype(np.float32), raw_labels=labels, raw_scores=scores.astype(np.float32),
        keep=keep.astype(np.int64), seconds=time.perf_counter() - t0, candidate_floor=floor,
    )


# --------------------------------------------------------------------------- drawing


@functools.lru_cache(maxsize=1)
def _font() -> str | None:
    from PIL import ImageFont

    for name in ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"):
        try:
            return str(ImageFont.truetype(name, 12).path)
        except OSError:
            continue
    try:
        import matplotlib

        path = f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans.ttf"
        ImageFont.truetype(path, 12)
        return path
    except (ImportError, OSError):
        return None


def _colour(label: str) -> tuple[int, int, int]:
    """A stable colour per class name (the same in every detector)."""
    return PALETTE[zlib.crc32(label.encode()) % len(PALETTE)]


def _draw(image: np.ndarray, boxes: np.ndarray, labels: list[str] | None, colors: list[tuple[int, int, int]],
          width: int | None = None, fill: bool = False) -> np.ndarray:
    if len(boxes) == 0:
        return np.array(image, copy=True)
    h, w = image.shape[:2]
    width = width or max(2, round(max(h, w) / 250))
    font = _font()
    t = torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1)))
    out = torchvision.utils.draw_bounding_boxes(
        t, torch.from_numpy(np.asarray(boxes, np.float32)), labels=labels, colors=colors, width=width, fill=fill,
        font=font, font_size=max(12, round(max(h, w) / 45)) if font else None,
        fill_labels=labels is not None,
        label_colors=[(0, 0, 0) if 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] > 150 else (255, 255, 255) for c in colors]
        if labels is not None else None,
    )
    return out.numpy().transpose(1, 2, 0).copy()


def draw_detections(image: np.ndarray, det: Detections) -> np.ndarray:
    """``(H, W, 3)`` uint8 with every box and ``"label 0.93"`` drawn (``torchvision.utils.draw_bounding_boxes``)."""
    image = check_image(image)
    if image.shape[:2] != det.image_size:
        raise ValueError("These detections belong to a photo of another size.")
    labels = [f"{lab} {s:.2f}" for lab, s in zip(det.labels, det.scores)]
    return _draw(image, det.boxes, labels, [_colour(lab) for lab in det.labels])


def draw_nms_step(image: np.ndarray, boxes: np.ndarray, steps: list[NmsStep], upto: int) -> np.ndarray:
    """The NMS state after ``upto`` rounds (1-based): kept boxes green, the box picked in round ``upto``
    thick green, boxes it suppressed red, boxes still undecided grey; suppressed earlier boxes are hidden."""
    image = check_image(image)
    if not 1 <= upto <= len(steps):
        raise ValueError(f"Choose a round between 1 and {len(steps)}.")
    kept = [s.picked for s in steps[: upto - 1]]
    current = steps[upto - 1]
    rest = list(current.remaining)
    sel = rest + kept + [j for j, _ in current.suppressed] + [current.picked]
    colors = ([(160, 160, 160)] * len(rest) + [(40, 170, 60)] * len(kept)
              + [(220, 30, 30)] * len(current.suppressed) + [(0, 255, 60)])
    labels = ([""] * len(rest) + ["kept"] * len(kept)
              + [f"IoU {v:.2f}" for _, v in current.suppressed] + ["picked"])
    out = _draw(image, np.asarray(boxes, np.float32)[sel].reshape(-1, 4), labels, colors)
    pick = np.asarray(boxes, np.float32)[[current.picked]]
    return _draw(out, pick, None, [(0, 255, 60)], width=max(4, round(max(image.shape[:2]) / 120)))


def draw_iou_figure(box_a: Sequence[float], box_b: Sequence[float], size: tuple[int, int] = (300, 400),
                    image: np.ndarray | None = None) -> np.ndarray:
    """Two boxes (A blue, B orange) and their intersection filled, on ``image`` or a white ``(H, W)`` canvas."""
    canvas = np.full((*size, 3), 255, np.uint8) if image is None else check_image(image)
    parts = box_iou_parts(box_a, box_b)
    out = canvas
    if parts.intersection is not None:
        out = _draw(out, np.array([parts.intersection], np.float32), None, [(120, 200, 120)], width=1, fill=True)
    return _draw(out, np.array([box_a, box_b], np.float32), ["A", "B"], [(0, 90, 220), (240, 120, 0)])


# --------------------------------------------------------------------------- composite scene


@functools.lru_cache(maxsize=1)
def composite_scene() -> np.ndarray:
    """A 640×480 scene built from bundled photos: Chelsea the cat (320 px wide, lower left) and the
    astronaut (240 px, upper right) on a light grey background. Read-only ``(480, 640, 3)`` uint8.

    YOLOv3-tiny is weak on close-ups such as the full-frame ``chelsea`` sample; smaller objects in a
    wider scene are what it was trained on."""
    from vision_core.io.samples import load_sample

    def resized(name: str, width: int) -> np.ndarray:
        a = load_sample(name)
        h = round(a.shape[0] * width / a.shape[1])
        return np.asarray(Image.fromarray(a).resize((width, h), Image.Resampling.LANCZOS))

    canvas = np.full((480, 640, 3), 200, np.uint8)
    cat = resized("chelsea", 320)
    canvas[480 - 20 - cat.shape[0] : 460, 20:340] = cat
    astro = resized("astronaut", 240)
    canvas[20 : 20 + astro.shape[0], 380:620] = astro
    canvas.setflags(write=False)
    return canvas


def crop_to(image: np.ndarray, box: Sequence[float]) -> np.ndarray:
    """The pixels of xyxy ``box`` (clipped to the image) as ``(h, w, 3)`` uint8."""
    image = check_image(image)
    h, w = image.shape[:2]
    x1, y1 = int(max(0, np.floor(box[0]))), int(max(0, np.floor(box[1])))
    x2, y2 = int(min(w, np.ceil(box[2]))), int(min(h, np.ceil(box[3])))
    if x2 <= x1 or y2 <= y1:
        raise ValueError("This box is empty.")
    return np.ascontiguousarray(image[y1:y2, x1:x2])


# --------------------------------------------------------------------------- sliding windows and proposals


def sliding_window_count(height: int, width: int, window_sizes: Sequence[int] = (64, 128, 256),
                         aspect_ratios: Sequence[float] = (0.5, 1.0, 2.0), stride_fraction: float = 0.25) -> int:
    """How many crops a sliding-window detector classifies: for each square size s and aspect ratio r
    (window s·√r wide, s/√r high) and stride = ``stride_fraction``·s, ``(⌊(W − w)/stride⌋ + 1)·(⌊(H − h)/stride⌋ + 1)``
    positions (windows larger than the image are skipped)."""
    if height < 1 or width < 1:
        raise ValueError("The image must have a positive size.")
    if not 0 < stride_fraction <= 1:
        raise ValueError("The stride must be a fraction of the window between 0 and 1.")
    total = 0
    for s in window_sizes:
        if s < 1:
            raise ValueError("Window sizes must be positive.")
        stride = max(1, round(s * stride_fraction))
        for r in aspect_ratios:
            ww, hh = round(s * r**0.5), round(s / r**0.5)
            if ww > width or hh > height:
                continue
            total += ((width - ww) // stride + 1) * ((height - hh) // stride + 1)
    return total


def sliding_window_boxes(height: int, width: int, size: int = 128, aspect_ratio: float = 1.0,
                         stride_fraction: float = 0.25) -> np.ndarray:
    """Every window of one size and aspect ratio, as ``(N, 4)`` xyxy pixels, row by row; N is the term of
    ``sliding_window_count`` for that size and ratio."""
    if size < 1 or aspect_ratio <= 0:
        raise ValueError("The window size and aspect ratio must be positive.")
    if not 0 < stride_fraction <= 1:
        raise ValueError("The stride must be a fraction of the window between 0 and 1.")
    stride = max(1, round(size * stride_fraction))
    ww, hh = round(size * aspect_ratio**0.5), round(size / aspect_ratio**0.5)
    if ww > width or hh > height:
        return np.zeros((0, 4), np.float32)
    ys, xs = np.meshgrid(np.arange(0, height - hh + 1, stride), np.arange(0, width - ww + 1, stride), indexing="ij")
    x, y = xs.ravel(), ys.ravel()
    return np.column_stack([x, y, x + ww, y + hh]).astype(np.float32)


@dataclass(frozen=True)
class Proposals:
    """Region proposals: ``boxes`` ``(N, 4)`` xyxy pixels of the input image, the method, the time it took."""

    boxes: np.ndarray
    method: str
    seconds: float
    scales: tuple[int, ...]

    @property
    def count(self) -> int:
        return int(len(self.boxes))


def selective_search_available() -> bool:
    """Whether OpenCV's contrib selective search (``cv2.ximgproc``) is installed (not in opencv-python-headless)."""
    import cv2

    return hasattr(cv2, "ximgproc")


def _hierarchical_grouping(seg: np.ndarray, image: np.ndarray) -> np.ndarray:
    """Selective Search's grouping: start from the segments of ``seg`` ``(h, w)`` int labels, repeatedly merge
    the most similar pair of *adjacent* regions (colour-histogram intersection + small size + good fill, each
    in [0, 1], as Uijlings et al.), and return the xyxy box of every region ever formed ``(2N − 1, 4)``."""
    import heapq

    h, w = seg.shape
    _, seg = np.unique(seg, return_inverse=True)
    seg = seg.reshape(h, w)
    n = int(seg.max()) + 1
    flat = seg.ravel()
    ys, xs = np.indices((h, w))
    boxes = np.zeros((n, 4))
    boxes[:, 0] = np.full(n, np.inf)
    boxes[:, 1] = np.full(n, np.inf)
    np.minimum.at(boxes[:, 0], flat, xs.ravel())
    np.minimum.at(boxes[:, 1], flat, ys.ravel())
    boxes[:, 2] = -1
    boxes[:, 3] = -1
    np.maximum.at(boxes[:, 2], flat, xs.ravel() + 1)
    np.maximum.at(boxes[:, 3], flat, ys.ravel() + 1)
    sizes = np.bincount(flat, minlength=n).astype(np.float64)
    bins = np.minimum(image.reshape(-1, 3).astype(np.int64) * 25 // 256, 24)
    hist = np.zeros((n, 75))
    for c in range(3):
        hist[:, c * 25 : (c + 1) * 25] = np.bincount(flat * 25 + bins[:, c], minlength=n * 25).reshape(n, 25)
    hist /= hist.sum(1, keepdims=True)
    pairs = set()
    for a, b in ((seg[:, 1:], seg[:, :-1]), (seg[1:, :], seg[:-1, :])):
        diff = a != b
        lo, hi = np.minimum(a[diff], b[diff]), np.maximum(a[diff], b[diff])
        pairs.update(zip(lo.tolist(), hi.tolist()))
    total = float(h * w)
    regions: dict[int, tuple[np.ndarray, float, np.ndarray]] = {i: (hist[i], sizes[i], boxes[i]) for i in range(n)}
    neighbours: dict[int, set[int]] = {i: set() for i in range(n)}
    for i, j in pairs:
        neighbours[i].add(j)
        neighbours[j].add(i)

    def similarity(i: int, j: int) -> float:
        hi, si, bi = regions[i]
        hj, sj, bj = regions[j]
        colour = float(np.minimum(hi, hj).sum()) / 3.0
        size = 1.0 - (si + sj) / total
        bw = max(bi[2], bj[2]) - min(bi[0], bj[0])
        bh = max(bi[3], bj[3]) - min(bi[1], bj[1])
        fill = 1.0 - (bw * bh - si - sj) / total
        return colour + size + fill

    heap = [(-similarity(i, j), i, j) for i, j in pairs]
    heapq.heapify(heap)
    out = [boxes]
    new_id = n
    merged: list[np.ndarray] = []
    while heap:
        _, i, j = heapq.heappop(heap)
        if i not in regions or j not in regions:
            continue
        hi, si, bi = regions.pop(i)
        hj, sj, bj = regions.pop(j)
        box = np.array([min(bi[0], bj[0]), min(bi[1], bj[1]), max(bi[2], bj[2]), max(bi[3], bj[3])])
        regions[new_id] = ((hi * si + hj * sj) / (si + sj), si + sj, box)
        merged.append(box)
        near = (neighbours.pop(i) | neighbours.pop(j)) - {i, j}
        neighbours[new_id] = near
        for k in near:
            neighbours[k] -= {i, j}
            neighbours[k].add(new_id)
            heapq.heappush(heap, (-similarity(k, new_id), k, new_id))
        new_id += 1
    if merged:
        out.append(np.array(merged))
    return np.concatenate(out)


def region_proposals(image: np.ndarray, scales: Sequence[int] = (50, 100, 200, 400), max_side: int = 320,
                     min_size: int = 20) -> Proposals:
    """"Blobby" regions likely to hold objects, Selective Search style (Uijlings et al., IJCV 2013).

    With OpenCV contrib (``cv2.ximgproc``), OpenCV's Selective Search (fast mode). Otherwise (the
    opencv-python-headless wheel has no ``ximgproc``): Felzenszwalb–Huttenlocher segments (scikit-image) at each
    of ``scales``, in RGB and in HSV, each grouped hierarchically by ``_hierarchical_grouping``; every region
    formed is a proposal. Computed on a copy whose long side is at most ``max_side``; duplicate boxes and boxes
    narrower or shorter than ``min_size`` pixels are dropped. Boxes come back in the input image's pixels."""
    image = check_image(image)
    if not scales or any(s <= 0 for s in scales):
        raise ValueError("Give at least one positive Felzenszwalb scale.")
    t0 = time.perf_counter()
    h, w = image.shape[:2]
    factor = min(1.0, max_side / max(h, w))
    small = image if factor == 1.0 else np.asarray(
        Image.fromarray(image).resize((max(8, round(w * factor)), max(8, round(h * factor))), Image.Resampling.BILINEAR))
    if selective_search_available():  # pragma: no cover - needs opencv-contrib
        import cv2

        ss = cv2.ximgproc.segmentation.createSelectiveSearchSegmentation()
        ss.setBaseImage(small[..., ::-1].copy())
        ss.switchToSelectiveSearchFast()
        rects = ss.process().astype(np.float32)
        boxes = np.column_stack([rects[:, 0], rects[:, 1], rects[:, 0] + rects[:, 2], rects[:, 1] + rects[:, 3]])
        method = "OpenCV Selective Search (fast)"
    else:
        from skimage.segmentation import felzenszwalb

        hsv = np.asarray(Image.fromarray(small).convert("HSV"))
        found: list[np.ndarray] = []
        for space in (small, hsv):
            for k in scales:
                seg = felzenszwalb(space, scale=float(k), sigma=0.8, min_size=max(10, int(k) // 4))
                found.append(_hierarchical_grouping(seg, space))
        boxes = np.unique(np.concatenate(found).round(), axis=0)
        method = (f"Selective Search re-implemented: Felzenszwalb segments (scikit-image) at {len(scales)} scales × "
                  "RGB and HSV, grouped by colour, size and fill similarity")
    boxes = boxes / factor
    keep = ((boxes[:, 2] - boxes[:, 0]) >= min_size) & ((boxes[:, 3] - boxes[:, 1]) >= min_size)
    boxes = boxes[keep]
    boxes[:, [0, 2]] = boxes[:, [0, 2]].clip(0, w)
    boxes[:, [1, 3]] = boxes[:, [1, 3]].clip(0, h)
    return Proposals(boxes.astype(np.float32), method, time.perf_counter() - t0, tuple(int(s) for s in scales))


def draw_proposals(image: np.ndarray, proposals: Proposals | np.ndarray, limit: int = 300, seed: int = 0) -> np.ndarray:
    """Up to ``limit`` boxes (proposals, or any ``(N, 4)`` xyxy array such as sliding windows; a random subset
    chosen with ``seed``) drawn in random colours, 1 px lines."""
    image = check_image(image)
    boxes = proposals.boxes if isinstance(proposals, Proposals) else np.asarray(proposals, np.float32).reshape(-1, 4)
    rng = np.random.default_rng(seed)
    n = len(boxes)
    idx = np.sort(rng.choice(n, size=min(limit, n), replace=False)) if n else np.zeros(0, np.int64)
    colors = [tuple(int(c) for c in rng.integers(40, 256, 3)) for _ in idx]
    return _draw(image, boxes[idx], None, colors, width=1)


# --------------------------------------------------------------------------- YOLO's grid


def yolov3_tiny_heads(net: YoloDetector, input_size: int = 416) -> list[tuple[int, int, int, int]]:
    """YOLOv3-tiny's real output maps at ``input_size``: ``(G, G, anchors, 5 + classes)`` per head, measured by
    a forward pass of the embedded network ``net`` (13×13 and 26×26 cells, 3 anchors, 85 values at 416)."""
    if input_size < 32 or input_size % 32:
        raise ValueError(f"The YOLO input size must be a multiple of 32, got {input_size}.")
    darknet = net.net
    with torch.inference_mode():
        raw = darknet(torch.zeros(1, 3, input_size, input_size, device=next(darknet.parameters()).device))
    return [(int(r.shape[2]), int(r.shape[3]), len(h.anchors), 5 + h.classes) for r, h in zip(raw, darknet.heads)]


def yolo_output_shape(S: int = 7, B: int = 2, C: int = 20) -> tuple[int, int, int]:
    """YOLO v1's output tensor: S × S × (5·B + C); the lecture's S = 7, B = 2, C = 20 gives 7 × 7 × 30."""
    for v, name in ((S, "S"), (B, "B"), (C, "C")):
        if not isinstance(v, int) or v < 1:
            raise ValueError(f"{name} must be a positive whole number, got {v!r}.")
    return (S, S, 5 * B + C)


@dataclass(frozen=True)
class YoloGrid:
    """The S × S grid over a photo: ``figure`` ``(H, W, 3)`` uint8 with grid lines, the cells holding an object's
    centre shaded and the centres dotted; ``cells`` ``(row, col, label)`` responsible for each box."""

    figure: np.ndarray
    S: int
    shape: tuple[int, int, int]
    cells: tuple[tuple[int, int, str], ...]

    @property
    def values(self) -> int:
        return int(np.prod(self.shape))


def yolo_grid(image: np.ndarray, det: Detections | None = None, S: int = 7, B: int = 2, C: int = 20) -> YoloGrid:
    """Draw YOLO's S × S grid on ``image``; with detections, the cell containing each box centre is the one
    "responsible" for predicting that box (YOLO v1's rule)."""
    image = check_image(image)
    shape = yolo_output_shape(S, B, C)
    h, w = image.shape[:2]
    out = image.astype(np.float32)
    cells: list[tuple[int, int, str]] = []
    if det is not None:
        if det.image_size != (h, w):
            raise ValueError("These detections belong to a photo of another size.")
        for b, lab in zip(det.boxes, det.labels):
            cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
            col, row = min(S - 1, int(cx * S / w)), min(S - 1, int(cy * S / h))
            cells.append((row, col, lab))
            ys, ye = round(row * h / S), round((row + 1) * h / S)
            xs, xe = round(col * w / S), round((col + 1) * w / S)
            out[ys:ye, xs:xe] = 0.55 * out[ys:ye, xs:xe] + 0.45 * np.array(_colour(lab), np.float32)
    out = out.astype(np.uint8)
    line = max(1, round(max(h, w) / 400))
    for k in range(1, S):
        x, y = round(k * w / S), round(k * h / S)
        out[:, max(0, x - line // 2) : x - line // 2 + line] = 255
        out[max(0, y - line // 2) : y - line // 2 + line, :] = 255
    if det is not None and len(det):
        r = max(3, round(max(h, w) / 120))
        dots = np.array([[(b[0] + b[2]) / 2 - r, (b[1] + b[3]) / 2 - r, (b[0] + b[2]) / 2 + r, (b[1] + b[3]) / 2 + r]
                         for b in det.boxes], np.float32)
        out = _draw(out, det.boxes, None, [_colour(lab) for lab in det.labels])
        out = _draw(out, dots, None, [(255, 255, 255)] * len(dots), width=1, fill=True)
    return YoloGrid(out, S, shape, tuple(cells))


# --------------------------------------------------------------------------- the R-CNN family


RCNN_FAMILY: tuple[dict[str, Any], ...] = (
    {"method": "R-CNN", "year": 2014, "train_hours": 84.0, "test_seconds": 47.0, "test_seconds_with_proposals": 49.0,
     "note": "~2000 proposals, one ConvNet pass each (VGG-16); 84 h training, 47 s/image (lecture)",
     "source": "lecture; Girshick et al., CVPR 2014"},
    {"method": "SPP-Net", "year": 2014, "train_hours": 25.0, "test_seconds": 2.3, "test_seconds_with_proposals": 4.3,
     "note": "one ConvNet pass per image, spatial pyramid pooling of each proposal",
     "source": "He et al., ECCV 2014, as charted in Girshick, ICCV 2015 (the lecture's bar chart)"},
    {"method": "Fast R-CNN", "year": 2015, "train_hours": 9.5, "test_seconds": 0.32, "test_seconds_with_proposals": 2.3,
     "note": "RoI pooling, trained end to end; 2.3 s with Selective Search included — proposals dominate",
     "source": "Girshick, ICCV 2015 (the lecture's bar chart)"},
    {"method": "Faster R-CNN", "year": 2015, "train_hours": None, "test_seconds": 0.2, "test_seconds_with_proposals": 0.2,
     "note": "a Region Proposal Network replaces Selective Search; 4 losses trained jointly",
     "source": "Ren et al., NIPS 2015 (VGG-16, ~5 fps)"},
    {"method": "YOLO", "year": 2016, "train_hours": None, "test_seconds": 1 / 45, "test_seconds_with_proposals": 1 / 45,
     "note": "no proposals: one network, S×S grid, 7×7×30 output; 45 fps",
     "source": "Redmon et al., CVPR 2016"},
    {"method": "SSD300", "year": 2016, "train_hours": None, "test_seconds": 1 / 59, "test_seconds_with_proposals": 1 / 59,
     "note": "single shot, default boxes on several feature maps; 59 fps",
     "source": "Liu et al., ECCV 2016"},
)
"""Training time (hours) and test time (seconds per image on a GPU of the time; ``test_seconds`` without and
``test_seconds_with_proposals`` with the region-proposal step) of the detectors in the lecture. R-CNN, SPP-Net and
Fast R-CNN figures are those of Fast R-CNN's Table 4 (VGG-16), which the lecture charts."""
