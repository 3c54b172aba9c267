"""Detection rows: YOLOv3-tiny's whole ``detect`` call on a 640-px photo against the bare forward pass."""

from __future__ import annotations

import numpy as np
import torch

from bench.core import Row, timed_row
from vision_core import detection as D
from vision_core.models.darknet import letterbox


def rows() -> list[Row]:
    scene = np.array(D.composite_scene())  # 640 × 480
    torch_net = D._model("yolov3_tiny")
    cv_net = D._model("yolov3_tiny_opencv")
    x, _ = letterbox(scene, 416)
    tensor = torch.from_numpy(x)[None].to(next(torch_net.parameters()).device)

    def bare_forward() -> object:
        with torch.inference_mode():
            return torch_net.net(tensor)

    def bare_cv2() -> object:
        return cv_net.forward_raw(x[None])

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        single = timed_row("detection", "detect(): YOLOv3-tiny torch, 640×480, 1 thread", lambda: D.detect(scene),
                           bare_forward, repeat=15, target="< 300 ms, ≤ 1.3× bare forward",
                           note="torch.set_num_threads(1): steadier when the cores are oversubscribed")
    finally:
        torch.set_num_threads(threads)
    return [
        timed_row("detection", f"detect(): YOLOv3-tiny torch, 640×480, {threads} threads", lambda: D.detect(scene),
                  bare_forward, repeat=15, target="< 300 ms, ≤ 1.3× bare forward",
                  note="baseline: the Darknet module's forward on the letterboxed 416² tensor"),
        single,
        timed_row("detection", "detect(): YOLOv3-tiny OpenCV dnn, 640×480", lambda: D.detect(scene, "yolov3_tiny_opencv"),
                  bare_cv2, repeat=15, note="baseline: cv2.dnn forward on the same tensor"),
        timed_row("detection", "detect(): YOLOv3-tiny torch at 608², 640×480", lambda: D.detect(scene, "yolov3_tiny_608"),
                  repeat=7),
        timed_row("detection", "region_proposals(): 640×480 (Selective-Search style)", lambda: D.region_proposals(scene),
                  repeat=3, note="lecture: ~2000 proposals in a few seconds of CPU"),
    ]
