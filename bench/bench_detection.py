"""Detection rows: YOLOv3-tiny's whole ``detect`` call on a 640-px photo against the bare forward pass, and the
display-only part (``select`` on kept candidates) that a score or NMS slider costs."""

from __future__ import annotations

import numpy as np
import torch

from bench.core import Row, timed_row
from vision_core import detection as D
from vision_core.models import get_model
from vision_core.models.device import net_device


def rows() -> list[Row]:
    scene = np.array(D.composite_scene())  # 640 × 480
    torch_net = get_model("yolov3_tiny")
    big_net = get_model("yolov3_tiny_608", base=torch_net)
    cv_net = get_model("yolov3_tiny_opencv")
    x, _ = torch_net.preprocess(scene)
    tensor = torch.from_numpy(x)[None].to(net_device(torch_net.net))

    def bare_forward() -> object:
        with torch.inference_mode():
            return torch_net.net(tensor)

    def bare_cv2() -> object:
        return cv_net.forward_raw(x[None])

    found = D.candidates(scene, net=torch_net)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        single = timed_row("detection", "detect(): YOLOv3-tiny torch, 640×480, 1 thread",
                           lambda: D.detect(scene, net=torch_net), bare_forward, repeat=15,
                           target="< 300 ms, ≤ 1.3× bare forward",
                           note="torch.set_num_threads(1): steadier when the cores are oversubscribed")
    finally:
        torch.set_num_threads(threads)
    return [
        timed_row("detection", f"detect(): YOLOv3-tiny torch, 640×480, {threads} threads",
                  lambda: D.detect(scene, net=torch_net), bare_forward, repeat=15, target="< 300 ms, ≤ 1.3× bare forward",
                  note="baseline: the Darknet module's forward on the letterboxed 416² tensor"),
        single,
        timed_row("detection", "select(): a score/NMS slider move on kept candidates (2535, score ≥ 0.05)",
                  lambda: D.select(found, 0.05, 0.45), lambda: D.candidates(scene, net=torch_net), repeat=15,
                  target="< 20 ms, a small fraction of candidates()",
                  note="baseline: candidates(), the network run the page caches per photo and model"),
        timed_row("detection", "detect(): YOLOv3-tiny OpenCV dnn, 640×480",
                  lambda: D.detect(scene, "yolov3_tiny_opencv", net=cv_net), bare_cv2, repeat=15,
                  note="baseline: cv2.dnn forward on the same tensor"),
        timed_row("detection", "detect(): YOLOv3-tiny torch at 608², 640×480",
                  lambda: D.detect(scene, "yolov3_tiny_608", net=big_net), repeat=7),
        timed_row("detection", "region_proposals(): 640×480 (Selective-Search style)", lambda: D.region_proposals(scene),
                  repeat=3, note="lecture: ~2000 proposals in a few seconds of CPU"),
    ]
