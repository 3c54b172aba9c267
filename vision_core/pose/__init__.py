"""Human pose and face keypoints: BlazePose (33 landmarks), Keypoint R-CNN (17), MTCNN faces (5), face mesh (468).

Modules:

- ``body``: BlazePose's person detector and landmark net decoded by hand, Keypoint R-CNN,
  ``estimate_pose`` / ``detect_people``; ``Pose``, ``Keypoint``, ``PersonDetection``.
- ``faces``: the MTCNN cascade (``detect_faces``), MediaPipe's face mesh (``face_mesh``); ``Face``.
- ``joints``: the lecture's 14 joints (DeepPose) from either model, as a table or CSV.
- ``draw``: skeletons, the 14-joint figure, face boxes, landmarks and mesh over the photo.
- ``crops``: MediaPipe's rotated square crops and the sigmoid, shared by ``body`` and ``faces``.

The networks and their input recipes (``BLAZEPOSE_INPUT``, ``FACE_MESH_INPUT``, ``MTCNN_INPUT``)
are registered in ``vision_core.models.pose``; every function here takes the loaded network.
Coordinates are pixels of the input image, x right, y down; "left"/"right" are the person's own sides.
"""

from vision_core.models.mtcnn import MTCNN
from vision_core.models.pose import BLAZEPOSE_NAMES, FACE_LANDMARK_NAMES, BlazePose
from vision_core.pose.body import (
    BLAZEPOSE_CONNECTIONS,
    COCO_CONNECTIONS,
    COCO_NAMES,
    POSE_MODELS,
    Keypoint,
    PersonDetection,
    Pose,
    detect_people,
    estimate_pose,
)
from vision_core.pose.draw import draw_faces, draw_joints14, draw_poses
from vision_core.pose.faces import Face, detect_faces, face_mesh, faces_table
from vision_core.pose.joints import JOINTS14, JOINTS14_CONNECTIONS, Joint, joints_csv, joints_table, to_joints14

__all__ = [
    "BLAZEPOSE_CONNECTIONS",
    "BLAZEPOSE_NAMES",
    "COCO_CONNECTIONS",
    "COCO_NAMES",
    "FACE_LANDMARK_NAMES",
    "JOINTS14",
    "JOINTS14_CONNECTIONS",
    "POSE_MODELS",
    "BlazePose",
    "Face",
    "Joint",
    "Keypoint",
    "MTCNN",
    "PersonDetection",
    "Pose",
    "detect_faces",
    "detect_people",
    "draw_faces",
    "draw_joints14",
    "draw_poses",
    "estimate_pose",
    "face_mesh",
    "faces_table",
    "joints_csv",
    "joints_table",
    "to_joints14",
]
