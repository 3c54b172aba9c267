"""Semantic and instance segmentation on any photo, and the shapes behind FCN and U-Net.

Modules:

- ``semantic``: ``segment`` (class map and per-class probabilities, once per photo and model), the VOC
  ``palette``, ``overlay_mask`` (``blend_masks``), ``colour_mask``, ``probability_image``, ``class_shares`` (display only).
- ``instances``: Mask R-CNN's instances, the offline substitutes (GrabCut in boxes, the selfie mask split by
  boxes) fed with boxes from the caller, ``boxes_around_keypoints``, ``instance_overlay``.
- ``shapes``: the per-pixel sliding window's cost, FCN-32s and U-Net feature-map shapes.
- ``agreement``: two segmenters compared — mask IoU, per-class IoU and mean IoU of two class maps, a picture.

Models (registered in ``vision_core.models.segmentation``; every function takes the loaded network):

- ``selfie`` / ``selfie_landscape``: MediaPipe selfie segmentation (embedded
  TFLite, 256×256 and 144×256 inputs, RGB in [0, 1], person probability out).
- ``deeplabv3``, ``fcn_resnet50``, ``lraspp``: torchvision, 21 Pascal VOC
  classes, weights downloaded on demand.
- ``maskrcnn``: torchvision Mask R-CNN (COCO instances), downloaded on demand.

Offline, instances come from a clearly labelled substitute, never called Mask R-CNN.

Conventions: images ``(H, W, 3)`` uint8 RGB; class maps ``(H, W)`` uint8 class
indices; scores ``(C, H, W)`` float32 probabilities; boxes ``(N, 4)`` float32 xyxy pixels.
"""

from .agreement import (
    AGREE_COLOURS,
    ClassAgreement,
    MaskAgreement,
    class_agreement,
    mask_agreement_picture,
    mask_iou,
    union_mask,
)
from .instances import (
    BOX_SOURCES,
    InstanceResult,
    ScoredPoint,
    boxes_around_keypoints,
    grabcut_instances,
    instance_overlay,
    mask_rcnn_instances,
    split_mask_by_boxes,
)
from .semantic import (
    SELFIE_CLASSES,
    SEMANTIC_MODELS,
    SegmentationResult,
    blend_masks,
    class_colours,
    class_shares,
    colour_mask,
    overlay_mask,
    palette,
    probability_image,
    segment,
)
from .shapes import ShapeRow, SlidingWindowCost, fcn_shapes, sliding_window_cost, unet_shapes

__all__ = [
    "AGREE_COLOURS",
    "ClassAgreement",
    "MaskAgreement",
    "class_agreement",
    "mask_agreement_picture",
    "mask_iou",
    "union_mask",
    "BOX_SOURCES",
    "SELFIE_CLASSES",
    "SEMANTIC_MODELS",
    "InstanceResult",
    "ScoredPoint",
    "SegmentationResult",
    "ShapeRow",
    "SlidingWindowCost",
    "blend_masks",
    "boxes_around_keypoints",
    "class_colours",
    "class_shares",
    "colour_mask",
    "fcn_shapes",
    "grabcut_instances",
    "instance_overlay",
    "mask_rcnn_instances",
    "overlay_mask",
    "palette",
    "probability_image",
    "segment",
    "sliding_window_cost",
    "split_mask_by_boxes",
    "unet_shapes",
]
