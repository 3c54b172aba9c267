"""The pose page's cached model calls and its views (no maths here: values come from vision_core.pose).

Views: the skeleton overlays, the 14 joints, MTCNN's faces, hands (palm detector + 21 landmarks, on the
photo or on the app's drawn hand) and three face detectors compared (MTCNN, BlazeFace, a Haar cascade).

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
from ui.models import cascade_classifier
from ui.results import cached
from ui.tray import TrayImage
from vision_core.classic import detect_timed
from vision_core.io.images import to_png_bytes
from vision_core.pose import (
    JOINTS14,
    DetectorRun,
    DrawnHand,
    Face,
    FaceBox,
    Pose,
    agreement_table,
    blazeface_detect,
    blazeface_table,
    detect_faces,
    draw_detector_boxes,
    draw_faces,
    draw_hands,
    draw_joints14,
    draw_poses,
    drawn_hand,
    estimate_pose,
    face_mesh,
    faces_table,
    find_hands,
    hands_table,
    joints_csv,
    joints_table,
    runs_table,
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


MAX_HANDS = 2
"""Hands looked for (MediaPipe's default)."""
HAAR_CASCADE = "frontalface_default"
"""The Haar cascade in the face-detector comparison (OpenCV's, as on the classic-CV page)."""
DRAWN_KEY = "sample:drawn_hand"
"""The results key of the app's drawn hand (the same drawing for everybody)."""
COLOUR_NAMES = ("red", "blue", "yellow", "green")
"""Words for ``vision_core.pose.DETECTOR_COLOURS``, in the same order."""


def _timed(compute: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = compute()
    return out, time.perf_counter() - t0


def _mtcnn_timed(item: TrayImage, net: Any) -> tuple[list[Face], float]:
    with st.spinner("MTCNN: P-Net, R-Net, O-Net…"):
        return cached("faces", item.key, ("mtcnn",), lambda: _timed(lambda: detect_faces(item.image, net)))


def faces_for(item: TrayImage, net: Any) -> list[Face]:
    """MTCNN's faces on this photo (default cascade settings)."""
    return _mtcnn_timed(item, net)[0]


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
        st.download_button("Download the skeleton image (PNG)", lambda: to_png_bytes(drawn), file_name=f"pose-{used}.png",
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


def _drawn() -> DrawnHand:
    return cached("drawn_hand", DRAWN_KEY, (512,), lambda: drawn_hand(512))


def hands_view(item: TrayImage, net: Any) -> None:
    """MediaPipe hands on the photo or on the app's drawn hand: palm boxes, hand regions, 21 points, a table."""
    st.subheader("Hands: a palm detector, then 21 landmarks")
    st.markdown(
        "MediaPipe Hands is two networks, like BlazePose: a **palm detector** (an SSD over 2016 anchors: a box and 7 "
        "keypoints per palm) and a **landmark net** that sees the region around each palm — turned so the wrist → "
        "middle-finger line points up, moved towards the fingers, 2.6× the palm — and regresses **21 (x, y, z)** "
        "points: the wrist and four joints per finger. Detection, then regression: localisation again."
    )
    source = st.radio("Hands on", ["your photo", "a hand drawn by the app"], horizontal=True, key="pose_hand_src",
                      bind="query-params", help="None of the bundled samples shows a hand; the drawing is shapes "
                      "(an ellipse and round-ended strokes), not a photo.")
    if source == "your photo":
        key, image, what = item.key, item.image, "your photo"
    else:
        key, image, what = DRAWN_KEY, _drawn().image, "the app's drawn hand (not a photo)"
    with friendly_errors(), st.spinner("Palm detector, then the hand landmark net…"):
        hands, seconds = cached("hands", key, ("hands", MAX_HANDS),
                                lambda: _timed(lambda: find_hands(image, net, max_hands=MAX_HANDS)))
        m1, m2 = st.columns(2)
        m1.metric("Hands found", len(hands))
        m2.metric("hands time", f"{1000 * seconds:.0f} ms", help="Palm detector plus one landmark run per palm.")
        st.image(draw_hands(image, hands), width=min(640, image.shape[1]),
                 caption=f"{what}: palm boxes (blue), the square each landmark run saw (thin white outline), "
                 "21 points (orange) joined by the bones (white)")
        if hands:
            st.dataframe(hands_table(hands), hide_index=True, key="pose_hands_table")
        elif source == "your photo":
            st.info("No hand found on this photo. Upload one where a hand shows its palm or back, or choose "
                    "“a hand drawn by the app”.", icon="✋")


def _haar_timed(item: TrayImage) -> tuple[np.ndarray, float]:
    def run() -> tuple[np.ndarray, float]:
        found = detect_timed(item.image, cascade_classifier(HAAR_CASCADE), max_side=1024)
        return found.boxes, found.seconds

    return cached("haar_faces", item.key, (HAAR_CASCADE, 1024), run)


def _blazeface_timed(item: TrayImage, net: Any) -> tuple[list[FaceBox], float]:
    return cached("blazeface", item.key, ("blazeface",), lambda: _timed(lambda: blazeface_detect(item.image, net)))


def face_compare_view(item: TrayImage, mtcnn: Any, blazeface: Any) -> None:
    """MTCNN, BlazeFace and OpenCV's Haar cascade on the same photo: boxes, times and their agreement."""
    st.subheader("Three face detectors on one photo")
    st.markdown(
        "**Viola–Jones** (2001: Haar-like features, AdaBoost, a cascade; OpenCV's `frontalface_default`), **MTCNN** "
        "(2016: three small CNNs over an image pyramid) and **BlazeFace** (2019: one SSD pass at 128×128, built for "
        "phones). Two detectors *agree* on a face when their boxes match one-to-one with IoU at least the threshold."
    )
    iou = st.slider("Agreement: IoU at least", 0.1, 0.9, 0.5, 0.05, key="pose_cmp_iou", bind="query-params")
    with friendly_errors():
        faces, t_mtcnn = _mtcnn_timed(item, mtcnn)
        with st.spinner("BlazeFace and the Haar cascade…"):
            found, t_blaze = _blazeface_timed(item, blazeface)
            haar, t_haar = _haar_timed(item)
        runs = [DetectorRun.of("MTCNN", np.array([f.box for f in faces], np.float32).reshape(-1, 4), t_mtcnn,
                               [f.score for f in faces]),
                DetectorRun.of("BlazeFace", np.array([f.box for f in found], np.float32).reshape(-1, 4), t_blaze,
                               [f.score for f in found]),
                DetectorRun.of("Haar", haar, t_haar)]
        legend = ", ".join(f"{r.name} {c}" for r, c in zip(runs, COLOUR_NAMES))
        st.image(draw_detector_boxes(item.image, runs), caption=f"Boxes: {legend}", width=min(640, item.image.shape[1]))
        left, right = st.columns(2)
        left.dataframe(runs_table(runs), hide_index=True, key="pose_cmp_runs")
        right.dataframe(agreement_table(runs, iou), hide_index=True, key="pose_cmp_agree")
        st.caption("Times are of the run that made these boxes (kept for this photo), on this machine's CPU or GPU; "
                   "Haar has no score. BlazeFace is a short-range model: faces far from the camera escape it.")
        if found:
            st.dataframe(blazeface_table(found), hide_index=True, key="pose_blazeface_table")
