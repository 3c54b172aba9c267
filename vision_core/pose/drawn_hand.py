"""A hand the app draws itself (not a photo): a shaded palm, wrist, thumb and four fingers on a plain background.

None of the bundled sample photos shows a hand, so the pose page (and the tests) can run MediaPipe's hand
pipeline on this drawing. It is made of an ellipse and capsules (thick round-ended lines), skin-toned and
shaded darker towards the edges; the fingertips' positions are known, so the landmark net's tips can be
checked against them. The drawing can be turned by ``angle`` degrees (counter-clockwise on screen).

Images are ``(H, W, 3)`` uint8 RGB; points are ``(x, y)`` pixels, x right, y down.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision_core.checks import check_int, check_range

__all__ = ["DrawnHand", "drawn_hand"]

SKIN = (224, 172, 140)
BACKGROUND = (200, 210, 220)
_FINGERS = ((-0.105, -0.11, -0.26, 0.030), (-0.035, -0.14, -0.33, 0.032), (0.035, -0.14, -0.35, 0.033),
            (0.10, -0.12, -0.30, 0.031))
"""Index, middle, ring, pinky: base x offset, base y offset, length (up), radius — fractions of the side."""


@dataclass(frozen=True)
class DrawnHand:
    """The drawing (``image``), its five fingertips ``tips`` ``(5, 2)`` (thumb, index, middle, ring, pinky: the
    centres of the round finger ends) and the palm's centre ``palm`` ``(2,)``, in pixels."""

    image: np.ndarray
    tips: np.ndarray
    palm: np.ndarray


def _capsule(mask: np.ndarray, p: tuple[float, float], q: tuple[float, float], radius: float) -> None:
    cv2.line(mask, (round(p[0]), round(p[1])), (round(q[0]), round(q[1])), 255, max(1, round(2 * radius)), cv2.LINE_AA)


def drawn_hand(size: int = 512, angle: float = 0.0) -> DrawnHand:
    """An open right hand seen from the palm side, fingers up (then turned by ``angle`` degrees), ``size``² pixels."""
    size = check_int(size, 128, 2048, "The drawing's size")
    angle = check_range(angle, -180.0, 180.0, "The drawing's angle (degrees)")
    s = float(size)
    cx, cy = 0.5 * s, 0.62 * s
    mask = np.zeros((size, size), np.uint8)
    cv2.ellipse(mask, (round(cx), round(cy)), (round(0.15 * s), round(0.16 * s)), 0, 0, 360, 255, -1, cv2.LINE_AA)
    _capsule(mask, (cx, cy + 0.12 * s), (cx, 0.98 * s), 0.11 * s)
    thumb = (cx - 0.30 * s, cy - 0.12 * s)
    _capsule(mask, (cx - 0.12 * s, cy + 0.03 * s), thumb, 0.035 * s)
    tips = [thumb]
    for dx, by, length, radius in _FINGERS:
        tip = (cx + 1.3 * dx * s, cy + (by + length) * s)
        _capsule(mask, (cx + dx * s, cy + by * s), tip, radius * s)
        tips.append(tip)
    alpha = cv2.GaussianBlur(mask.astype(np.float32) / 255.0, (0, 0), 1.2)[..., None]
    inside = cv2.distanceTransform((mask > 127).astype(np.uint8), cv2.DIST_L2, 5)
    shade = (0.75 + 0.25 * np.clip(inside / (0.05 * s), 0.0, 1.0))[..., None]
    img = np.asarray(BACKGROUND, np.float32) * (1 - alpha) + np.asarray(SKIN, np.float32) * shade * alpha
    image = np.clip(img, 0, 255).round().astype(np.uint8)
    points = np.array(tips + [(cx, cy)], np.float64)
    if angle:
        m = cv2.getRotationMatrix2D((s / 2, s / 2), angle, 1.0)
        image = cv2.warpAffine(image, m, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                               borderValue=BACKGROUND)
        points = np.c_[points, np.ones(len(points))] @ m.T
    return DrawnHand(image, points[:5].astype(np.float32), points[5].astype(np.float32))
