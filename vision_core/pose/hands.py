"""Hands: MediaPipe's palm detector and 21-landmark hand net, run by hand (numpy), as MediaPipe Hands does.

1. The palm detector sees the photo letterboxed to 192×192 in [0, 1] (``HANDS_INPUT["palm"]``) and
   regresses 2016 SSD anchors: a palm box and 7 palm keypoints (``PALM_KEYPOINT_NAMES``), decoded by
   ``vision_core.pose.ssd`` (weighted NMS at IoU 0.3).
2. ``hand_roi`` turns a palm into the hand's region (MediaPipe's ``palm_detection_detection_to_roi``):
   rotated so the wrist → middle-finger line points up, moved half a palm height towards the fingers,
   made square on the longer side and enlarged 2.6×.
3. The landmark net sees that region cut out at 224×224 in [0, 1] (``HANDS_INPUT["landmarks"]``) and
   returns 21 points (x, y, z in crop pixels) and a hand-presence probability; points go back to the
   photo through the crop's matrix.

Coordinates are pixels of the photo, x right, y down; boxes are ``xyxy``; images ``(H, W, 3)`` uint8 RGB.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from vision_core.checks import check_fraction, check_image, check_int
from vision_core.models.pose import HAND_LANDMARK_NAMES, HANDS_INPUT, MediaPipeHands
from vision_core.pose.crops import check_input_side, keypoint_rotation, rotated_crop_matrix, to_image_points, warp_crop
from vision_core.pose.ssd import SsdHead, detect_on_photo

__all__ = [
    "HAND_CONNECTIONS",
    "HAND_LANDMARK_NAMES",
    "PALM_KEYPOINT_NAMES",
    "Hand",
    "HandRoi",
    "Palm",
    "detect_palms",
    "find_hands",
    "hand_landmarks",
    "hand_roi",
    "hands_table",
]

PALM_KEYPOINT_NAMES: tuple[str, ...] = ("wrist", "index MCP", "middle MCP", "ring MCP", "pinky MCP", "thumb CMC",
                                        "thumb MCP")
"""The palm detector's 7 keypoints, in output order (MCP: the knuckle where a finger meets the palm)."""
HAND_CONNECTIONS: tuple[tuple[int, int], ...] = (
    (0, 1), (1, 2), (2, 3), (3, 4), (0, 5), (5, 6), (6, 7), (7, 8), (5, 9), (9, 10), (10, 11), (11, 12),
    (9, 13), (13, 14), (14, 15), (15, 16), (13, 17), (0, 17), (17, 18), (18, 19), (19, 20),
)
"""The hand skeleton's bones, as index pairs into ``HAND_LANDMARK_NAMES`` (MediaPipe's ``HAND_CONNECTIONS``)."""
PALM_IOU = 0.3
"""MediaPipe's weighted-NMS overlap for the palm detector."""
ROI_SHIFT_Y = -0.5
"""The hand region is moved by this × the palm box height along the hand's own up direction (to the fingers)."""
ROTATION_TARGET = math.pi / 2
"""The wrist → middle MCP line is turned to point straight up (90°)."""
MIN_PRESENCE = 0.5
"""Hands whose landmark net says presence < this are dropped (MediaPipe's default)."""


@dataclass(frozen=True)
class Palm:
    """A palm detection: ``box`` xyxy pixels (not clipped to the photo), ``score``, ``keypoints`` ``(7, 2)`` pixels
    in ``PALM_KEYPOINT_NAMES`` order."""

    box: tuple[float, float, float, float]
    score: float
    keypoints: np.ndarray


@dataclass(frozen=True)
class HandRoi:
    """The hand's square region: centre (``cx``, ``cy``) and ``side`` in pixels, ``angle`` in radians
    (MediaPipe's convention: the crop is turned by ``angle`` so the hand points up in it)."""

    cx: float
    cy: float
    side: float
    angle: float

    def matrix(self, out: int) -> np.ndarray:
        """2×3 affine map from the ``out``×``out`` crop's pixels to the photo's."""
        return rotated_crop_matrix(self.cx, self.cy, max(self.side, 1.0), self.angle, out)

    def corners(self) -> np.ndarray:
        """``(4, 2)`` pixels of the region's corners (top-left, top-right, bottom-right, bottom-left of the crop)."""
        return to_image_points(np.array([[0, 0], [1, 0], [1, 1], [0, 1]], np.float64), self.matrix(1)).astype(np.float32)


@dataclass(frozen=True)
class Hand:
    """One hand: its ``palm``, the ``roi`` the landmark net saw, ``landmarks`` ``(21, 3)`` float32 (x, y pixels;
    z relative depth in pixels, wrist ≈ 0, smaller = nearer the camera) and ``presence`` in [0, 1]."""

    palm: Palm
    roi: HandRoi
    landmarks: np.ndarray
    presence: float

    def xy(self) -> np.ndarray:
        """``(21, 2)`` float32 pixel coordinates."""
        return np.ascontiguousarray(self.landmarks[:, :2])


def detect_palms(image: np.ndarray, net: MediaPipeHands, min_score: float = 0.5, max_hands: int = 2) -> list[Palm]:
    """Palms found with score > ``min_score``, best first (at most ``max_hands``)."""
    image = check_image(image)
    min_score = check_fraction(min_score, "The palm score threshold")
    max_hands = check_int(max_hands, 1, 10, "The number of hands")
    return _palms(image, net, min_score, max_hands)


def _palms(image: np.ndarray, net: MediaPipeHands, min_score: float, max_hands: int) -> list[Palm]:
    pre = HANDS_INPUT["palm"]
    found = detect_on_photo(image, net.palm, net.anchors, pre, SsdHead(pre.size, 7, PALM_IOU), min_score, max_hands,
                            "The palm detector", clip=False)
    return [Palm(*palm) for palm in found]


def hand_roi(palm: Palm) -> HandRoi:
    """The hand region MediaPipe crops around a palm (rotation from keypoints 0 → 2, shift, square, ×2.6).

    With the palm box centre (cx, cy), width w, height h and rotation r:
    centre += (−h · shift · sin r, h · shift · cos r), shift = −0.5; side = 2.6 · max(w, h).
    """
    x0, y0, x1, y1 = palm.box
    w, h = x1 - x0, y1 - y0
    angle = keypoint_rotation(palm.keypoints[0], palm.keypoints[2], ROTATION_TARGET)
    cx = (x0 + x1) / 2 - h * ROI_SHIFT_Y * math.sin(angle)
    cy = (y0 + y1) / 2 + h * ROI_SHIFT_Y * math.cos(angle)
    return HandRoi(float(cx), float(cy), float(HANDS_INPUT["landmarks"].enlarge * max(w, h)), float(angle))


def hand_landmarks(image: np.ndarray, palm: Palm, net: MediaPipeHands) -> Hand:
    """The 21 landmarks of the hand around ``palm`` (the landmark net on ``hand_roi(palm)``)."""
    image = check_image(image)
    pre = HANDS_INPUT["landmarks"]
    check_input_side(net.landmarks.input_hw, pre.side, "The hand landmark net")
    roi = hand_roi(palm)
    m = roi.matrix(pre.side)
    outs = net.landmarks(pre.scale(warp_crop(image, m, pre.side))[None])
    raw = outs[0].reshape(21, 3)
    presence = float(np.asarray(outs[1]).ravel()[0])  # the network's own sigmoid: already a probability
    xy = to_image_points(raw[:, :2], m)
    z = raw[:, 2:3] * (roi.side / pre.side)
    return Hand(palm, roi, np.c_[xy, z].astype(np.float32), presence)


def find_hands(image: np.ndarray, net: MediaPipeHands, min_score: float = 0.5, max_hands: int = 2,
               min_presence: float = MIN_PRESENCE) -> list[Hand]:
    """Hands on the photo: palms (score > ``min_score``, at most ``max_hands``), each with its 21 landmarks,
    kept when the landmark net's presence is ≥ ``min_presence``."""
    image = check_image(image)
    min_score = check_fraction(min_score, "The palm score threshold")
    min_presence = check_fraction(min_presence, "The hand presence threshold")
    max_hands = check_int(max_hands, 1, 10, "The number of hands")
    hands = [hand_landmarks(image, p, net) for p in _palms(image, net, min_score, max_hands)]
    return [h for h in hands if h.presence >= min_presence]


def hands_table(hands: list[Hand]) -> list[dict[str, Any]]:
    """One row per hand: palm score and box, presence, the region (centre, side, angle in degrees), and the
    five fingertips in whole pixels."""
    tips = (4, 8, 12, 16, 20)
    return [
        {"hand": i + 1, "palm score": round(h.palm.score, 3), "presence": round(h.presence, 3),
         "palm box (x0, y0, x1, y1)": ", ".join(f"{v:.0f}" for v in h.palm.box),
         "region (cx, cy, side, angle°)": f"{h.roi.cx:.0f}, {h.roi.cy:.0f}, {h.roi.side:.0f}, {math.degrees(h.roi.angle):.0f}"}
        | {HAND_LANDMARK_NAMES[t]: f"({h.landmarks[t, 0]:.0f}, {h.landmarks[t, 1]:.0f})" for t in tips}
        for i, h in enumerate(hands)
    ]
