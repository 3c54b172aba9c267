"""Pose and keypoints: BlazePose or Keypoint R-CNN skeletons, MTCNN faces, face mesh, and the lecture's 14 joints."""

from __future__ import annotations

import time

import streamlit as st

from ui.common import friendly_errors, page_header
from ui.models import model_lock, require_model
from ui.segpose_plots import cached_faces, cached_pose
from ui.tray import current_image
from vision_core.io.images import to_png_bytes
from vision_core.models import get_spec
from vision_core.pose import (
    FACE_LANDMARK_NAMES,
    JOINTS14,
    POSE_MODELS,
    draw_faces,
    draw_joints14,
    draw_poses,
    estimate_pose,
    face_mesh,
    joints_csv,
    to_joints14,
)

page_header(
    "🤸 Pose and keypoints",
    "Beyond classification — classification + localisation, human pose estimation (DeepPose, 14 joints)",
    "Localisation is regression: instead of 4 box numbers, a pose network regresses the (x, y) of every joint. "
    "The lecture represents a pose by **14 joints** (feet, knees, hips, shoulders, elbows, hands, neck, head top); "
    "today's models give more points. Run them on your photo and see how their points map onto the 14.",
)

item = current_image()
img = item.image
H, W = img.shape[:2]

c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
model = c1.selectbox("Pose model", POSE_MODELS, key="pose_model", bind="query-params",
                     help="blazepose: MediaPipe, 33 landmarks, embedded. keypointrcnn: torchvision Keypoint R-CNN, "
                     "17 COCO keypoints, several people, downloaded on demand.")
min_score = c2.slider("Min. visibility", 0.05, 0.95, 0.5, 0.05, key="pose_min", bind="query-params",
                      help="Points less visible than this are hidden (and marked in the table).")
people = c3.number_input("People (max)", 1, 10, 1, key="pose_people", bind="query-params")
show_faces = c4.checkbox("MTCNN faces", True, key="pose_faces", bind="query-params")
show_mesh = c4.checkbox("Face mesh (468)", False, key="pose_mesh", bind="query-params")
st.caption(f"**{get_spec(model).title}** · {get_spec(model).preprocessing}")

net = require_model(model)
used = model
if net is None and model != "blazepose":
    st.info("Meanwhile, the embedded BlazePose runs on your photo.", icon="↩️")
    used, net = "blazepose", require_model("blazepose")

poses = []
if net is not None:
    with model_lock(used), friendly_errors():
        if used == "blazepose":
            t0 = time.perf_counter()
            poses = estimate_pose(img, used, net=net, min_score=0.5, max_people=int(people))
            st.session_state["_pose_ms"] = 1000 * (time.perf_counter() - t0)
        else:
            poses, st.session_state["_pose_ms"] = cached_pose(item.key, img, used, int(people), net)

faces, meshes = [], []
if show_faces or show_mesh:
    mtcnn = require_model("mtcnn")
    if mtcnn is not None:
        with friendly_errors():
            faces = cached_faces(item.key, img, mtcnn)
    if show_mesh and faces:
        mesh_net = require_model("face_mesh")
        if mesh_net is not None:
            with model_lock("face_mesh"), friendly_errors():
                meshes = [face_mesh(img, f, mesh_net)[0] for f in faces]

m1, m2, m3 = st.columns(3)
m1.metric("People found", len(poses))
m2.metric("Faces found (MTCNN)", len(faces))
m3.metric(f"{used} time", f"{st.session_state.get('_pose_ms', 0):.0f} ms")

left, right = st.columns(2)
with friendly_errors():
    drawn = draw_faces(draw_poses(img, poses, min_score), faces if show_faces else [], meshes)
    left.image(drawn, caption=f"{used}: {len(poses[0].keypoints) if poses else 0} points per person"
               + (", MTCNN face boxes and 5 landmarks" if show_faces else ""), width="stretch")
    right.image(draw_joints14(img, poses, min_score), caption="The lecture's 14 joints (DeepPose / Leeds Sports Pose)",
                width="stretch")
    st.download_button("Download the skeleton image (PNG)", to_png_bytes(drawn), file_name=f"pose-{used}.png",
                       mime="image/png", key="pose_png")

if not poses:
    st.warning("No person found in this photo. Try the astronaut sample, or a photo where one person is clearly "
               "visible.", icon="🔍")

st.subheader("From the model's points to the lecture's 14 joints")
st.markdown(
    "DeepPose (Toshev & Szegedy 2014) feeds the image through AlexNet-like layers to a 4096-vector and regresses "
    "**14 × 2 = 28 numbers**. BlazePose regresses 33 landmarks and Keypoint R-CNN 17 heatmaps; the table below "
    "shows where each of the 14 joints comes from. Feet are the ankles and hands the wrists; neither model has a "
    "neck or head top, so those two are derived."
)
if poses:
    with friendly_errors():
        rows = []
        for i, pose in enumerate(poses, start=1):
            for j in to_joints14(pose):
                rows.append({"person": i, "joint": j.name, "x": round(j.x, 1), "y": round(j.y, 1),
                             "score": round(j.score, 3), "visible": j.score >= min_score, "from": j.source})
        st.dataframe(rows, hide_index=True, key="pose_table")
        st.caption(f"Pixels of this {W}×{H} photo, x to the right, y down; left / right are the person's own sides. "
                   "Coordinates outside the photo are the model's guesses for body parts out of frame; "
                   "their low score says so.")
        st.download_button("Download the joints (CSV)", joints_csv(poses), file_name="joints14.csv", mime="text/csv",
                           key="pose_csv")
else:
    st.dataframe([{"joint": n, "from": s} for n, s in JOINTS14], hide_index=True)

if faces:
    st.subheader("Faces: MTCNN's cascade")
    st.markdown(
        "MTCNN (Zhang et al. 2016) is three small CNNs: **P-Net** slides a 12×12 window over an image pyramid "
        "(a fully convolutional sliding window), **R-Net** re-scores each proposal at 24×24, **O-Net** at 48×48 "
        "also regresses 5 landmarks — localisation as regression again."
    )
    st.dataframe(
        [{"face": i + 1, "score": round(f.score, 5), "box (x0, y0, x1, y1)": ", ".join(f"{v:.0f}" for v in f.box)}
         | {name: f"({x:.0f}, {y:.0f})" for name, (x, y) in zip(FACE_LANDMARK_NAMES, f.landmarks)}
         for i, f in enumerate(faces)],
        hide_index=True,
    )
