"""Pose, face and hand models: MediaPipe BlazePose, BlazeFace, face mesh, hands (embedded TFLite), MTCNN, Keypoint R-CNN.

Registers ``blazepose`` (person detector + 33 landmarks), ``blazeface`` (short-range face detector, 6
keypoints), ``face_mesh`` (468 points), ``hands`` (palm detector + 21 hand landmarks), ``mtcnn`` (faces
with 5 landmarks) and, with hub weights, ``keypointrcnn`` (17 COCO keypoints). The TFLite runtimes are
not thread-safe: the registry serialises calls into them. Input recipes (``*_INPUT``) and the numbers of
MediaPipe's anchor calculators (``*_ANCHORS``) are the ones in MediaPipe 0.10's graphs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from vision_core.assets import MANIFEST
from vision_core.models._api import ModelSpec, Task, register, torchvision_spec
from vision_core.models.mtcnn import load_mtcnn
from vision_core.models.tflite import AnchorOptions, TfliteModel, load_tflite, ssd_anchors
from vision_core.models.transforms import ImagePyramid, Letterboxed, Pipeline, RotatedCrop, ToUnitTensor

__all__ = [
    "BLAZEFACE_INPUT",
    "BLAZEFACE_KEYPOINT_NAMES",
    "BLAZEPOSE_INPUT",
    "BLAZEPOSE_NAMES",
    "FACE_LANDMARK_NAMES",
    "FACE_MESH_INPUT",
    "HAND_LANDMARK_NAMES",
    "HANDS_INPUT",
    "MTCNN_INPUT",
    "BlazeFace",
    "BlazePose",
    "MediaPipeHands",
]

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

BLAZEFACE_KEYPOINT_NAMES: tuple[str, ...] = ("right eye", "left eye", "nose tip", "mouth centre", "right ear tragion",
                                              "left ear tragion")
"""BlazeFace's 6 keypoints, in output order ("right"/"left": the person's own sides)."""
HAND_LANDMARK_NAMES: tuple[str, ...] = (
    "wrist", "thumb_cmc", "thumb_mcp", "thumb_ip", "thumb_tip", "index_mcp", "index_pip", "index_dip", "index_tip",
    "middle_mcp", "middle_pip", "middle_dip", "middle_tip", "ring_mcp", "ring_pip", "ring_dip", "ring_tip",
    "pinky_mcp", "pinky_pip", "pinky_dip", "pinky_tip",
)
"""MediaPipe's 21 hand landmarks, in output order (tips are 4, 8, 12, 16, 20)."""
BLAZEFACE_INPUT = Letterboxed(128, fill=0.0, low=-1.0, high=1.0, chw=False)
"""BlazeFace (short range)'s input: the photo letterboxed to 128×128, black borders, values in [-1, 1]."""
HANDS_INPUT = Pipeline((
    ("palm", Letterboxed(192, fill=0.0, low=0.0, high=1.0, chw=False)),
    ("landmarks", RotatedCrop(224, 2.6, 0.0, 1.0)),
))
"""The hand pipeline's two inputs: the letterboxed photo for the palm detector, the rotated hand crop (2.6× the
palm box, moved half a palm towards the fingers) for the 21 landmarks."""

_POSE_ANCHORS = AnchorOptions(input_height=224, input_width=224, num_layers=5, min_scale=0.1484375, max_scale=0.75,
                              strides=(8, 16, 32, 32, 32))


BLAZEFACE_ANCHORS = AnchorOptions(input_height=128, input_width=128, num_layers=4, min_scale=0.1484375,
                                  max_scale=0.75, strides=(8, 16, 16, 16))
"""BlazeFace short range: 16×16×2 + 8×8×6 = 896 anchors."""
PALM_ANCHORS = AnchorOptions(input_height=192, input_width=192, num_layers=4, min_scale=0.1484375, max_scale=0.75,
                             strides=(8, 16, 16, 16))
"""The full palm detector: 24×24×2 + 12×12×6 = 2016 anchors."""


def _anchors_for(net: TfliteModel, options: AnchorOptions) -> np.ndarray:
    anchors = ssd_anchors(options)
    if len(anchors) != net.output_shapes[0][1]:
        raise ValueError(f"Expected {net.output_shapes[0][1]} anchors for {net.path.name}, generated {len(anchors)}.")
    return anchors


class BlazeFace:
    """MediaPipe's short-range face detector (TFLite) with its 896 anchors; not thread-safe."""

    def __init__(self, detector: TfliteModel) -> None:
        self.detector = detector
        self.anchors = _anchors_for(detector, BLAZEFACE_ANCHORS)


class MediaPipeHands:
    """MediaPipe's palm detector + 21-landmark hand net (TFLite) with the palm anchors; not thread-safe."""

    def __init__(self, palm: TfliteModel, landmarks: TfliteModel) -> None:
        self.palm = palm
        self.landmarks = landmarks
        self.anchors = _anchors_for(palm, PALM_ANCHORS)


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


def _tflite_spec(name: str, task: Task, title: str, loader: Callable[[torch.device], Any], assets: tuple[str, ...],
                 preprocessing: Any, classes: tuple[str, ...] = (), paper: str = "") -> ModelSpec:
    """A MediaPipe TFLite model: not thread-safe (the registry serialises calls into it); its citation is
    ``paper`` then the first asset's manifest citation (only the manifest's when there is no ``paper``)."""
    citation = f"{paper}; {MANIFEST[assets[0]].citation}" if paper else ""
    return ModelSpec(name=name, task=task, title=title, loader=loader, assets=assets, preprocessing=preprocessing,
                     classes=classes, citation=citation, thread_safe=False)


register(_tflite_spec("blazepose", Task.POSE, "MediaPipe BlazePose (detector + 33 landmarks)", _load_blazepose,
                      ("pose_detection", "pose_landmark_full"), BLAZEPOSE_INPUT, BLAZEPOSE_NAMES,
                      paper="Bazarevsky et al., BlazePose, 2020"))
register(ModelSpec(name="mtcnn", task=Task.FACE_DETECTION, title="MTCNN face detector (P-Net, R-Net, O-Net)",
                   loader=load_mtcnn, assets=("mtcnn_pnet", "mtcnn_rnet", "mtcnn_onet"),
                   preprocessing=MTCNN_INPUT, classes=FACE_LANDMARK_NAMES))
register(_tflite_spec("blazeface", Task.FACE_DETECTION, "MediaPipe BlazeFace (short range, 6 keypoints)",
                      lambda device: BlazeFace(load_tflite("face_detection_short_range")),
                      ("face_detection_short_range",), BLAZEFACE_INPUT, BLAZEFACE_KEYPOINT_NAMES,
                      paper="Bazarevsky et al., BlazeFace, 2019"))
register(_tflite_spec("hands", Task.HAND_LANDMARKS, "MediaPipe hands (palm detector + 21 landmarks)",
                      lambda device: MediaPipeHands(load_tflite("palm_detection_full"),
                                                    load_tflite("hand_landmark_full")),
                      ("palm_detection_full", "hand_landmark_full"), HANDS_INPUT, HAND_LANDMARK_NAMES,
                      paper="Zhang et al., MediaPipe Hands, 2020"))
register(_tflite_spec("face_mesh", Task.FACE_LANDMARKS, "MediaPipe face mesh (468 points)",
                      lambda device: load_tflite("face_landmark"), ("face_landmark",), FACE_MESH_INPUT))
register(torchvision_spec("keypointrcnn", Task.POSE, "Keypoint R-CNN ResNet-50 FPN (COCO 17 keypoints)",
                          "keypointrcnn_resnet50_fpn", "KeypointRCNN_ResNet50_FPN_Weights", preprocessing=ToUnitTensor()))
