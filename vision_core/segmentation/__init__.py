"""Semantic and instance segmentation on any photo, and the shapes behind FCN and U-Net.

Models (all registered here):

- ``selfie`` / ``selfie_landscape``: MediaPipe selfie segmentation (embedded
  TFLite, 256×256 and 144×256 inputs, RGB in [0, 1], person probability out).
- ``deeplabv3``, ``fcn_resnet50``, ``lraspp``: torchvision, 21 Pascal VOC
  classes, weights downloaded on demand.
- ``maskrcnn``: torchvision Mask R-CNN (COCO instances), downloaded on demand.

Offline, instances come from a clearly labelled substitute: person boxes with
GrabCut inside each box (``grabcut_instances``) or the selfie mask split by the
boxes (``split_mask_by_boxes``); it is never called Mask R-CNN.

Conventions: images ``(H, W, 3)`` uint8 RGB; class maps ``(H, W)`` uint8 class
indices; scores ``(C, H, W)`` float32 probabilities; boxes ``(N, 4)`` float32 xyxy pixels.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import torch

from vision_core.checks import check_image
from vision_core.models import get_model, get_spec
from vision_core.models.segmentation import SELFIE_CLASSES, SEMANTIC_MODELS
from vision_core.models.tflite import TfliteModel
from vision_core.models.transforms import ShorterSideNormalize, Stretch, ToUnitTensor

__all__ = [
    "SELFIE_CLASSES",
    "SEMANTIC_MODELS",
    "InstanceResult",
    "SegmentationResult",
    "ShapeRow",
    "SlidingWindowCost",
    "class_colours",
    "class_shares",
    "colour_mask",
    "fcn_shapes",
    "BOX_SOURCES",
    "grabcut_instances",
    "instance_boxes",
    "instance_overlay",
    "mask_rcnn_instances",
    "overlay",
    "palette",
    "probability_image",
    "segment",
    "sliding_window_cost",
    "split_mask_by_boxes",
    "unet_shapes",
]



@dataclass(frozen=True)
class SegmentationResult:
    """One label per pixel.

    ``class_map`` ``(H, W)`` uint8 indexes ``class_names``; ``scores``
    ``(C, H, W)`` float32 per-class probabilities at the image's size, or None.
    """

    class_map: np.ndarray
    class_names: tuple[str, ...]
    scores: np.ndarray | None
    model: str

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.class_map.shape[0]), int(self.class_map.shape[1])


@dataclass(frozen=True)
class InstanceResult:
    """Object instances: ``masks`` ``(N, H, W)`` bool, ``boxes`` ``(N, 4)`` xyxy, ``labels``, ``scores`` ``(N,)``.

    ``method`` names how they were made; ``substitute`` is True for the offline
    stand-in (never Mask R-CNN).
    """

    masks: np.ndarray
    boxes: np.ndarray
    labels: tuple[str, ...]
    scores: np.ndarray
    method: str
    substitute: bool

    def __len__(self) -> int:
        return int(self.masks.shape[0])


def _selfie_scores(image: np.ndarray, net: TfliteModel) -> np.ndarray:
    """``(2, H, W)`` float32: background and person probability (the net's sigmoid output, bilinear to H×W).

    The photo is stretched to the input bilinearly, as MediaPipe's ``ImageToTensorCalculator`` does.
    """
    h, w = image.shape[:2]
    ih, iw = net.input_hw
    small = Stretch(iw, ih, 0.0, 1.0)(image)
    prob = net(small[None])[0][0, :, :, 0]
    scores = np.empty((2, h, w), np.float32)
    cv2.resize(prob, (w, h), dst=scores[1], interpolation=cv2.INTER_LINEAR)
    np.subtract(1.0, scores[1], out=scores[0])
    return scores


@torch.inference_mode()
def _voc_scores(image: np.ndarray, net: torch.nn.Module, spec_pre: ShorterSideNormalize) -> np.ndarray:
    """Softmax ``(21, H, W)`` float32 of a torchvision VOC segmenter at the photo's size."""
    h, w = image.shape[:2]
    x = spec_pre(image, next(net.parameters()).device)
    logits = net(x)["out"]
    logits = torch.nn.functional.interpolate(logits, size=(h, w), mode="bilinear", align_corners=False)
    return torch.softmax(logits[0], dim=0).float().cpu().numpy()


def segment(image: np.ndarray, model: str = "selfie", *, net: Any | None = None, threshold: float = 0.5) -> SegmentationResult:
    """Label every pixel of ``image`` with ``model`` (one of ``SEMANTIC_MODELS``).

    ``net`` is the loaded model (``get_model(model)``, or the UI's shared copy);
    when None it is loaded here, which is slow: pass it when calling repeatedly.
    For the selfie models a pixel is "person" when its probability is above
    ``threshold``; VOC models take the argmax of the 21 class probabilities.
    """
    image = check_image(image)
    if model not in SEMANTIC_MODELS:
        raise ValueError(f"Unknown segmentation model {model!r}; choose one of {', '.join(SEMANTIC_MODELS)}.")
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"The threshold must be between 0 and 1 (exclusive), got {threshold}.")
    if net is None:
        net = get_model(model)
    if model.startswith("selfie"):
        scores = _selfie_scores(image, net)
        return SegmentationResult((scores[1] > threshold).view(np.uint8), SELFIE_CLASSES, scores, model)
    scores = _voc_scores(image, net, get_spec(model).preprocessing)
    return SegmentationResult(scores.argmax(0).astype(np.uint8), get_spec(model).classes, scores, model)


def palette(n: int) -> np.ndarray:
    """The Pascal VOC colour map: ``(n, 3)`` uint8, class 0 black, 1 dark red, 15 (person) pinkish."""
    out = np.zeros((n, 3), dtype=np.uint8)
    for i in range(n):
        c, r, g, b = i, 0, 0, 0
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        out[i] = (r, g, b)
    return out


def class_colours(result: SegmentationResult) -> np.ndarray:
    """``(C, 3)`` uint8 colour of each class: VOC's colour map, or black / pink for the selfie model."""
    if result.class_names == SELFIE_CLASSES:
        return np.array([[0, 0, 0], [255, 64, 160]], dtype=np.uint8)
    return palette(len(result.class_names))


def colour_mask(result: SegmentationResult) -> np.ndarray:
    """The class map painted with the model's colours: ``(H, W, 3)`` uint8."""
    return class_colours(result)[result.class_map]


def overlay(image: np.ndarray, result: SegmentationResult, alpha: float = 0.5) -> np.ndarray:
    """The photo with every non-background class painted over it (``draw_segmentation_masks``)."""
    from torchvision.utils import draw_segmentation_masks

    image = check_image(image)
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"Opacity must be between 0 and 1, got {alpha}.")
    if result.shape != image.shape[:2]:
        raise ValueError(f"The segmentation is {result.shape}, the image {image.shape[:2]}: they must match.")
    present = [c for c in np.unique(result.class_map).tolist() if c != 0]
    if not present:
        return image.copy()
    cmap = torch.from_numpy(result.class_map)
    masks = torch.stack([cmap == c for c in present])
    colours = [tuple(int(v) for v in class_colours(result)[c]) for c in present]
    img = torch.from_numpy(np.array(image)).permute(2, 0, 1)
    out = draw_segmentation_masks(img, masks, alpha=alpha, colors=colours)
    return out.permute(1, 2, 0).numpy()


def probability_image(result: SegmentationResult, class_name: str) -> np.ndarray:
    """The model's probability of ``class_name`` at every pixel as ``(H, W)`` uint8 (0 = 0.0, 255 = 1.0)."""
    if result.scores is None:
        raise ValueError(f"{result.model} gives no per-class scores.")
    if class_name not in result.class_names:
        raise ValueError(f"{class_name!r} is not one of this model's classes: {', '.join(result.class_names)}.")
    p = result.scores[result.class_names.index(class_name)]
    return np.clip(np.rint(p * 255.0), 0, 255).astype(np.uint8)


def class_shares(result: SegmentationResult) -> dict[str, float]:
    """Share of pixels of each class present, largest first (fractions summing to 1)."""
    counts = np.bincount(result.class_map.ravel(), minlength=len(result.class_names))
    total = counts.sum()
    pairs = [(result.class_names[i], float(c / total)) for i, c in enumerate(counts) if c > 0]
    return dict(sorted(pairs, key=lambda p: -p[1]))


# Instances ------------------------------------------------------------------------------------


@torch.inference_mode()
def mask_rcnn_instances(image: np.ndarray, net: torch.nn.Module, classes: tuple[str, ...],
                        score_threshold: float = 0.5) -> InstanceResult:
    """Mask R-CNN instances above ``score_threshold``; masks are its soft masks > 0.5."""
    image = check_image(image)
    if not 0.0 <= score_threshold <= 1.0:
        raise ValueError(f"The score threshold must be between 0 and 1, got {score_threshold}.")
    device = next(net.parameters()).device
    out = net([ToUnitTensor()(image, device)])[0]
    keep = out["scores"] >= score_threshold
    masks = (out["masks"][keep][:, 0] > 0.5).cpu().numpy()
    labels = tuple(classes[int(i)] if int(i) < len(classes) else str(int(i)) for i in out["labels"][keep].cpu())
    return InstanceResult(masks.astype(bool), out["boxes"][keep].float().cpu().numpy(), labels,
                          out["scores"][keep].float().cpu().numpy(), "Mask R-CNN", False)


def _check_boxes(boxes: np.ndarray, h: int, w: int) -> np.ndarray:
    boxes = np.asarray(boxes, dtype=np.float32).reshape(-1, 4)
    boxes = boxes.copy()
    boxes[:, [0, 2]] = boxes[:, [0, 2]].clip(0, w)
    boxes[:, [1, 3]] = boxes[:, [1, 3]].clip(0, h)
    return boxes


def grabcut_instances(image: np.ndarray, boxes: np.ndarray, labels: tuple[str, ...] | None = None,
                      scores: np.ndarray | None = None, iterations: int = 3, work_side: int = 400) -> InstanceResult:
    """The offline substitute: OpenCV GrabCut inside each box (xyxy pixels), one mask per box.

    GrabCut runs on a copy whose long side is ``work_side`` pixels; masks are
    scaled back to the image. Boxes thinner than 4 working pixels give empty masks.
    """
    image = check_image(image)
    if iterations < 1 or iterations > 10:
        raise ValueError(f"GrabCut iterations must be between 1 and 10, got {iterations}.")
    h, w = image.shape[:2]
    boxes = _check_boxes(boxes, h, w)
    n = len(boxes)
    s = min(1.0, work_side / max(h, w))
    small = cv2.resize(image, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA) if s < 1 else image
    bgr = np.ascontiguousarray(small[..., ::-1])
    sh, sw = bgr.shape[:2]
    masks = np.zeros((n, h, w), dtype=bool)
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        rx0, ry0 = int(math.floor(x0 * s)), int(math.floor(y0 * s))
        rx1, ry1 = min(sw, int(math.ceil(x1 * s))), min(sh, int(math.ceil(y1 * s)))
        if rx1 - rx0 < 4 or ry1 - ry0 < 4:
            continue
        if rx0 <= 0 and ry0 <= 0 and rx1 >= sw and ry1 >= sh:
            rx0, ry0, rx1, ry1 = 1, 1, sw - 1, sh - 1
        gc = np.zeros((sh, sw), np.uint8)
        bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
        cv2.grabCut(bgr, gc, (rx0, ry0, rx1 - rx0, ry1 - ry0), bgd, fgd, iterations, cv2.GC_INIT_WITH_RECT)
        fg = ((gc == cv2.GC_FGD) | (gc == cv2.GC_PR_FGD)).astype(np.uint8)
        masks[i] = cv2.resize(fg, (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)
    labels = tuple(labels) if labels is not None else ("person",) * n
    sc = np.asarray(scores, dtype=np.float32) if scores is not None else np.ones(n, np.float32)
    return InstanceResult(masks, boxes, labels, sc, "boxes + GrabCut (offline substitute)", True)


def split_mask_by_boxes(mask: np.ndarray, boxes: np.ndarray, labels: tuple[str, ...] | None = None,
                        scores: np.ndarray | None = None) -> InstanceResult:
    """The offline substitute: a semantic person mask ``(H, W)`` bool cut into one instance per box.

    A pixel inside several boxes goes to the box whose centre is nearest.
    """
    mask = np.asarray(mask, dtype=bool)
    if mask.ndim != 2:
        raise ValueError(f"The mask must be (H, W), got shape {mask.shape}.")
    h, w = mask.shape
    boxes = _check_boxes(boxes, h, w)
    n = len(boxes)
    yy, xx = np.mgrid[0:h, 0:w]
    owner = np.full((h, w), -1, np.int64)
    best = np.full((h, w), np.inf)
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        inside = (xx >= x0) & (xx < x1) & (yy >= y0) & (yy < y1)
        d = (xx - (x0 + x1) / 2) ** 2 + (yy - (y0 + y1) / 2) ** 2
        take = inside & (d < best)
        owner[take], best[take] = i, d[take]
    masks = np.stack([mask & (owner == i) for i in range(n)]) if n else np.zeros((0, h, w), bool)
    labels = tuple(labels) if labels is not None else ("person",) * n
    sc = np.asarray(scores, dtype=np.float32) if scores is not None else np.ones(n, np.float32)
    return InstanceResult(masks, boxes, labels, sc, "selfie mask split by person boxes (offline substitute)", True)


BOX_SOURCES: tuple[str, ...] = ("BlazePose", "YOLOv3-tiny")


def instance_boxes(image: np.ndarray, source: str = "BlazePose", *, blazepose_net: Any | None = None,
                   score_threshold: float = 0.3, max_boxes: int = 5) -> tuple[np.ndarray, tuple[str, ...], np.ndarray]:
    """Boxes for the offline instance substitute: ``(boxes (N, 4) xyxy, labels, scores (N,))``.

    ``"BlazePose"``: one box per person around the landmarks with visibility
    ≥ 0.3 and the estimated head top, widened by 10 % each side.
    ``"YOLOv3-tiny"``: every object of the embedded detector of the detection
    page (``vision_core.detection.detect``); ``ValueError`` when it is not available.
    """
    from vision_core.pose import estimate_pose, to_joints14

    image = check_image(image)
    if source not in BOX_SOURCES:
        raise ValueError(f"Unknown box source {source!r}; choose one of {', '.join(BOX_SOURCES)}.")
    h, w = image.shape[:2]
    if source == "BlazePose":
        poses = estimate_pose(image, "blazepose", net=blazepose_net, max_people=max_boxes)
        rows, scores = [], []
        for pose in poses:
            pts = np.array([[k.x, k.y] for k in pose.keypoints if k.score >= 0.3]
                           + [[j.x, j.y] for j in to_joints14(pose)[13:] if j.score >= 0.3], np.float32)
            if len(pts) < 3:
                continue
            (x0, y0), (x1, y1) = pts.min(0), pts.max(0)
            mx, my = 0.1 * (x1 - x0), 0.1 * (y1 - y0)
            rows.append([max(0, x0 - mx), max(0, y0 - my), min(w, x1 + mx), min(h, y1 + my)])
            scores.append(pose.score)
        boxes = np.array(rows, np.float32).reshape(-1, 4)
        return boxes, ("person",) * len(boxes), np.array(scores, np.float32)
    try:
        from vision_core.detection import detect
    except ImportError as exc:
        raise ValueError(f"The YOLOv3-tiny detector is not part of this installation ({exc}).") from None
    try:
        det = detect(image, "yolov3_tiny", score_threshold=score_threshold)
    except (FileNotFoundError, KeyError) as exc:
        raise ValueError(f"YOLOv3-tiny is not available on this machine: {exc}") from None
    n = min(len(det.labels), max_boxes)
    return (np.asarray(det.boxes, np.float32).reshape(-1, 4)[:n], tuple(det.labels[:n]),
            np.asarray(det.scores, np.float32)[:n])


_INSTANCE_COLOURS = ((230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48),
                     (145, 30, 180), (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212))


def instance_overlay(image: np.ndarray, result: InstanceResult, alpha: float = 0.5) -> np.ndarray:
    """Each instance in its own colour, with its box and label (``draw_segmentation_masks`` + boxes)."""
    from torchvision.utils import draw_bounding_boxes, draw_segmentation_masks

    image = check_image(image)
    img = torch.from_numpy(np.array(image)).permute(2, 0, 1)
    if len(result) == 0:
        return image.copy()
    colours = [_INSTANCE_COLOURS[i % len(_INSTANCE_COLOURS)] for i in range(len(result))]
    img = draw_segmentation_masks(img, torch.from_numpy(result.masks), alpha=alpha, colors=colours)
    names = [f"{lab} {s:.2f}" if not result.substitute else f"{lab} #{i + 1}"
             for i, (lab, s) in enumerate(zip(result.labels, result.scores))]
    width = max(2, round(max(image.shape[:2]) / 300))
    img = draw_bounding_boxes(img, torch.from_numpy(result.boxes), labels=names, colors=colours, width=width)
    return img.permute(1, 2, 0).numpy()


# The ideas: sliding windows, FCN and U-Net shapes -----------------------------------------------


@dataclass(frozen=True)
class SlidingWindowCost:
    """Per-pixel classification with a ``patch``×``patch`` window (stride 1, zero padding).

    ``windows`` = H·W CNN runs; ``pixel_reads`` = windows · patch² (every pixel is
    read patch² times); an FCN reads each pixel once, in one forward pass.
    """

    height: int
    width: int
    patch: int
    windows: int
    pixel_reads: int
    redundancy: int


def sliding_window_cost(height: int, width: int, patch: int = 64) -> SlidingWindowCost:
    """How wasteful the per-pixel sliding window of the lecture is for an ``height``×``width`` photo."""
    if height < 1 or width < 1:
        raise ValueError(f"The image size must be positive, got {height}×{width}.")
    if patch < 1 or patch > 1024:
        raise ValueError(f"The patch size must be between 1 and 1024 pixels, got {patch}.")
    windows = height * width
    return SlidingWindowCost(height, width, patch, windows, windows * patch * patch, patch * patch)


@dataclass(frozen=True)
class ShapeRow:
    """One feature map: ``stage`` name, ``channels``, ``height``, ``width``; ``skip`` names the stage it joins."""

    stage: str
    channels: int
    height: int
    width: int
    skip: str = ""


def fcn_shapes(height: int, width: int, num_classes: int = 21) -> list[ShapeRow]:
    """FCN-32s on VGG-16 (Long et al. 2015): five 2× poolings, fc6/fc7 as convolutions, one 32× upsampling.

    Poolings halve with floor (``H // 2``), as torchvision's VGG-16 does; the
    final transposed convolution returns to ``height``×``width``.
    """
    if height < 32 or width < 32:
        raise ValueError(f"FCN-32s needs at least 32×32 pixels (five 2× poolings), got {height}×{width}.")
    rows = [ShapeRow("input", 3, height, width)]
    h, w = height, width
    for i, c in enumerate((64, 128, 256, 512, 512), start=1):
        h, w = h // 2, w // 2
        rows.append(ShapeRow(f"conv block {i} + pool (÷{2 ** i})", c, h, w))
    rows.append(ShapeRow("fc6 as 7×7 conv (padding 3)", 4096, h, w))
    rows.append(ShapeRow("fc7 as 1×1 conv", 4096, h, w))
    rows.append(ShapeRow("score: 1×1 conv to classes", num_classes, h, w))
    rows.append(ShapeRow("upsample ×32 (transposed conv)", num_classes, height, width))
    return rows


def unet_shapes(height: int, width: int, padding: str = "valid", base: int = 64, depth: int = 4) -> list[ShapeRow]:
    """U-Net (Ronneberger et al. 2015): ``depth`` down steps (two 3×3 convs, 2×2 max-pool), then up.

    ``padding="valid"`` is the paper's unpadded 3×3 convs (572×572 → 388×388);
    ``"same"`` keeps sizes so the output equals the input. Every up step joins
    the encoder map of the same level (copy and crop), listed in ``skip``.
    """
    if padding not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}.")
    shrink = 2 if padding == "valid" else 0
    rows = [ShapeRow("input", 3, height, width)]
    h, w = height, width
    enc: list[tuple[str, int, int]] = []
    for level in range(depth + 1):
        c = base * 2 ** level
        h, w = h - 2 * shrink, w - 2 * shrink
        if h < 1 or w < 1:
            raise ValueError(f"{height}×{width} is too small for a U-Net of depth {depth} with {padding} convolutions.")
        name = f"encoder {level + 1}: two 3×3 convs" if level < depth else "bottleneck: two 3×3 convs"
        rows.append(ShapeRow(name, c, h, w))
        if level < depth:
            enc.append((name, h, w))
            if h % 2 or w % 2:
                raise ValueError(f"{height}×{width} gives an odd size {h}×{w} before pooling; pick a size that divides evenly.")
            h, w = h // 2, w // 2
            rows.append(ShapeRow(f"max-pool 2×2 (level {level + 2})", c, h, w))
    for level in range(depth - 1, -1, -1):
        c = base * 2 ** level
        h, w = h * 2, w * 2
        name, eh, ew = enc[level]
        rows.append(ShapeRow(f"up-conv 2×2, concat copy of {name.split(':')[0]}", 2 * c, h, w, skip=f"{name.split(':')[0]} ({eh}×{ew}, cropped to {h}×{w})"))
        h, w = h - 2 * shrink, w - 2 * shrink
        rows.append(ShapeRow("two 3×3 convs", c, h, w))
    rows.append(ShapeRow("1×1 conv to classes", 2, h, w))
    return rows

