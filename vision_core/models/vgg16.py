"""VGG-16's ImageNet convolutional layers, from the embedded ONNX file, as a torch ``nn.Sequential``.

The ONNX graph (asset ``vgg16_onnx``) holds Keras VGG-16's 13 ImageNet conv
layers followed by an unrelated dense head, which is ignored. The conv weights
are copied once into the layout of ``torchvision.models.vgg16().features`` (31
modules: conv, ReLU, …, max-pool; same indices) and the converted state_dict is
cached beside the asset, loaded afterwards with ``weights_only=True``.

Input convention (Keras/Caffe): BGR, 0–255, minus the ImageNet channel means
``(103.939, 116.779, 123.68)``; see ``preprocess``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from vision_core.assets import MANIFEST, asset_path
from vision_core.models._api import ModelSpec, Task, register
from vision_core.models.transforms import BGR_MEAN, CaffeBGR

__all__ = ["BGR_MEAN", "LAYER_NAMES", "build_features", "features_at", "layer_index", "layer_names_for", "load_features", "preprocess"]

_CONFIG = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M")


def layer_names_for(config: Sequence[int | str] = _CONFIG) -> tuple[str, ...]:
    """Keras-style names of every module of a VGG ``features`` stack built from ``config``
    (channel counts, ``"M"`` for max-pool): ``block1_conv1, block1_relu1, …, block1_pool, …``."""
    names: list[str] = []
    block, conv = 1, 1
    for v in config:
        if v == "M":
            names.append(f"block{block}_pool")
            block, conv = block + 1, 1
        else:
            names += [f"block{block}_conv{conv}", f"block{block}_relu{conv}"]
            conv += 1
    return tuple(names)


LAYER_NAMES: tuple[str, ...] = layer_names_for()
"""Keras-style names of the 31 modules, index-aligned with torchvision's ``vgg16().features``."""


def layer_index(name: str) -> int:
    """Index in the ``nn.Sequential`` of a Keras-style layer name (``"block4_conv2"``)."""
    try:
        return LAYER_NAMES.index(name)
    except ValueError:
        raise ValueError(f"Unknown VGG-16 layer {name!r}. Layers: {', '.join(LAYER_NAMES)}.") from None


def build_features() -> nn.Sequential:
    """An uninitialised VGG-16 feature stack (same modules and indices as torchvision's)."""
    layers: list[nn.Module] = []
    channels = 3
    for v in _CONFIG:
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        else:
            layers += [nn.Conv2d(channels, int(v), kernel_size=3, padding=1), nn.ReLU(inplace=False)]
            channels = int(v)
    return nn.Sequential(*layers)


def _convert(onnx_path: Path) -> dict[str, torch.Tensor]:
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(onnx_path)).graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    convs = [n for n in graph.node if n.op_type == "Conv"]
    if len(convs) != 13:
        raise ValueError(f"Expected 13 conv layers in the VGG-16 ONNX graph, found {len(convs)}.")
    state: dict[str, torch.Tensor] = {}
    conv_indices = [i for i, m in enumerate(build_features()) if isinstance(m, nn.Conv2d)]
    for idx, node in zip(conv_indices, convs):
        weight, bias = inits[node.input[1]], inits[node.input[2]]
        state[f"{idx}.weight"] = torch.from_numpy(np.array(weight, dtype=np.float32))
        state[f"{idx}.bias"] = torch.from_numpy(np.array(bias, dtype=np.float32))
    return state


def _converted_path() -> Path:
    src = asset_path("vgg16_onnx")
    return src.with_name(f"vgg16_features-{MANIFEST['vgg16_onnx'].sha256[:12]}.pt")


def load_features(device: torch.device | str = "cpu") -> nn.Sequential:
    """VGG-16 ImageNet conv layers on ``device``, eval mode; converts and caches the ONNX weights once."""
    cached = _converted_path()
    if cached.is_file():
        state = torch.load(cached, map_location="cpu", weights_only=True)
    else:
        state = _convert(asset_path("vgg16_onnx"))
        tmp = cached.with_suffix(".partial")
        torch.save(state, tmp)
        tmp.replace(cached)
    model = build_features()
    model.load_state_dict(state)
    return model.to(device).eval()


preprocess = CaffeBGR()
"""``preprocess(image, device)``: ``(H, W, 3)`` uint8 RGB → ``(1, 3, H, W)`` float32 BGR, 0–255, mean-subtracted."""


def features_at(net: nn.Sequential, x: torch.Tensor, index: int) -> torch.Tensor:
    """The output of module ``index`` of a VGG feature stack for input ``x``, running only the modules up to it."""
    if not 0 <= index < len(net):
        raise ValueError(f"A VGG-16 feature stack has modules 0–{len(net) - 1}, got {index}.")
    for module in list(net)[: index + 1]:
        x = module(x)
    return x


register(ModelSpec(name="vgg16_features", task=Task.FEATURES, title="VGG-16 conv layers (ImageNet)",
                   loader=load_features, assets=("vgg16_onnx",), preprocessing=preprocess))
