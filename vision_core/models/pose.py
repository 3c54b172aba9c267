"""Pose and face models: MediaPipe BlazePose, face mesh (embedded TFLite), MTCNN (embedded torch), Keypoint R-CNN.

Registers ``blazepose`` (person detector + 33 landmarks), ``face_mesh`` (468 points), ``mtcnn`` (faces
with 5 landmarks) and, with hub weights, ``keypointrcnn`` (17 COCO keypoints). The TFLite runtimes are
not thread-safe: the registry serialises calls into them.
"""

from __future__ import annotations

import torch

from vision_core.assets import MANIFEST
from vision_core.models._api import ModelSpec, Task, register, torchvision_spec
from vision_core.models.mtcnn import load_mtcnn
from vision_core.models.tflite import AnchorOptions, TfliteModel, load_tflite, ssd_anchors
from vision_core.models.transforms import ImagePyramid, Letterboxed, Pipeline, RotatedCrop, ToUnitTensor

__all__ = ["BLAZEPOSE_INPUT", "BLAZEPOSE_NAMES", "FACE_LANDMARK_NAMES", "FACE_MESH_INPUT", "MTCNN_INPUT", "BlazePose"]

FACE_LANDMARK_NAMES: tuple[str, ...] = ("eye (image left)", "eye (image right)", "nose", "mouth (image left)",
                                        "mouth (image right)")

BLAZEPOSE_NAMES: tuple[str, ...] = (
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder", "right_shoulder", "left_elbow",
    "right_elbow", "left_wrist", "right_wrist", "left_pinky", "right_pinky", "left_index", "right_index",
    "left_thumb", "right_thumb", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
    "left_heel", "right_heel", "left_foot_index", "right_foot_index",
)
"""MediaPipe BlazePose's 33 landmark names, in output order."""

BLAZEPOSE_INPUT = Pipeline((
    ("detector", Letterboxed(224, fill=0.0, low=-1.0, high=1.0, chw=False)),
    ("landmarks", RotatedCrop(256, 1.25, 0.0, 1.0)),
))
"""BlazePose's two inputs: the letterboxed photo for the person detector, the rotated body crop for the landmarks."""
FACE_MESH_INPUT = RotatedCrop(192, 1.5, 0.0, 1.0)
"""The face mesh's input: a square crop 1.5× the face box, rotated so the eyes are level."""
MTCNN_INPUT = ImagePyramid(cell=12, factor=0.709, offset=127.5, divisor=128.0)
"""MTCNN's input: an image pyramid of 12-pixel windows, pixels as (v − 127.5) / 128."""

_POSE_ANCHORS = AnchorOptions(input_height=224, input_width=224, num_layers=5, min_scale=0.1484375, max_scale=0.75,
                              strides=(8, 16, 32, 32, 32))


class BlazePose:
    """MediaPipe's pose detector + 33-landmark net (TFLite); not thread-safe."""

    def __init__(self, detector: TfliteModel, landmarks: TfliteModel) -> None:
        self.detector = detector
        self.landmarks = landmarks
        self.anchors = ssd_anchors(_POSE_ANCHORS)
        if len(self.anchors) != detector.output_shapes[0][1]:
            raise ValueError(f"Expected {detector.output_shapes[0][1]} anchors, generated {len(self.anchors)}.")


def _load_blazepose(device: torch.device) -> BlazePose:
    return BlazePose(load_tflite("pose_detection"), load_tflite("pose_landmark_full"))



_MP = MANIFEST["pose_detection"]
register(
    ModelSpec(
        name="blazepose",
        task=Task.POSE,
        title="MediaPipe BlazePose (detector + 33 landmarks)",
        loader=_load_blazepose,
        assets=("pose_detection", "pose_landmark_full"),
        preprocessing=BLAZEPOSE_INPUT,
        classes=BLAZEPOSE_NAMES,
        citation=f"Bazarevsky et al., BlazePose, 2020; {_MP.citation}",
        thread_safe=False,
    )
)
register(
    ModelSpec(
        name="mtcnn",
        task=Task.FACE_DETECTION,
        title="MTCNN face detector (P-Net, R-Net, O-Net)",
        loader=load_mtcnn,
        assets=("mtcnn_pnet", "mtcnn_rnet", "mtcnn_onet"),
        preprocessing=MTCNN_INPUT,
        classes=FACE_LANDMARK_NAMES,
    )
)
register(
    ModelSpec(
        name="face_mesh",
        task=Task.FACE_LANDMARKS,
        title="MediaPipe face mesh (468 points)",
        loader=lambda device: load_tflite("face_landmark"),
        assets=("face_landmark",),
        preprocessing=FACE_MESH_INPUT,
        thread_safe=False,
    )
)
register(torchvision_spec("keypointrcnn", Task.POSE, "Keypoint R-CNN ResNet-50 FPN (COCO 17 keypoints)",
                          "keypointrcnn_resnet50_fpn", "KeypointRCNN_ResNet50_FPN_Weights", preprocessing=ToUnitTensor()))
