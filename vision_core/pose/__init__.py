"""Human pose, face and hand keypoints: BlazePose (33), Keypoint R-CNN (17), MTCNN (5), BlazeFace (6), face mesh
(468), MediaPipe hands (21).

Modules:

- ``body``: BlazePose's person detector and landmark net decoded by hand, Keypoint R-CNN,
  ``estimate_pose`` / ``detect_people``; ``Pose``, ``Keypoint``, ``PersonDetection``.
- ``faces``: the MTCNN cascade (``detect_faces``), MediaPipe's face mesh (``face_mesh``); ``Face``.
- ``joints``: the lecture's 14 joints (DeepPose) from either model, as a table or CSV.
- ``hands``: MediaPipe's palm detector and 21 hand landmarks (``find_hands``, ``hand_roi``); ``Palm``, ``Hand``.
- ``blazeface``: MediaPipe's short-range face detector (``blazeface_detect``); ``FaceBox``.
- ``compare``: face detectors side by side: ``DetectorRun``, one-to-one IoU agreement, times.
- ``drawn_hand``: a hand the app draws itself (no sample photo shows one), with its fingertips known.
- ``draw``: skeletons, the 14-joint figure, face boxes, landmarks, mesh, hands and compared boxes over the photo.
- ``ssd``: MediaPipe's SSD detection heads decoded (person, face and palm detectors).
- ``crops``: MediaPipe's rotated square crops and the sigmoid, shared by ``body``, ``faces`` and ``hands``.

The networks and their input recipes (``BLAZEPOSE_INPUT``, ``BLAZEFACE_INPUT``, ``HANDS_INPUT``,
``FACE_MESH_INPUT``, ``MTCNN_INPUT``)
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
from vision_core.pose.blazeface import BLAZEFACE_KEYPOINT_NAMES, FaceBox, blazeface_detect, blazeface_table
from vision_core.pose.compare import Agreement, DetectorRun, agreement, agreement_table, runs_table
from vision_core.pose.draw import DETECTOR_COLOURS, draw_detector_boxes, draw_faces, draw_hands, draw_joints14, draw_poses
from vision_core.pose.drawn_hand import DrawnHand, drawn_hand
from vision_core.pose.faces import Face, detect_faces, face_mesh, faces_table
from vision_core.pose.hands import (
    HAND_CONNECTIONS,
    HAND_LANDMARK_NAMES,
    PALM_KEYPOINT_NAMES,
    Hand,
    HandRoi,
    Palm,
    detect_palms,
    find_hands,
    hand_landmarks,
    hand_roi,
    hands_table,
)
from vision_core.pose.joints import JOINTS14, JOINTS14_CONNECTIONS, Joint, joints_csv, joints_table, to_joints14

__all__ = [
    "BLAZEFACE_KEYPOINT_NAMES",
    "BLAZEPOSE_CONNECTIONS",
    "BLAZEPOSE_NAMES",
    "COCO_CONNECTIONS",
    "COCO_NAMES",
    "DETECTOR_COLOURS",
    "FACE_LANDMARK_NAMES",
    "HAND_CONNECTIONS",
    "HAND_LANDMARK_NAMES",
    "JOINTS14",
    "JOINTS14_CONNECTIONS",
    "PALM_KEYPOINT_NAMES",
    "POSE_MODELS",
    "Agreement",
    "BlazePose",
    "DetectorRun",
    "DrawnHand",
    "Face",
    "FaceBox",
    "Hand",
    "HandRoi",
    "Joint",
    "Keypoint",
    "MTCNN",
    "Palm",
    "PersonDetection",
    "Pose",
    "agreement",
    "agreement_table",
    "blazeface_detect",
    "blazeface_table",
    "detect_faces",
    "detect_palms",
    "detect_people",
    "draw_detector_boxes",
    "draw_faces",
    "draw_hands",
    "draw_joints14",
    "draw_poses",
    "drawn_hand",
    "estimate_pose",
    "face_mesh",
    "faces_table",
    "find_hands",
    "hand_landmarks",
    "hand_roi",
    "hands_table",
    "joints_csv",
    "joints_table",
    "runs_table",
    "to_joints14",
]
