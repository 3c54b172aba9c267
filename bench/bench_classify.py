"""Classify a photo / Inside the network: top-5 on a 1024-px photo, occlusion at 224 stride 16, feature maps, Grad-CAM.

Baselines are the bare library calls: torchvision v2 transforms + the same network's forward for top-5,
Captum's ``Occlusion`` on the shared (contiguous) model, the network's own forward up to the layer.
"""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image
from torchvision.transforms import v2

from bench.core import Row, timed_row
from vision_core.classify import classify, prepare
from vision_core.models import get_model
from vision_core.io.samples import load_sample
from vision_core.see import feature_maps, grad_cam, occlusion_map


def rows() -> list[Row]:
    lite0 = get_model("efficientnet_lite0", "cpu")
    vgg = get_model("vgg16_features", "cpu")
    photo = np.array(Image.fromarray(load_sample("chelsea")).resize((1024, 681), Image.Resampling.LANCZOS))
    chelsea = load_sample("chelsea")
    pipeline = v2.Compose([
        v2.Resize(256, antialias=True), v2.CenterCrop(224), v2.ToDtype(torch.float32, scale=True),
        v2.Normalize([127 / 255] * 3, [128 / 255] * 3),
    ])

    def bare_top5() -> object:
        x = pipeline(torch.from_numpy(photo).permute(2, 0, 1))[None]
        with torch.inference_mode():
            return torch.softmax(lite0(x), 1).topk(5)

    x224 = prepare(chelsea).tensor

    def bare_occlusion() -> object:
        from captum.attr import Occlusion

        with torch.no_grad():
            return Occlusion(lambda z: torch.softmax(lite0(z), 1)).attribute(
                x224, target=282, sliding_window_shapes=(3, 32, 32), strides=(3, 16, 16), baselines=0.0,
            )

    def bare_lite0() -> object:
        with torch.inference_mode():
            return lite0(x224)

    from vision_core.models.vgg16 import preprocess

    xv = preprocess(prepare(chelsea).crop)

    def bare_vgg() -> object:
        with torch.inference_mode():
            return vgg(xv)

    return [
        timed_row("classify", "top-5, 1024×681 photo, EfficientNet-Lite0 (CPU)", lambda: classify(photo, net=lite0),
                  bare_top5, repeat=7, target="< 300 ms", note="baseline: torchvision v2 transforms + forward"),
        timed_row("visualize", "occlusion 224×224, patch 32, stride 16 (169 passes)",
                  lambda: occlusion_map(chelsea, net=lite0, target=282, patch=32, stride=16), bare_occlusion,
                  repeat=2, warmup=0, target="< 5 s", note="baseline: Captum Occlusion, its defaults, on the shared model"),
        timed_row("visualize", "feature maps, EfficientNet-Lite0 'head' (1280×7×7)",
                  lambda: feature_maps(chelsea, "efficientnet_lite0", "head", net=lite0), bare_lite0,
                  repeat=5, target="< 500 ms", note="baseline: full forward of the network"),
        timed_row("visualize", "feature maps, VGG-16 'block5_pool' (512×7×7, deepest)",
                  lambda: feature_maps(chelsea, "vgg16_features", "block5_pool", net=vgg), bare_vgg,
                  repeat=3, target="< 500 ms", note="baseline: all 13 conv layers' forward"),
        timed_row("visualize", "Grad-CAM, EfficientNet-Lite0 (Captum LayerGradCam)",
                  lambda: grad_cam(chelsea, net=lite0, target=282), None, repeat=3),
    ]
