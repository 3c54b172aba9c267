"""Body pose: BlazePose (MediaPipe's person detector + 33 landmarks, run by hand) and torchvision's Keypoint R-CNN.

- ``blazepose``: the person detector takes the photo letterboxed to 224×224 in [-1, 1]
  (``BLAZEPOSE_INPUT["detector"]``) and regresses 2254 SSD anchors (12 numbers each: box centre
  and size, four keypoints: mid-hip, full-body scale point, mid-shoulder, upper-body scale point).
  The square around mid-hip with radius |mid-hip − scale point|, enlarged ×1.25 and rotated so the
  body points up, is cut out at 256×256 in [0, 1] (``BLAZEPOSE_INPUT["landmarks"]``); the landmark
  net returns 39 points (x, y, z, visibility, presence), of which the first 33 are the body.
- ``keypointrcnn``: torchvision Keypoint R-CNN, 17 COCO keypoints (RGB / 255; the model resizes).

Coordinates are pixels of the input image, x right, y down; "left"/"right" are the person's own
sides. Boxes are ``xyxy`` pixels. Images are ``(H, W, 3)`` uint8 RGB.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from vision_core.checks import check_choice, check_image, check_int
from vision_core.errors import BadInput
from vision_core.models import get_spec
from vision_core.models.device import net_device
from vision_core.models.pose import BLAZEPOSE_INPUT, BLAZEPOSE_NAMES, BlazePose
from vision_core.pose.crops import (
    check_input_side, keypoint_rotation, rotated_crop_matrix, sigmoid, to_image_points, warp_crop,
)
from vision_core.pose.ssd import SsdHead, detect_on_photo

__all__ = [
    "BLAZEPOSE_CONNECTIONS", "COCO_CONNECTIONS", "COCO_NAMES", "POSE_MODELS", "Keypoint", "PersonDetection", "Pose",
    "detect_people", "estimate_pose",
]

POSE_MODELS: tuple[str, ...] = ("blazepose", "keypointrcnn")
DETECTOR_IOU = 0.3
"""MediaPipe's weighted-NMS overlap for the person detector."""

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


def _check_min_score(min_score: float) -> float:
    if isinstance(min_score, bool) or not isinstance(min_score, (int, float, np.number)) or not 0.0 < min_score < 1.0:
        raise BadInput(f"min_score must be between 0 and 1 (exclusive), got {min_score!r}.")
    return float(min_score)


def detect_people(image: np.ndarray, net: BlazePose, min_score: float = 0.5,
                  max_people: int = 5) -> list[PersonDetection]:
    """BlazePose's person detector: people sorted by score (at most ``max_people``).

    Decodes the 2254 anchors (MediaPipe's ``TensorsToDetectionsCalculator``:
    sigmoid scores, offsets in input pixels / 224 around each anchor centre),
    merges them with weighted NMS at IoU 0.3 and removes the letterbox.
    """
    image = check_image(image)
    min_score = _check_min_score(min_score)
    max_people = check_int(max_people, 1, 20, "max_people")
    return _detect_people(image, net, min_score, max_people)


def _detect_people(image: np.ndarray, net: BlazePose, min_score: float, max_people: int) -> list[PersonDetection]:
    pre = BLAZEPOSE_INPUT["detector"]
    found = detect_on_photo(image, net.detector, net.anchors, pre, SsdHead(pre.size, 4, DETECTOR_IOU), min_score,
                            max_people, "The BlazePose detector")
    return [PersonDetection(*person) for person in found]


def _landmarks_for(image: np.ndarray, net: BlazePose, person: PersonDetection) -> Pose:
    pre = BLAZEPOSE_INPUT["landmarks"]
    (x0, y0), (x1, y1) = person.keypoints[0], person.keypoints[1]
    size = 2.0 * math.hypot(x1 - x0, y1 - y0) * pre.enlarge
    angle = keypoint_rotation(person.keypoints[0], person.keypoints[1], math.pi / 2)
    check_input_side(net.landmarks.input_hw, pre.side, "The BlazePose landmark net")
    m = rotated_crop_matrix(float(x0), float(y0), max(size, 1.0), angle, pre.side)
    crop = pre.scale(warp_crop(image, m, pre.side))
    outs = net.landmarks(crop[None])
    raw = next(o for o in outs if o.shape == (1, 195))[0].reshape(39, 5)[:33]
    flag = float(next(o for o in outs if o.shape == (1, 1))[0, 0])
    pts = to_image_points(raw[:, :2], m)
    vis = sigmoid(raw[:, 3])
    kps = tuple(Keypoint(n, float(p[0]), float(p[1]), float(v)) for n, p, v in zip(BLAZEPOSE_NAMES, pts, vis))
    return Pose(kps, person.box, float(min(person.score, flag)), "blazepose")


def _blazepose(image: np.ndarray, net: BlazePose, min_score: float, max_people: int) -> list[Pose]:
    return [_landmarks_for(image, net, p) for p in _detect_people(image, net, min_score, max_people)]


@torch.inference_mode()
def _keypoint_rcnn(image: np.ndarray, net: Any, min_score: float, max_people: int) -> list[Pose]:
    spec = get_spec("keypointrcnn")
    x = spec.preprocessing(image, net_device(net))
    out = net([x])[0]
    names = tuple(spec.weights.resolve().meta.get("keypoint_names") or COCO_NAMES)
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


def estimate_pose(image: np.ndarray, model: str = "blazepose", *, net: Any, min_score: float = 0.5,
                  max_people: int = 1) -> list[Pose]:
    """Pose of up to ``max_people`` people found with score ≥ ``min_score``, best first.

    ``model``: ``"blazepose"`` (33 landmarks, scores = visibility) or
    ``"keypointrcnn"`` (17 COCO keypoints, scores = sigmoid of the keypoint
    logits). ``net`` is the loaded model (``get_model(model)``).
    """
    image = check_image(image)
    check_choice(model, POSE_MODELS, "pose model")
    min_score = _check_min_score(min_score)
    max_people = check_int(max_people, 1, 20, "max_people")
    if model == "blazepose":
        return _blazepose(image, net, min_score, max_people)
    return _keypoint_rcnn(image, net, min_score, max_people)
