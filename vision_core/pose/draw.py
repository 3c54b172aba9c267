"""Drawing poses, faces and hands: skeletons, the 14-joint stick figure, face boxes, landmarks, mesh, hands.

Every function takes ``(H, W, 3)`` uint8 RGB and returns a new array of the same shape (the
input is never changed). Points are drawn with ``torchvision.utils.draw_keypoints``; face boxes
with the one box drawer, ``vision_core.ops.draw.draw_boxes``.
"""

from __future__ import annotations

import numpy as np
import torch
from torchvision.utils import draw_keypoints

from vision_core.checks import check_image
from vision_core.ops.boxes import clip_boxes
from vision_core.ops.draw import draw_boxes, line_width
from vision_core.pose.body import BLAZEPOSE_CONNECTIONS, COCO_CONNECTIONS, Pose
from vision_core.pose.compare import DetectorRun
from vision_core.pose.faces import Face
from vision_core.pose.hands import HAND_CONNECTIONS, Hand
from vision_core.pose.joints import JOINTS14_CONNECTIONS, to_joints14

__all__ = ["DETECTOR_COLOURS", "draw_detector_boxes", "draw_faces", "draw_hands", "draw_joints14", "draw_poses"]

SKELETON_COLOUR = (0, 255, 120)
JOINTS14_COLOUR = (255, 200, 0)
FACE_COLOUR = (255, 60, 60)
LANDMARK_COLOUR = (255, 255, 0)
MESH_COLOUR = (80, 200, 255)
HAND_COLOUR = (255, 120, 0)
PALM_COLOUR = (0, 200, 255)
DETECTOR_COLOURS: tuple[tuple[int, int, int], ...] = ((255, 60, 60), (40, 160, 255), (255, 200, 0), (0, 220, 120))
"""The colour of each detector in a comparison, in the order the runs are given."""


def _chw(image: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(image)).permute(2, 0, 1)


def _hwc(img: torch.Tensor) -> np.ndarray:
    return img.permute(1, 2, 0).numpy().copy()


def draw_poses(image: np.ndarray, poses: list[Pose], min_score: float = 0.5) -> np.ndarray:
    """Skeletons (model's own connections) over ``image``; points with score < ``min_score`` are hidden."""
    image = check_image(image)
    img = _chw(image)
    width = line_width(image)
    for pose in poses:
        links = BLAZEPOSE_CONNECTIONS if pose.model == "blazepose" else COCO_CONNECTIONS
        kp = torch.from_numpy(pose.xy())[None]
        vis = torch.from_numpy(pose.scores() >= min_score)[None]
        img = draw_keypoints(img, kp, connectivity=list(links), colors=SKELETON_COLOUR, radius=width + 1, width=width,
                             visibility=vis)
    return _hwc(img)


def draw_joints14(image: np.ndarray, poses: list[Pose], min_score: float = 0.0) -> np.ndarray:
    """The lecture's 14-joint stick figure over ``image`` (joints below ``min_score`` hidden)."""
    image = check_image(image)
    img = _chw(image)
    width = line_width(image)
    for pose in poses:
        joints = to_joints14(pose)
        kp = torch.tensor([[[j.x, j.y] for j in joints]], dtype=torch.float32)
        vis = torch.tensor([[j.score >= min_score for j in joints]])
        img = draw_keypoints(img, kp, connectivity=list(JOINTS14_CONNECTIONS), colors=JOINTS14_COLOUR,
                             radius=width + 2, width=width, visibility=vis)
    return _hwc(img)


def draw_faces(image: np.ndarray, faces: list[Face], mesh: list[np.ndarray] | None = None) -> np.ndarray:
    """Face boxes with score, the 5 landmarks, and optionally mesh points ``(468, ≥2)`` per face."""
    image = check_image(image)
    if not faces:
        return image.copy()
    width = line_width(image)
    img = _chw(image)
    for pts in mesh or []:
        img = draw_keypoints(img, torch.from_numpy(np.ascontiguousarray(pts[None, :, :2])), colors=MESH_COLOUR,
                             radius=max(1, width // 2))
    boxed = draw_boxes(_hwc(img), np.array([f.box for f in faces], np.float32),
                       [f"face {f.score:.3f}" for f in faces], FACE_COLOUR, width=width)
    lms = torch.from_numpy(np.stack([f.landmarks for f in faces]))
    return _hwc(draw_keypoints(_chw(boxed), lms, colors=LANDMARK_COLOUR, radius=width + 1))


def draw_hands(image: np.ndarray, hands: list[Hand], regions: bool = True) -> np.ndarray:
    """Each hand's 21-point skeleton (points in ``HAND_COLOUR``; torchvision draws the bones white), its palm box
    with the palm score and (``regions``) the rotated square the landmark net saw (a thin white outline)."""
    image = check_image(image)
    if not hands:
        return image.copy()
    width = line_width(image)
    palms = clip_boxes(np.array([h.palm.box for h in hands], np.float32), *image.shape[:2])
    boxed = draw_boxes(image, palms,
                       [f"palm {h.palm.score:.2f}" for h in hands], PALM_COLOUR, width=width)
    img = _chw(boxed)
    if regions:
        corners = torch.from_numpy(np.stack([h.roi.corners() for h in hands]))
        img = draw_keypoints(img, corners, connectivity=[(0, 1), (1, 2), (2, 3), (3, 0)], colors=HAND_COLOUR,
                             radius=1, width=max(1, width // 2))
    pts = torch.from_numpy(np.stack([h.xy() for h in hands]))
    img = draw_keypoints(img, pts, connectivity=list(HAND_CONNECTIONS), colors=HAND_COLOUR, radius=width + 1,
                         width=width)
    return _hwc(img)


def draw_detector_boxes(image: np.ndarray, runs: list[DetectorRun]) -> np.ndarray:
    """Every run's boxes over ``image``, one colour per detector (``DETECTOR_COLOURS``), labelled with its name."""
    image = check_image(image)
    boxes = [b for r in runs for b in r.boxes]
    if not boxes:
        return image.copy()
    labels = [r.name for r in runs for _ in r.boxes]
    colours = [DETECTOR_COLOURS[k % len(DETECTOR_COLOURS)] for k, r in enumerate(runs) for _ in r.boxes]
    return draw_boxes(image, np.array(boxes, np.float32), labels, colours, width=line_width(image))
