"""Faces: Zhang et al.'s MTCNN cascade (P-Net, R-Net, O-Net; 5 landmarks) and MediaPipe's 468-point face mesh.

The networks are in ``vision_core.models.mtcnn`` and ``vision_core.models.pose``; this module
runs them. The image pyramid and pixel normalisation are ``MTCNN_INPUT`` (windows of 12 pixels,
(v − 127.5) / 128); the face mesh crop is ``FACE_MESH_INPUT``. Boxes are ``xyxy`` pixels of the
input image; images are ``(H, W, 3)`` uint8 RGB.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import torch
from torchvision.ops import nms as torch_nms

from vision_core.checks import check_image, check_int, check_range
from vision_core.models.device import net_device
from vision_core.models.mtcnn import MTCNN
from vision_core.models.pose import FACE_LANDMARK_NAMES, FACE_MESH_INPUT, MTCNN_INPUT
from vision_core.models.tflite import TfliteModel
from vision_core.ops.boxes import nms
from vision_core.pose.crops import check_input_side, rotated_crop_matrix, sigmoid, to_image_points, warp_crop

__all__ = ["FACE_LANDMARK_NAMES", "Face", "detect_faces", "face_mesh", "faces_table"]

PNET_STRIDE = 2
"""P-Net's output stride: one 12×12 window every 2 pixels of a pyramid level."""
RNET_SIDE, ONET_SIDE = 24, 48
"""The crop sides R-Net and O-Net take."""
MESH_POINTS = 468


@dataclass(frozen=True)
class Face:
    """An MTCNN face: ``box`` xyxy pixels, ``score`` (O-Net face probability) and the 5 ``landmarks``
    (``(5, 2)`` pixels, in ``FACE_LANDMARK_NAMES`` order)."""

    box: tuple[float, float, float, float]
    score: float
    landmarks: np.ndarray


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
    """Boxes moved by the nets' regression offsets (fractions of the inclusive box width and height)."""
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
    return torch.from_numpy(MTCNN_INPUT.normalise(out)).permute(0, 3, 1, 2).to(device)


@torch.inference_mode()
def detect_faces(image: np.ndarray, net: MTCNN, min_face: int = 20,
                 thresholds: tuple[float, float, float] = (0.6, 0.7, 0.7), factor: float = MTCNN_INPUT.factor,
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
    min_face = check_int(min_face, 12, 1000, "The smallest face (pixels)")
    factor = check_range(factor, 0.3, 0.95, "The pyramid factor")
    max_side = check_int(max_side, 64, None, "max_side (pixels)")
    h0, w0 = image.shape[:2]
    shrink = min(1.0, max_side / max(h0, w0))
    work = image if shrink == 1.0 else cv2.resize(
        image, (max(1, round(w0 * shrink)), max(1, round(h0 * shrink))), interpolation=cv2.INTER_AREA)
    faces = _mtcnn(work, net, min_face, thresholds, factor)
    if shrink == 1.0:
        return faces
    return [Face(tuple(float(v / shrink) for v in f.box), f.score, f.landmarks / shrink) for f in faces]


def _proposals(img: np.ndarray, net: MTCNN, min_face: int, threshold: float, factor: float,
               device: torch.device) -> torch.Tensor | None:
    """P-Net over the pyramid: ``(N, 9)`` rows ``x0, y0, x1, y1, score, 4 offsets`` after per-level and global NMS."""
    h, w = img.shape[:2]
    cell = MTCNN_INPUT.cell
    found = []
    for scale in MTCNN_INPUT.scales(min(h, w), min_face, factor):
        data = cv2.resize(img, (int(w * scale + 1), int(h * scale + 1)), interpolation=cv2.INTER_AREA)
        data = torch.from_numpy(MTCNN_INPUT.normalise(data)).permute(2, 0, 1)[None].to(device)
        reg, prob = net.pnet(data)
        p = prob[0, 1]
        mask = p >= threshold
        if not mask.any():
            continue
        yx = mask.nonzero().float().flip(1)
        q1 = ((PNET_STRIDE * yx + 1) / scale).floor()
        q2 = ((PNET_STRIDE * yx + cell) / scale).floor()
        boxes = torch.cat([q1, q2, p[mask][:, None], reg[0][:, mask].T], 1)
        found.append(boxes[torch_nms(boxes[:, :4], boxes[:, 4], 0.5)])
    if not found:
        return None
    boxes = torch.cat(found)
    return boxes[torch_nms(boxes[:, :4], boxes[:, 4], 0.7)]


def _mtcnn(image: np.ndarray, net: MTCNN, min_face: int, thresholds: tuple[float, float, float],
           factor: float) -> list[Face]:
    device = net_device(net)
    img = image.astype(np.float32)
    h, w = image.shape[:2]
    boxes = _proposals(img, net, min_face, thresholds[0], factor, device)
    if boxes is None:
        return []
    bw, bh = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    boxes = torch.stack([boxes[:, 0] + boxes[:, 5] * bw, boxes[:, 1] + boxes[:, 6] * bh,
                         boxes[:, 2] + boxes[:, 7] * bw, boxes[:, 3] + boxes[:, 8] * bh, boxes[:, 4]], 1)
    boxes = _rerec(boxes)

    reg, prob = net.rnet(_crops(img, boxes, RNET_SIDE, device))
    keep = prob[:, 1] > thresholds[1]
    boxes = torch.cat([boxes[keep, :4], prob[keep, 1:2]], 1)
    reg = reg[keep]
    pick = torch_nms(boxes[:, :4], boxes[:, 4], 0.7)
    boxes = _rerec(_bbreg(boxes[pick], reg[pick]))
    if len(boxes) == 0:
        return []

    reg, pts, prob = net.onet(_crops(img, boxes, ONET_SIDE, device))
    keep = prob[:, 1] > thresholds[2]
    boxes = torch.cat([boxes[keep, :4], prob[keep, 1:2]], 1)
    reg, pts = reg[keep], pts[keep]
    bw, bh = boxes[:, 2] - boxes[:, 0] + 1, boxes[:, 3] - boxes[:, 1] + 1
    px = bw[:, None] * pts[:, :5] + boxes[:, 0:1] - 1
    py = bh[:, None] * pts[:, 5:10] + boxes[:, 1:2] - 1
    landmarks = torch.stack([px, py], 2)
    boxes = _bbreg(boxes, reg)
    b, lm = boxes.cpu().numpy(), landmarks.cpu().numpy()
    ok = np.isfinite(b).all(1) & (b[:, 2] >= b[:, 0]) & (b[:, 3] >= b[:, 1])
    b, lm = b[ok], lm[ok]
    faces = []
    for i in nms(b[:, :4], b[:, 4], 0.7, overlap="min"):
        box = np.clip(b[i, :4], 0, [w, h, w, h])
        faces.append(Face(tuple(float(v) for v in box), float(b[i, 4]), lm[i].astype(np.float32)))
    return faces


def faces_table(faces: list[Face]) -> list[dict[str, Any]]:
    """One row per face for a table: number, score (5 decimals), the box and each landmark in whole pixels."""
    return [
        {"face": i + 1, "score": round(f.score, 5), "box (x0, y0, x1, y1)": ", ".join(f"{v:.0f}" for v in f.box)}
        | {name: f"({x:.0f}, {y:.0f})" for name, (x, y) in zip(FACE_LANDMARK_NAMES, f.landmarks)}
        for i, f in enumerate(faces)
    ]


def face_mesh(image: np.ndarray, face: Face, net: TfliteModel) -> tuple[np.ndarray, float]:
    """MediaPipe's 468-point face mesh inside ``face``: (``(468, 3)`` float32 x, y pixels and relative z, face score).

    The crop follows MediaPipe's face landmark ROI (``FACE_MESH_INPUT``): square, 1.5× the face box,
    rotated so the eyes are level, 192×192, values in [0, 1].
    """
    image = check_image(image)
    pre = FACE_MESH_INPUT
    check_input_side(net.input_hw, pre.side, "The face mesh")
    x0, y0, x1, y1 = face.box
    (ex0, ey0), (ex1, ey1) = face.landmarks[0], face.landmarks[1]
    angle = -math.atan2(-(ey1 - ey0), ex1 - ex0)
    size = pre.enlarge * max(x1 - x0, y1 - y0)
    m = rotated_crop_matrix((x0 + x1) / 2, (y0 + y1) / 2, max(size, 1.0), angle, pre.side)
    outs = net(pre.scale(warp_crop(image, m, pre.side))[None])
    raw = next(o for o in outs if o.size == MESH_POINTS * 3).reshape(MESH_POINTS, 3)
    score = float(sigmoid(next(o for o in outs if o.size == 1)).ravel()[0])
    xy = to_image_points(raw[:, :2], m)
    z = raw[:, 2:3] * (size / pre.side)
    return np.c_[xy, z].astype(np.float32), score
