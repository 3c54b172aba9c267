"""The pose page's cached model calls and its views (no maths here: values come from vision_core.pose).

Compute once, display many times: each network's result is kept per (photo, model, the settings
the model uses) in ``ui.results``; the visibility slider, the overlays and the tables only read
those results, so moving them never runs a network again.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import streamlit as st

from ui.common import friendly_errors
from ui.results import cached
from ui.tray import TrayImage
from vision_core.io.images import to_png_bytes
from vision_core.pose import (
    JOINTS14,
    Face,
    Pose,
    detect_faces,
    draw_faces,
    draw_joints14,
    draw_poses,
    estimate_pose,
    face_mesh,
    faces_table,
    joints_csv,
    joints_table,
)

DETECT_SCORE = 0.5
"""The detection threshold the networks run with (the page's slider only hides points afterwards)."""


def poses_for(item: TrayImage, model: str, net: Any, people: int) -> tuple[list[Pose], float]:
    """(poses, milliseconds of the run that made them) for this photo, model and people count."""
    def run() -> tuple[list[Pose], float]:
        t0 = time.perf_counter()
        poses = estimate_pose(item.image, model, net=net, min_score=DETECT_SCORE, max_people=people)
        return poses, 1000 * (time.perf_counter() - t0)

    with st.spinner(f"Running {model}…"):
        return cached("pose", item.key, (model, people, DETECT_SCORE), run)


def faces_for(item: TrayImage, net: Any) -> list[Face]:
    """MTCNN's faces on this photo (default cascade settings)."""
    with st.spinner("MTCNN: P-Net, R-Net, O-Net…"):
        return cached("faces", item.key, ("mtcnn",), lambda: detect_faces(item.image, net))


def meshes_for(item: TrayImage, faces: list[Face], net: Any) -> list[np.ndarray]:
    """The 468-point face mesh of every MTCNN face on this photo."""
    return cached("face_mesh", item.key, ("mtcnn", "face_mesh"), lambda: [face_mesh(item.image, f, net)[0] for f in faces])


def overlays_view(item: TrayImage, used: str, poses: list[Pose], faces: list[Face], meshes: list[np.ndarray],
                  min_score: float, show_faces: bool) -> None:
    """The skeleton (with faces) beside the lecture's 14 joints, and the PNG download."""
    left, right = st.columns(2)
    with friendly_errors():
        drawn = draw_faces(draw_poses(item.image, poses, min_score), faces if show_faces else [], meshes)
        left.image(drawn, caption=f"{used}: {len(poses[0].keypoints) if poses else 0} points per person"
                   + (", MTCNN face boxes and 5 landmarks" if show_faces else ""), width="stretch")
        right.image(draw_joints14(item.image, poses, min_score),
                    caption="The lecture's 14 joints (DeepPose / Leeds Sports Pose)", width="stretch")
        st.download_button("Download the skeleton image (PNG)", to_png_bytes(drawn), file_name=f"pose-{used}.png",
                           mime="image/png", key="pose_png")


def joints_view(item: TrayImage, poses: list[Pose], min_score: float) -> None:
    """Where each of the 14 joints comes from, with this photo's coordinates, and the CSV download."""
    st.subheader("From the model's points to the lecture's 14 joints")
    st.markdown(
        "DeepPose (Toshev & Szegedy 2014) feeds the image through AlexNet-like layers to a 4096-vector and regresses "
        "**14 × 2 = 28 numbers**. BlazePose regresses 33 landmarks and Keypoint R-CNN 17 heatmaps; the table below "
        "shows where each of the 14 joints comes from. Feet are the ankles and hands the wrists; neither model has a "
        "neck or head top, so those two are derived."
    )
    if not poses:
        st.dataframe([{"joint": n, "from": s} for n, s in JOINTS14], hide_index=True)
        return
    h, w = item.image.shape[:2]
    with friendly_errors():
        st.dataframe(joints_table(poses, min_score), hide_index=True, key="pose_table")
        st.caption(f"Pixels of this {w}×{h} photo, x to the right, y down; left / right are the person's own sides. "
                   "Coordinates outside the photo are the model's guesses for body parts out of frame; "
                   "their low score says so.")
        st.download_button("Download the joints (CSV)", joints_csv(poses), file_name="joints14.csv", mime="text/csv",
                           key="pose_csv")


def faces_view(faces: list[Face]) -> None:
    """MTCNN's cascade in words and one row per face."""
    if not faces:
        return
    st.subheader("Faces: MTCNN's cascade")
    st.markdown(
        "MTCNN (Zhang et al. 2016) is three small CNNs: **P-Net** slides a 12×12 window over an image pyramid "
        "(a fully convolutional sliding window), **R-Net** re-scores each proposal at 24×24, **O-Net** at 48×48 "
        "also regresses 5 landmarks — localisation as regression again."
    )
    st.dataframe(faces_table(faces), hide_index=True)
