"""Pose and keypoints: BlazePose or Keypoint R-CNN skeletons, MTCNN faces, face mesh, the lecture's 14 joints,
hands (21 landmarks) and three face detectors compared.

Every network runs once per photo and setting (``ui.pose_views``); the visibility slider and the overlay
checkboxes only change what is drawn."""

from __future__ import annotations

import streamlit as st

from ui.common import friendly_errors, page_header
from ui.models import require_model, say_strongest, strongest_index
from ui.pose_views import (
    face_compare_view,
    faces_for,
    faces_view,
    hands_view,
    joints_view,
    meshes_for,
    overlays_view,
    poses_for,
)
from ui.tray import current_image
from vision_core.models import Task, get_spec
from vision_core.pose import POSE_MODELS

page_header(
    "🤸 Pose and keypoints",
    "Beyond classification — classification + localisation, human pose estimation (DeepPose, 14 joints)",
    "Localisation is regression: instead of 4 box numbers, a pose network regresses the (x, y) of every joint. "
    "The lecture represents a pose by **14 joints** (feet, knees, hips, shoulders, elbows, hands, neck, head top); "
    "today's models give more points. Run them on your photo and see how their points map onto the 14.",
)

item = current_image()

c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
model = c1.selectbox("Pose model", POSE_MODELS, index=strongest_index(Task.POSE, POSE_MODELS, "blazepose"),
                     key="pose_model", bind="query-params",
                     help="blazepose: MediaPipe, 33 landmarks, embedded. keypointrcnn: torchvision Keypoint R-CNN, "
                     "17 COCO keypoints, several people, downloaded on demand.")
min_score = c2.slider("Min. visibility", 0.05, 0.95, 0.5, 0.05, key="pose_min", bind="query-params",
                      help="Points less visible than this are hidden (and marked in the table).")
people = int(c3.number_input("People (max)", 1, 10, 1, key="pose_people", bind="query-params"))
show_faces = c4.checkbox("MTCNN faces", True, key="pose_faces", bind="query-params")
show_mesh = c4.checkbox("Face mesh (468)", False, key="pose_mesh", bind="query-params")
show_hands = c4.checkbox("Hands (21)", False, key="pose_hands", bind="query-params",
                         help="MediaPipe's palm detector and hand landmark net (embedded).")
spec = get_spec(model)
st.caption(f"**{spec.title}** · {spec.preprocessing_text}")

net = require_model(model)
used = model
if net is None and model != "blazepose":
    st.info("Meanwhile, the embedded BlazePose runs on your photo.", icon="↩️")
    used, net = "blazepose", require_model("blazepose")
say_strongest(used, Task.POSE)

poses, ms = [], 0.0
if net is not None:
    with friendly_errors():
        poses, ms = poses_for(item, used, net, people)

faces, meshes = [], []
if show_faces or show_mesh:
    mtcnn = require_model("mtcnn")
    if mtcnn is not None:
        with friendly_errors():
            faces = faces_for(item, mtcnn)
    if show_mesh and faces:
        mesh_net = require_model("face_mesh")
        if mesh_net is not None:
            with friendly_errors():
                meshes = meshes_for(item, faces, mesh_net)

m1, m2, m3 = st.columns(3)
m1.metric("People found", len(poses))
m2.metric("Faces found (MTCNN)", len(faces))
m3.metric(f"{used} time", f"{ms:.0f} ms", help="Time of the run that made these points; they are kept for this "
          "photo, so moving a slider that only changes the display does not run the network again.")

overlays_view(item, used, poses, faces, meshes, min_score, show_faces)
if not poses:
    st.warning("No person found in this photo. Try the astronaut sample, or a photo where one person is clearly "
               "visible.", icon="🔍")
joints_view(item, poses, min_score)
faces_view(faces)

if show_hands:
    hands_net = require_model("hands")
    if hands_net is not None:
        hands_view(item, hands_net)

if st.toggle("Compare face detectors: MTCNN, BlazeFace, Haar cascade", False, key="pose_compare",
             bind="query-params"):
    mtcnn, blazeface = require_model("mtcnn"), require_model("blazeface")
    if mtcnn is not None and blazeface is not None:
        face_compare_view(item, mtcnn, blazeface)
