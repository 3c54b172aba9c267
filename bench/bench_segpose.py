"""Segmentation and pose rows: the whole vision_core call against the bare TFLite interpreter calls it wraps."""

from __future__ import annotations

import numpy as np
import torch

import statistics
import time
from collections.abc import Callable

from bench.core import Row, timed_row
from vision_core.models.tflite import TfliteModel
from vision_core.models import get_model
from vision_core.pose import detect_faces, estimate_pose, face_mesh, to_joints14
from vision_core.io.samples import load_sample
from vision_core.segmentation import boxes_around_keypoints, grabcut_instances, overlay_mask, segment


def _bare(net: TfliteModel) -> Callable[[], list[np.ndarray]]:
    """set_tensor + invoke + get_tensor on a ready input of the right shape (no pre- or post-processing)."""
    x = np.random.default_rng(0).random((1, *net.input_hw, 3), dtype=np.float32)
    return lambda: net(x)


def paired_row(group: str, name: str, ours: Callable[[], object], baseline: Callable[[], object], *, repeat: int,
               target: str = "", note: str = "") -> Row:
    """Like ``timed_row``, but ours and the baseline alternate call by call, so load on a shared machine hits both."""
    ours()
    baseline()
    mine: list[float] = []
    base: list[float] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        ours()
        t1 = time.perf_counter()
        baseline()
        t2 = time.perf_counter()
        mine.append(t1 - t0)
        base.append(t2 - t1)
    note = f"{note}; ratio of minima {min(mine) / min(base):.2f}" if note else f"ratio of minima {min(mine) / min(base):.2f}"
    return Row(group, name, statistics.median(mine), min(mine), max(mine), statistics.median(base), target, "s", note)


def rows() -> list[Row]:
    img = load_sample("astronaut")
    out: list[Row] = []
    for name in ("selfie", "selfie_landscape"):
        net = get_model(name)
        out.append(paired_row("segmentation", f"segment(astronaut 512×512, {name})",
                              lambda n=net, m=name: segment(img, m, net=n), _bare(net), repeat=40,
                              target="< 200 ms, ratio ≤ 1.3", note="baseline: bare interpreter invoke, interleaved"))
    kept = segment(img, "selfie", net=get_model("selfie"))
    out.append(timed_row("segmentation", "overlay_mask(astronaut, kept selfie result): an opacity slider move",
                         lambda: overlay_mask(img, kept, 0.3), repeat=20, target="< 100 ms",
                         note="paints the cached class map; no network"))
    pose = get_model("blazepose")

    x_det = np.zeros((1, *pose.detector.input_hw, 3), np.float32)
    x_lm = np.zeros((1, *pose.landmarks.input_hw, 3), np.float32)
    out.append(paired_row("pose", "estimate_pose(astronaut, blazepose): detector + 33 landmarks",
                          lambda: estimate_pose(img, net=pose), lambda: (pose.detector(x_det), pose.landmarks(x_lm)),
                          repeat=30, target="< 300 ms, ratio ≤ 1.3",
                          note="baseline: the two bare interpreter invokes, interleaved"))
    mtcnn = get_model("mtcnn")
    faces = detect_faces(img, mtcnn)
    out.append(timed_row("pose", "detect_faces(astronaut): MTCNN cascade", lambda: detect_faces(img, mtcnn), repeat=7,
                         note="three nets, image pyramid; no single bare call"))
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        out.append(timed_row("pose", "detect_faces(astronaut), torch.set_num_threads(1)", lambda: detect_faces(img, mtcnn),
                             repeat=7, note="same call; shows OpenMP oversubscription on a busy 2-core machine"))
    finally:
        torch.set_num_threads(threads)
    mesh = get_model("face_mesh")
    out.append(paired_row("pose", "face_mesh(astronaut face): 468 points", lambda: face_mesh(img, faces[0], mesh),
                          _bare(mesh), repeat=30, note="baseline: bare interpreter invoke, interleaved"))
    poses = estimate_pose(img, net=pose, max_people=5)
    boxes, scores = boxes_around_keypoints([(*p.keypoints, *to_joints14(p)[13:]) for p in poses],
                                           [p.score for p in poses], *img.shape[:2])
    out.append(timed_row("segmentation", "grabcut_instances (offline substitute, 1 person)",
                         lambda: grabcut_instances(img, boxes, ("person",) * len(boxes), scores), repeat=5,
                         note="OpenCV GrabCut, 3 iterations at 400 px"))
    return out
