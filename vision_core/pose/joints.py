"""The lecture's 14 joints (DeepPose, Toshev & Szegedy 2014; Leeds Sports Pose order) from today's models' points.

``to_joints14`` maps a BlazePose (33 landmarks) or COCO (17 keypoints) ``Pose`` onto the 14;
``joints_table`` and ``joints_csv`` lay them out for a table and a download. Coordinates are
pixels of the photo, x right, y down; "left"/"right" are the person's own sides.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import numpy as np

from vision_core.pose.body import Pose

__all__ = ["JOINTS14", "JOINTS14_CONNECTIONS", "HEAD_TOP_FACTOR", "Joint", "joints_csv", "joints_table", "to_joints14"]

HEAD_TOP_FACTOR = 1.6
"""Head top = neck + this × (midpoint of the eyes − neck): neither model has a head-top point."""

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
"""The 14-joint stick figure's bones, as index pairs into ``JOINTS14``."""


@dataclass(frozen=True)
class Joint:
    """One of the lecture's 14 joints: ``name``, pixel ``x``, ``y``, ``score``, and ``source`` (how it was made)."""

    name: str
    x: float
    y: float
    score: float
    source: str


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
    top = neck + HEAD_TOP_FACTOR * (eyes - neck)
    joints.append(Joint("head top", float(top[0]), float(top[1]), min(neck_score, le.score, re.score), JOINTS14[13][1]))
    return joints


def joints_table(poses: list[Pose], min_score: float) -> list[dict[str, Any]]:
    """One row per person and joint: person (from 1), joint, x, y (1 decimal), score (3 decimals),
    ``visible`` (score ≥ ``min_score``) and where the joint comes from."""
    return [
        {"person": i, "joint": j.name, "x": round(j.x, 1), "y": round(j.y, 1), "score": round(j.score, 3),
         "visible": j.score >= min_score, "from": j.source}
        for i, pose in enumerate(poses, start=1)
        for j in to_joints14(pose)
    ]


def joints_csv(poses: list[Pose]) -> str:
    """The 14 joints of every pose as CSV: person, joint, x, y, score, source (pixels, 1 decimal)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["person", "joint", "x", "y", "score", "source"])
    for i, pose in enumerate(poses, start=1):
        for j in to_joints14(pose):
            writer.writerow([i, j.name, f"{j.x:.1f}", f"{j.y:.1f}", f"{j.score:.3f}", j.source])
    return buf.getvalue()
