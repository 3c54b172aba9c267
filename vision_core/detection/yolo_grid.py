"""YOLO's grid: the S × S cells of YOLO v1 over a photo, its S × S × (5·B + C) output, YOLOv3-tiny's real heads.

Images are ``(H, W, 3)`` uint8 RGB; boxes ``xyxy`` pixels. The cell containing a box's centre is the one
"responsible" for it (YOLO v1, Redmon et al. 2016).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from vision_core.checks import check_image
from vision_core.errors import BadInput
from vision_core.models.detection import YoloDetector
from vision_core.models.device import net_device
from vision_core.ops.draw import colour_for, draw_boxes

from .results import Detections

__all__ = ["YoloGrid", "yolo_grid", "yolo_output_shape", "yolov3_tiny_heads"]


def yolov3_tiny_heads(net: YoloDetector, input_size: int = 416) -> list[tuple[int, int, int, int]]:
    """YOLOv3-tiny's real output maps at ``input_size``: ``(G, G, anchors, 5 + classes)`` per head, measured by
    a forward pass of the embedded network ``net`` (13×13 and 26×26 cells, 3 anchors, 85 values at 416)."""
    if input_size < 32 or input_size % 32:
        raise BadInput(f"The YOLO input size must be a multiple of 32, got {input_size}.")
    darknet = net.net
    with torch.inference_mode():
        raw = darknet(torch.zeros(1, 3, input_size, input_size, device=net_device(darknet)))
    return [(int(r.shape[2]), int(r.shape[3]), len(h.anchors), 5 + h.classes) for r, h in zip(raw, darknet.heads)]


def yolo_output_shape(S: int = 7, B: int = 2, C: int = 20) -> tuple[int, int, int]:
    """YOLO v1's output tensor: S × S × (5·B + C); the lecture's S = 7, B = 2, C = 20 gives 7 × 7 × 30."""
    for v, name in ((S, "S"), (B, "B"), (C, "C")):
        if not isinstance(v, int) or v < 1:
            raise BadInput(f"{name} must be a positive whole number, got {v!r}.")
    return (S, S, 5 * B + C)


@dataclass(frozen=True)
class YoloGrid:
    """The S × S grid over a photo: ``figure`` ``(H, W, 3)`` uint8 with grid lines, the cells holding an object's
    centre shaded and the centres dotted; ``cells`` ``(row, col, label)`` responsible for each box."""

    figure: np.ndarray
    S: int
    shape: tuple[int, int, int]
    cells: tuple[tuple[int, int, str], ...]

    @property
    def values(self) -> int:
        return int(np.prod(self.shape))


def yolo_grid(image: np.ndarray, det: Detections | None = None, S: int = 7, B: int = 2, C: int = 20) -> YoloGrid:
    """Draw YOLO's S × S grid on ``image``; with detections, the cell containing each box centre is the one
    "responsible" for predicting that box (YOLO v1's rule)."""
    image = check_image(image)
    shape = yolo_output_shape(S, B, C)
    h, w = image.shape[:2]
    out = image.astype(np.float32)
    cells: list[tuple[int, int, str]] = []
    if det is not None:
        if det.image_size != (h, w):
            raise BadInput("These detections belong to a photo of another size.")
        for b, lab in zip(det.boxes, det.labels):
            cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
            col, row = min(S - 1, int(cx * S / w)), min(S - 1, int(cy * S / h))
            cells.append((row, col, lab))
            ys, ye = round(row * h / S), round((row + 1) * h / S)
            xs, xe = round(col * w / S), round((col + 1) * w / S)
            out[ys:ye, xs:xe] = 0.55 * out[ys:ye, xs:xe] + 0.45 * np.array(colour_for(lab), np.float32)
    out = out.astype(np.uint8)
    line = max(1, round(max(h, w) / 400))
    for k in range(1, S):
        x, y = round(k * w / S), round(k * h / S)
        out[:, max(0, x - line // 2) : x - line // 2 + line] = 255
        out[max(0, y - line // 2) : y - line // 2 + line, :] = 255
    if det is not None and len(det):
        r = max(3, round(max(h, w) / 120))
        dots = np.array([[(b[0] + b[2]) / 2 - r, (b[1] + b[3]) / 2 - r, (b[0] + b[2]) / 2 + r, (b[1] + b[3]) / 2 + r]
                         for b in det.boxes], np.float32)
        out = draw_boxes(out, det.boxes, None, [colour_for(lab) for lab in det.labels])
        out = draw_boxes(out, dots, None, (255, 255, 255), width=1, fill=True)
    return YoloGrid(out, S, shape, tuple(cells))
