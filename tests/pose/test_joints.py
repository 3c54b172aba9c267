"""vision_core.pose.joints: the lecture's 14 joints from BlazePose's 33, as a table and as CSV."""

from __future__ import annotations

import csv
import io

import pytest

from vision_core import pose as P
from vision_core.pose.body import Keypoint, Pose

pytestmark = pytest.mark.usefixtures("one_thread")


def test_joints14_follow_the_lecture(pose):
    joints = P.to_joints14(pose)
    assert [j.name for j in joints] == [n for n, _ in P.JOINTS14]
    assert {"left foot", "right foot", "neck", "head top", "left hand", "right hand"} <= {j.name for j in joints}
    by = {j.name: j for j in joints}
    ls, rs = pose.get("left_shoulder"), pose.get("right_shoulder")
    assert by["neck"].x == pytest.approx((ls.x + rs.x) / 2) and by["neck"].y == pytest.approx((ls.y + rs.y) / 2)
    assert by["left hand"].x == pose.get("left_wrist").x
    assert by["head top"].y < pose.get("left_eye").y < by["neck"].y
    rows = list(csv.reader(io.StringIO(P.joints_csv([pose, pose]))))
    assert rows[0] == ["person", "joint", "x", "y", "score", "source"] and len(rows) == 1 + 28
    assert rows[13][1] == "neck" and float(rows[13][2]) == pytest.approx(by["neck"].x, abs=0.05)


def _hand_pose() -> Pose:
    """A COCO pose with hand-placed points: shoulders at (40, 100) and (60, 100), eyes at (45, 60) and (55, 60)."""
    at = {"left_shoulder": (60, 100, 0.9), "right_shoulder": (40, 100, 0.8), "left_eye": (55, 60, 0.7),
          "right_eye": (45, 60, 0.95)}
    kps = tuple(Keypoint(n, *at.get(n, (float(i), float(i), 0.5))) for i, n in enumerate(P.COCO_NAMES))
    return Pose(kps, (0, 0, 100, 200), 0.9, "keypointrcnn")


def test_neck_and_head_top_by_hand():
    """neck = (50, 100) with score min(0.9, 0.8); head top = neck + 1.6 × ((50, 60) − neck) = (50, 36), score 0.7."""
    by = {j.name: j for j in P.to_joints14(_hand_pose())}
    assert (by["neck"].x, by["neck"].y, by["neck"].score) == (50, 100, 0.8)
    assert by["head top"].x == pytest.approx(50) and by["head top"].y == pytest.approx(36)
    assert by["head top"].score == 0.7


def test_joints_table_marks_visibility():
    rows = P.joints_table([_hand_pose()], min_score=0.75)
    assert len(rows) == 14 and rows[0] == {"person": 1, "joint": "right foot", "x": 16.0, "y": 16.0, "score": 0.5,
                                           "visible": False, "from": "right_ankle"}
    by = {r["joint"]: r for r in rows}
    assert by["neck"]["visible"] and not by["head top"]["visible"]
    assert sum(r["visible"] for r in rows) == 3, "both shoulders and the neck"
