"""Human pose and face keypoints: BlazePose (33 landmarks), MTCNN faces (5 landmarks), face mesh, Keypoint R-CNN.

- ``blazepose``: MediaPipe's two TFLite nets run by hand. The person detector
  takes a 224×224 letterboxed input in [-1, 1] and regresses 2254 SSD anchors
  (12 numbers each: box centre and size, four keypoints: mid-hip, full-body
  scale point, mid-shoulder, upper-body scale point). The box around mid-hip
  with radius |mid-hip − scale point|, ×1.25, rotated so the body points up,
  is cut out at 256×256 in [0, 1]; the landmark net returns 39 points
  (x, y, z, visibility, presence), of which the first 33 are the body.
- ``mtcnn``: Zhang et al.'s cascade (P-Net, R-Net, O-Net) re-implemented in
  torch with facenet-pytorch's layer names; the embedded state_dicts load with
  ``weights_only=True``.
- ``face_mesh``: MediaPipe face mesh, 468 points from a 192×192 crop around a face.
- ``keypointrcnn``: torchvision Keypoint R-CNN, 17 COCO keypoints, downloaded on demand.

The lecture (DeepPose, Toshev & Szegedy 2014) uses 14 joints: ``to_joints14``
maps 33 BlazePose or 17 COCO points onto them.

Coordinates are pixels of the input image, x right, y down; "left"/"right"
are the person's own sides.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import torch
from torch import nn

from vision_core.checks import check_image
from vision_core.models import get_model, get_spec
from vision_core.models.mtcnn import MTCNN
from vision_core.models.pose import BLAZEPOSE_NAMES, FACE_LANDMARK_NAMES, BlazePose
from vision_core.models.tflite import TfliteModel

__all__ = [
    "BLAZEPOSE_CONNECTIONS",
    "BLAZEPOSE_NAMES",
    "COCO_CONNECTIONS",
    "COCO_NAMES",
    "FACE_LANDMARK_NAMES",
    "JOINTS14",
    "JOINTS14_CONNECTIONS",
    "POSE_MODELS",
    "BlazePose",
    "Face",
    "Joint",
    "Keypoint",
    "MTCNN",
    "PersonDetection",
    "Pose",
    "detect_faces",
    "detect_people",
    "draw_faces",
    "draw_joints14",
    "draw_poses",
    "estimate_pose",
    "face_mesh",
    "joints_csv",
    "to_joints14",
]

POSE_MODELS: tuple[str, ...] = ("blazepose", "keypointrcnn")

BLAZEPOSE_CONNECTIONS: tuple[tuple[int, int], ...] = (
    (0, 1), (1, 2), (2, 3), (3, 7), (0, 4), (4, 5), (5, 6), (6, 8), (9, 10), (11, 12), (11, 13), (13, 15),
    (15, 17), (15, 19), (15, 21), (17, 19), (12, 14), (14, 16), (16, 18), (16, 20), (16, 22), (18, 20),
    (11, 23), (12, 24), (23, 24), (23, 25), (24, 26), (25, 27), (26, 28), (27, 29), (28, 30), (29, 31),
    (30, 32), (27, 31), (28, 32),
)
COCO_NAMES: tuple[str, ...] = (
    "nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder", "left_elbow",
    "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle",
    "right_ankle",
)
COCO_CONNECTIONS: tuple[tuple[int, int], ...] = (
    (15, 13), (13, 11), (16, 14), (14, 12), (11, 12), (5, 11), (6, 12), (5, 6), (5, 7), (6, 8), (7, 9), (8, 10),
    (1, 2), (0, 1), (0, 2), (1, 3), (2, 4), (3, 5), (4, 6),
)
JOINTS14: tuple[tuple[str, str], ...] = (
    ("right foot", "right_ankle"),
    ("right knee", "right_knee"),
    ("right hip", "right_hip"),
    ("left hip", "left_hip"),
    ("left knee", "left_knee"),
    ("left foot", "left_ankle"),
    ("right hand", "right_wrist"),
    ("right elbow", "right_elbow"),
    ("right shoulder", "right_shoulder"),
    ("left shoulder", "left_shoulder"),
    ("left elbow", "left_elbow"),
    ("left hand", "left_wrist"),
    ("neck", "midpoint of left_shoulder and right_shoulder"),
    ("head top", "neck + 1.6 × (midpoint of the eyes − neck), estimated"),
)
"""The lecture's 14 joints (Leeds Sports Pose order, as in DeepPose) and where each comes from."""

JOINTS14_CONNECTIONS: tuple[tuple[int, int], ...] = (
    (0, 1), (1, 2), (3, 4), (4, 5), (2, 3), (6, 7), (7, 8), (9, 10), (10, 11), (8, 12), (9, 12), (12, 13),
    (2, 8), (3, 9),
)


@dataclass(frozen=True)
class Keypoint:
    """One named point: pixel ``x``, ``y``; ``score`` in [0, 1] (visibility or confidence)."""

    name: str
    x: float
    y: float
    score: float


@dataclass(frozen=True)
class Pose:
    """One person: ``keypoints`` in the model's order, ``box`` xyxy pixels, ``score``, ``model``.

    BlazePose: ``box`` is the person detector's own box (small, near the head; MediaPipe
    crops from the detector's keypoints, not from this box) and ``score`` the lower of
    the detector's score and the landmark net's pose-presence flag. Keypoint R-CNN:
    its person box and score.
    """

    keypoints: tuple[Keypoint, ...]
    box: tuple[float, float, float, float]
    score: float
    model: str

    def get(self, name: str) -> Keypoint:
        """The keypoint called ``name`` (``KeyError`` lists the names)."""
        for k in self.keypoints:
            if k.name == name:
                return k
        raise KeyError(f"No keypoint {name!r}; this pose has {', '.join(k.name for k in self.keypoints)}.")

    def xy(self) -> np.ndarray:
        """``(K, 2)`` float32 pixel coordinates."""
        return np.array([[k.x, k.y] for k in self.keypoints], dtype=np.float32).reshape(-1, 2)

    def scores(self) -> np.ndarray:
        """``(K,)`` float32 scores."""
        return np.array([k.score for k in self.keypoints], dtype=np.float32)


@dataclass(frozen=True)
class PersonDetection:
    """BlazePose's person detector output: ``box`` xyxy pixels, ``score``, ``keypoints`` ``(4, 2)`` pixels
    (mid-hip, full-body scale point, mid-shoulder, upper-body scale point)."""

    box: tuple[float, float, float, float]
    score: float
    keypoints: np.ndarray


@dataclass(frozen=True)
class Face:
    """An MTCNN face: ``box`` xyxy pixels, ``score`` (O-Net face probability), ``landmarks`` ``(5, 2)`` pixels
    in ``FACE_LANDMARK_NAMES`` order."""

    box: tuple[float, float, float, float]
    score: float
    landmarks: np.ndarray


@dataclass(frozen=True)
class Joint:
    """One of the lecture's 14 joints: ``name``, pixel ``x``, ``y``, ``score``, and ``source`` (how it was made)."""

    name: str
    x: float
    y: float
    score: float
    source: str


# BlazePose ----------------------------------------------------------------------------------------

def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -80.0, 80.0)))


def _letterbox(image: np.ndarray, size: int) -> tuple[np.ndarray, float, float, float]:
    """Fit ``image`` into ``size``×``size`` keeping its aspect (zero borders, bilinear as MediaPipe):
    (canvas, scale, pad_x, pad_y)."""
    h, w = image.shape[:2]
    scale = size / max(h, w)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    canvas = np.zeros((size, size, 3), np.uint8)
    px, py = (size - nw) // 2, (size - nh) // 2
    canvas[py:py + nh, px:px + nw] = cv2.resize(image, (nw, nh), interpolation=cv2.INTER_LINEAR)
    return canvas, scale, float(px), float(py)


def _iou_one(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    x0 = np.maximum(box[0], boxes[:, 0])
    y0 = np.maximum(box[1], boxes[:, 1])
    x1 = np.minimum(box[2], boxes[:, 2])
    y1 = np.minimum(box[3], boxes[:, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
    area = (box[2] - box[0]) * (box[3] - box[1])
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    return inter / np.maximum(area + areas - inter, 1e-9)


def _weighted_nms(boxes: np.ndarray, scores: np.ndarray, extra: np.ndarray, iou: float) -> list[tuple[np.ndarray, float, np.ndarray]]:
    """MediaPipe's WEIGHTED non-maximum suppression: overlapping boxes (IoU > ``iou``) are averaged by score."""
    order = np.argsort(-scores)
    boxes, scores, extra = boxes[order], scores[order], extra[order]
    alive = np.ones(len(boxes), bool)
    out = []
    for i in range(len(boxes)):
        if not alive[i]:
            continue
        group = alive & (_iou_one(boxes[i], boxes) > iou)
        group[i] = True
        wts = scores[group][:, None]
        out.append(((boxes[group] * wts).sum(0) / wts.sum(), float(scores[i]), (extra[group] * wts).sum(0) / wts.sum()))
        alive &= ~group
    return out


def detect_people(image: np.ndarray, net: BlazePose | None = None, min_score: float = 0.5,
                  max_people: int = 5) -> list[PersonDetection]:
    """BlazePose's person detector: people sorted by score (at most ``max_people``).

    Decodes the 2254 anchors (MediaPipe's ``TensorsToDetectionsCalculator``:
    sigmoid scores, offsets in input pixels / 224 around each anchor centre),
    merges them with weighted NMS at IoU 0.3 and removes the letterbox.
    """
    image = check_image(image)
    if not 0.0 < min_score < 1.0:
        raise ValueError(f"min_score must be between 0 and 1, got {min_score}.")
    if net is None:
        net = get_model("blazepose")
    return _detect_people(image, net, min_score, max_people)


def _detect_people(image: np.ndarray, net: BlazePose, min_score: float, max_people: int) -> list[PersonDetection]:
    h, w = image.shape[:2]
    size = net.detector.input_hw[0]
    canvas, scale, px, py = _letterbox(image, size)
    x = canvas.astype(np.float32) * (1.0 / 127.5) - 1.0
    out = net.detector(x[None])
    raw = next(o for o in out if o.shape[-1] == 12)[0]
    logits = next(o for o in out if o.shape[-1] == 1)[0, :, 0]
    keep = _sigmoid(logits) > min_score
    if not keep.any():
        return []
    raw, scores, anchors = raw[keep], _sigmoid(logits[keep]), net.anchors[keep]
    cx = raw[:, 0] / size + anchors[:, 0]
    cy = raw[:, 1] / size + anchors[:, 1]
    bw, bh = raw[:, 2] / size, raw[:, 3] / size
    boxes = np.stack([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], 1)
    kps = raw[:, 4:12].reshape(-1, 4, 2) / size + anchors[:, None, :2]
    people = []
    for box, score, kp in _weighted_nms(boxes, scores, kps.reshape(len(kps), -1), 0.3)[:max_people]:
        b = (box * size - np.array([px, py, px, py])) / scale
        b = np.clip(b, 0, [w, h, w, h])
        k = (kp.reshape(4, 2) * size - np.array([px, py])) / scale
        people.append(PersonDetection(tuple(float(v) for v in b), score, k.astype(np.float32)))
    return people


def _rotated_crop_matrix(cx: float, cy: float, size: float, angle: float, out: int) -> np.ndarray:
    """2×3 affine map from crop pixels (``out``×``out``) to image pixels, for a square of side ``size``
    centred on (``cx``, ``cy``) and rotated by ``angle`` radians (MediaPipe's convention)."""
    c, s = math.cos(angle), math.sin(angle)
    k = size / out
    return np.array([[c * k, -s * k, cx - c * size / 2 + s * size / 2],
                     [s * k, c * k, cy - s * size / 2 - c * size / 2]], dtype=np.float64)


def _crop(image: np.ndarray, m: np.ndarray, out: int) -> np.ndarray:
    return cv2.warpAffine(image, m, (out, out), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))


def _landmarks_for(image: np.ndarray, net: BlazePose, person: PersonDetection) -> Pose:
    (x0, y0), (x1, y1) = person.keypoints[0], person.keypoints[1]
    size = 2.0 * math.hypot(x1 - x0, y1 - y0) * 1.25
    angle = math.pi / 2 - math.atan2(-(y1 - y0), x1 - x0)
    angle = angle - 2 * math.pi * math.floor((angle + math.pi) / (2 * math.pi))
    side = net.landmarks.input_hw[0]
    m = _rotated_crop_matrix(float(x0), float(y0), max(size, 1.0), angle, side)
    crop = _crop(image, m, side).astype(np.float32) * (1.0 / 255.0)
    outs = net.landmarks(crop[None])
    raw = next(o for o in outs if o.shape == (1, 195))[0].reshape(39, 5)[:33]
    flag = float(next(o for o in outs if o.shape == (1, 1))[0, 0])
    pts = np.c_[raw[:, :2], np.ones(33)] @ m.T
    vis = _sigmoid(raw[:, 3])
    kps = tuple(Keypoint(n, float(p[0]), float(p[1]), float(v)) for n, p, v in zip(BLAZEPOSE_NAMES, pts, vis))
    return Pose(kps, person.box, float(min(person.score, flag)), "blazepose")


def _blazepose(image: np.ndarray, net: BlazePose, min_score: float, max_people: int) -> list[Pose]:
    return [_landmarks_for(image, net, p) for p in _detect_people(image, net, min_score, max_people)]


@torch.inference_mode()
def _keypoint_rcnn(image: np.ndarray, net: nn.Module, min_score: float, max_people: int) -> list[Pose]:
    device = next(net.parameters()).device
    x = torch.from_numpy(np.array(image)).permute(2, 0, 1).to(device).float().div_(255.0)
    out = net([x])[0]
    names = tuple(get_spec("keypointrcnn").weights.resolve().meta.get("keypoint_names") or COCO_NAMES)
    poses = []
    for i in range(min(len(out["scores"]), max_people)):
        score = float(out["scores"][i])
        if score < min_score:
            continue
        kp = out["keypoints"][i].float().cpu().numpy()
        ks = torch.sigmoid(out["keypoints_scores"][i].float()).cpu().numpy()
        kps = tuple(Keypoint(n, float(p[0]), float(p[1]), float(s)) for n, p, s in zip(names, kp, ks))
        poses.append(Pose(kps, tuple(float(v) for v in out["boxes"][i].cpu()), score, "keypointrcnn"))
    return poses


def estimate_pose(image: np.ndarray, model: str = "blazepose", *, net: Any | None = None, min_score: float = 0.5,
                  max_people: int = 1) -> list[Pose]:
    """Pose of up to ``max_people`` people found with score ≥ ``min_score``, best first.

    ``model``: ``"blazepose"`` (33 landmarks, scores = visibility) or
    ``"keypointrcnn"`` (17 COCO keypoints, scores = sigmoid of the keypoint
    logits). ``net`` is the loaded model; None loads it here (slow).
    """
    image = check_image(image)
    if model not in POSE_MODELS:
        raise ValueError(f"Unknown pose model {model!r}; choose one of {', '.join(POSE_MODELS)}.")
    if not 0.0 < min_score < 1.0:
        raise ValueError(f"min_score must be between 0 and 1, got {min_score}.")
    if not 1 <= max_people <= 20:
        raise ValueError(f"max_people must be between 1 and 20, got {max_people}.")
    if net is None:
        net = get_model(model)
    if model == "blazepose":
        return _blazepose(image, net, min_score, max_people)
    return _keypoint_rcnn(image, net, min_score, max_people)


# MTCNN --------------------------------------------------------------------------------------------


def _rerec(b: torch.Tensor) -> torch.Tensor:
    """Boxes (N, ≥4) xyxy made square around their centre (side = the longer side)."""
    b = b.clone()
    h, w = b[:, 3] - b[:, 1], b[:, 2] - b[:, 0]
    side = torch.maximum(w, h)
    b[:, 0] = b[:, 0] + w * 0.5 - side * 0.5
    b[:, 1] = b[:, 1] + h * 0.5 - side * 0.5
    b[:, 2] = b[:, 0] + side
    b[:, 3] = b[:, 1] + side
    return b


def _bbreg(b: torch.Tensor, reg: torch.Tensor) -> torch.Tensor:
    b = b.clone()
    w, h = b[:, 2] - b[:, 0] + 1, b[:, 3] - b[:, 1] + 1
    b[:, 0] += reg[:, 0] * w
    b[:, 1] += reg[:, 1] * h
    b[:, 2] += reg[:, 2] * w
    b[:, 3] += reg[:, 3] * h
    return b


def _crops(img: np.ndarray, boxes: torch.Tensor, size: int, device: torch.device) -> torch.Tensor:
    """(N, 3, size, size) normalised crops of ``img`` (H, W, 3) float32 0–255 at integer, clipped boxes (area resize)."""
    h, w = img.shape[:2]
    bi = boxes[:, :4].trunc().int().cpu().numpy()
    x0, y0 = np.maximum(bi[:, 0], 1), np.maximum(bi[:, 1], 1)
    x1, y1 = np.minimum(bi[:, 2], w), np.minimum(bi[:, 3], h)
    out = np.zeros((len(bi), size, size, 3), np.float32)
    for k in range(len(bi)):
        if x1[k] > x0[k] - 1 and y1[k] > y0[k] - 1:
            patch = img[y0[k] - 1:y1[k], x0[k] - 1:x1[k]]
            out[k] = cv2.resize(patch, (size, size), interpolation=cv2.INTER_AREA)
    return torch.from_numpy((out - 127.5) * 0.0078125).permute(0, 3, 1, 2).to(device)


def _nms_min(boxes: np.ndarray, scores: np.ndarray, threshold: float) -> list[int]:
    """NMS where overlap = intersection / smaller area (MTCNN's last step)."""
    order = np.argsort(-scores)
    keep: list[int] = []
    while order.size:
        i = order[0]
        keep.append(int(i))
        rest = order[1:]
        xx0 = np.maximum(boxes[i, 0], boxes[rest, 0])
        yy0 = np.maximum(boxes[i, 1], boxes[rest, 1])
        xx1 = np.minimum(boxes[i, 2], boxes[rest, 2])
        yy1 = np.minimum(boxes[i, 3], boxes[rest, 3])
        inter = np.clip(xx1 - xx0 + 1, 0, None) * np.clip(yy1 - yy0 + 1, 0, None)
        area = (boxes[:, 2] - boxes[:, 0] + 1) * (boxes[:, 3] - boxes[:, 1] + 1)
        overlap = inter / np.minimum(area[i], area[rest])
        order = rest[overlap <= threshold]
    return keep


@torch.inference_mode()
def detect_faces(image: np.ndarray, net: MTCNN | None = None, min_face: int = 20,
                 thresholds: tuple[float, float, float] = (0.6, 0.7, 0.7), factor: float = 0.709,
                 max_side: int = 1024) -> list[Face]:
    """Faces found by the MTCNN cascade, best first.

    The image pyramid starts at scale 12 / ``min_face`` and shrinks by
    ``factor`` while the short side stays ≥ 12 pixels. P-Net proposes 12×12
    windows (stride 2) above ``thresholds[0]``; R-Net (24×24) and O-Net (48×48)
    re-score and refine them; O-Net also gives 5 landmarks. Pixels are
    normalised as (v − 127.5) / 128, as in facenet-pytorch. Photos whose long
    side exceeds ``max_side`` are searched on a copy scaled down to it (faces
    then need ``min_face`` pixels at that size); boxes come back in the input's pixels.
    """
    image = check_image(image)
    if not 12 <= min_face <= 1000:
        raise ValueError(f"The smallest face must be between 12 and 1000 pixels, got {min_face}.")
    if not 0.3 <= factor <= 0.95:
        raise ValueError(f"The pyramid factor must be between 0.3 and 0.95, got {factor}.")
    if max_side < 64:
        raise ValueError(f"max_side must be at least 64 pixels, got {max_side}.")
    if net is None:
        net = get_model("mtcnn")
    h0, w0 = image.shape[:2]
    shrink = min(1.0, max_side / max(h0, w0))
    work = image if shrink == 1.0 else cv2.resize(
        image, (max(1, round(w0 * shrink)), max(1, round(h0 * shrink))), interpolation=cv2.INTER_AREA)
    faces = _mtcnn(work, net, min_face, thresholds, factor)
    if shrink == 1.0:
        return faces
    return [Face(tuple(float(v / shrink) for v in f.box), f.score, f.landmarks / shrink) for f in faces]


def _mtcnn(image: np.ndarray, net: MTCNN, min_face: int, thresholds: tuple[float, float, float],
           factor: float) -> list[Face]:
    from torchvision.ops import nms

    device = next(net.parameters()).device
    img = image.astype(np.float32)
    h, w = image.shape[:2]
    m = 12.0 / min_face
    minl = min(h, w) * m
    scales = []
    s = m
    while minl >= 12:
        scales.append(s)
        s *= factor
        minl *= factor
    found = []
    for scale in scales:
        data = cv2.resize(img, (int(w * scale + 1), int(h * scale + 1)), interpolation=cv2.INTER_AREA)
        data = torch.from_numpy((data - 127.5) * 0.0078125).permute(2, 0, 1)[None].to(device)
        reg, prob = net.pnet(data)
        p = prob[0, 1]
        mask = p >= thresholds[0]
        if not mask.any():
            continue
        idx = mask.nonzero()
        r = reg[0][:, mask].T
        yx = idx.float().flip(1)
        q1 = ((2 * yx + 1) / scale).floor()
        q2 = ((2 * yx + 12) / scale).floor()
        boxes = torch.cat([q1, q2, p[mask][:, None], r], 1)
        found.append(boxes[nms(boxes[:, :4], boxes[:, 4], 0.5)])
    if not found:
        return []
    boxes = torch.cat(found)
    boxes = boxes[nms(boxes[:, :4], boxes[:, 4], 0.7)]
    bw, bh = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    boxes = torch.stack([boxes[:, 0] + boxes[:, 5] * bw, boxes[:, 1] + boxes[:, 6] * bh,
                         boxes[:, 2] + boxes[:, 7] * bw, boxes[:, 3] + boxes[:, 8] * bh, boxes[:, 4]], 1)
    boxes = _rerec(boxes)

    reg, prob = net.rnet(_crops(img, boxes, 24, device))
    keep = prob[:, 1] > thresholds[1]
    boxes = torch.cat([boxes[keep, :4], prob[keep, 1:2]], 1)
    reg = reg[keep]
    pick = nms(boxes[:, :4], boxes[:, 4], 0.7)
    boxes = _rerec(_bbreg(boxes[pick], reg[pick]))
    if len(boxes) == 0:
        return []

    reg, pts, prob = net.onet(_crops(img, boxes, 48, device))
    keep = prob[:, 1] > thresholds[2]
    boxes = torch.cat([boxes[keep, :4], prob[keep, 1:2]], 1)
    reg, pts = reg[keep], pts[keep]
    bw, bh = boxes[:, 2] - boxes[:, 0] + 1, boxes[:, 3] - boxes[:, 1] + 1
    px = bw[:, None] * pts[:, :5] + boxes[:, 0:1] - 1
    py = bh[:, None] * pts[:, 5:10] + boxes[:, 1:2] - 1
    landmarks = torch.stack([px, py], 2)
    boxes = _bbreg(boxes, reg)
    b, lm = boxes.cpu().numpy(), landmarks.cpu().numpy()
    pick = _nms_min(b[:, :4], b[:, 4], 0.7)
    faces = []
    for i in pick:
        box = np.clip(b[i, :4], 0, [w, h, w, h])
        faces.append(Face(tuple(float(v) for v in box), float(b[i, 4]), lm[i].astype(np.float32)))
    return faces


# Face mesh ----------------------------------------------------------------------------------------


def face_mesh(image: np.ndarray, face: Face, net: TfliteModel | None = None) -> tuple[np.ndarray, float]:
    """MediaPipe's 468-point face mesh inside ``face``: (``(468, 3)`` float32 x, y pixels and relative z, face score).

    The crop follows MediaPipe's face landmark ROI: square, 1.5× the face box,
    rotated so the eyes are level, 192×192, values in [0, 1].
    """
    image = check_image(image)
    if net is None:
        net = get_model("face_mesh")
    x0, y0, x1, y1 = face.box
    (ex0, ey0), (ex1, ey1) = face.landmarks[0], face.landmarks[1]
    angle = -math.atan2(-(ey1 - ey0), ex1 - ex0)
    side = net.input_hw[0]
    size = 1.5 * max(x1 - x0, y1 - y0)
    m = _rotated_crop_matrix((x0 + x1) / 2, (y0 + y1) / 2, max(size, 1.0), angle, side)
    crop = _crop(image, m, side).astype(np.float32) * (1.0 / 255.0)
    outs = net(crop[None])
    raw = next(o for o in outs if o.size == 1404).reshape(468, 3)
    score = float(_sigmoid(next(o for o in outs if o.size == 1)).ravel()[0])
    xy = np.c_[raw[:, :2], np.ones(468)] @ m.T
    z = raw[:, 2:3] * (size / side)
    return np.c_[xy, z].astype(np.float32), score


# The lecture's 14 joints ------------------------------------------------------------------------


def to_joints14(pose: Pose) -> list[Joint]:
    """The lecture's 14 joints from a BlazePose (33) or COCO (17) pose, in ``JOINTS14`` order.

    Feet are the ankles, hands the wrists; the neck is the midpoint of the
    shoulders; the head top, which neither model has, is estimated above the
    eyes (neck + 1.6 × (eye midpoint − neck)). Derived joints take the lowest
    score of the points they come from.
    """
    joints = []
    for name, source in JOINTS14[:12]:
        k = pose.get(source)
        joints.append(Joint(name, k.x, k.y, k.score, source))
    ls, rs = pose.get("left_shoulder"), pose.get("right_shoulder")
    neck = np.array([(ls.x + rs.x) / 2, (ls.y + rs.y) / 2])
    neck_score = min(ls.score, rs.score)
    joints.append(Joint("neck", float(neck[0]), float(neck[1]), neck_score, JOINTS14[12][1]))
    le, re = pose.get("left_eye"), pose.get("right_eye")
    eyes = np.array([(le.x + re.x) / 2, (le.y + re.y) / 2])
    top = neck + 1.6 * (eyes - neck)
    joints.append(Joint("head top", float(top[0]), float(top[1]), min(neck_score, le.score, re.score), JOINTS14[13][1]))
    return joints


def joints_csv(poses: list[Pose]) -> str:
    """The 14 joints of every pose as CSV: person, joint, x, y, score, source (pixels, 1 decimal)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["person", "joint", "x", "y", "score", "source"])
    for i, pose in enumerate(poses, start=1):
        for j in to_joints14(pose):
            writer.writerow([i, j.name, f"{j.x:.1f}", f"{j.y:.1f}", f"{j.score:.3f}", j.source])
    return buf.getvalue()


# Drawing ------------------------------------------------------------------------------------------


def _line_width(image: np.ndarray) -> int:
    return max(2, round(max(image.shape[:2]) / 250))


def draw_poses(image: np.ndarray, poses: list[Pose], min_score: float = 0.5) -> np.ndarray:
    """Skeletons (model's own connections) over ``image``; points with score < ``min_score`` are hidden."""
    from torchvision.utils import draw_keypoints

    image = check_image(image)
    img = torch.from_numpy(np.array(image)).permute(2, 0, 1)
    width = _line_width(image)
    for pose in poses:
        links = BLAZEPOSE_CONNECTIONS if pose.model == "blazepose" else COCO_CONNECTIONS
        kp = torch.from_numpy(pose.xy())[None]
        vis = torch.from_numpy(pose.scores() >= min_score)[None]
        img = draw_keypoints(img, kp, connectivity=list(links), colors=(0, 255, 120), radius=width + 1, width=width,
                             visibility=vis)
    return img.permute(1, 2, 0).numpy()


def draw_joints14(image: np.ndarray, poses: list[Pose], min_score: float = 0.0) -> np.ndarray:
    """The lecture's 14-joint stick figure over ``image`` (joints below ``min_score`` hidden)."""
    from torchvision.utils import draw_keypoints

    image = check_image(image)
    img = torch.from_numpy(np.array(image)).permute(2, 0, 1)
    width = _line_width(image)
    for pose in poses:
        joints = to_joints14(pose)
        kp = torch.tensor([[[j.x, j.y] for j in joints]], dtype=torch.float32)
        vis = torch.tensor([[j.score >= min_score for j in joints]])
        img = draw_keypoints(img, kp, connectivity=list(JOINTS14_CONNECTIONS), colors=(255, 200, 0),
                             radius=width + 2, width=width, visibility=vis)
    return img.permute(1, 2, 0).numpy()


def draw_faces(image: np.ndarray, faces: list[Face], mesh: list[np.ndarray] | None = None) -> np.ndarray:
    """Face boxes with score, the 5 landmarks, and optionally mesh points ``(468, ≥2)`` per face."""
    from torchvision.utils import draw_bounding_boxes, draw_keypoints

    image = check_image(image)
    img = torch.from_numpy(np.array(image)).permute(2, 0, 1)
    if not faces:
        return image.copy()
    width = _line_width(image)
    for pts in mesh or []:
        img = draw_keypoints(img, torch.from_numpy(np.ascontiguousarray(pts[None, :, :2])), colors=(80, 200, 255),
                             radius=max(1, width // 2))
    boxes = torch.tensor([f.box for f in faces], dtype=torch.float32)
    img = draw_bounding_boxes(img, boxes, labels=[f"face {f.score:.3f}" for f in faces], colors=(255, 60, 60),
                              width=width)
    lms = torch.from_numpy(np.stack([f.landmarks for f in faces]))
    img = draw_keypoints(img, lms, colors=(255, 255, 0), radius=width + 1)
    return img.permute(1, 2, 0).numpy()
