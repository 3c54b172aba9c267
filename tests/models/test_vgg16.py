"""VGG-16 conv layers converted from the embedded ONNX file equal onnxruntime's features."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch
import torchvision

from vision_core.assets import asset_path
from vision_core.models import get_model
from vision_core.models.vgg16 import LAYER_NAMES, build_features, layer_index, load_features, preprocess

POOL5 = "functional_1/block5_pool_1/MaxPool2d:0"


def test_layout_matches_torchvision():
    ours = build_features()
    ref = torchvision.models.vgg16(weights=None).features
    assert len(ours) == len(ref) == len(LAYER_NAMES) == 31
    for a, b in zip(ours, ref):
        assert type(a) is type(b)
        if isinstance(a, torch.nn.Conv2d):
            assert a.weight.shape == b.weight.shape and a.padding == b.padding
    assert layer_index("block1_conv1") == 0 and layer_index("block5_pool") == 30
    with pytest.raises(ValueError, match="Unknown VGG-16 layer"):
        layer_index("block6_conv1")


def test_features_equal_onnxruntime(chelsea):
    model = onnx.load(str(asset_path("vgg16_onnx")))
    model.graph.output.append(onnx.helper.make_tensor_value_info(POOL5, onnx.TensorProto.FLOAT, None))
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    crop = np.ascontiguousarray(chelsea[30:270, 100:340])
    x = preprocess(crop)
    nhwc = x.permute(0, 2, 3, 1).numpy()
    ref = sess.run([POOL5], {"input": nhwc})[0]
    with torch.no_grad():
        ours = load_features()(x).numpy()
    assert ours.shape == ref.shape == (1, 512, 7, 7)
    rel = np.abs(ours - ref).max() / np.abs(ref).max()
    assert rel < 1e-4, rel


def test_registered_and_cached(chelsea):
    model = get_model("vgg16_features", "cpu")
    first = model[0].weight
    assert first.shape == (64, 3, 3, 3) and not model.training
    again = load_features()
    assert torch.equal(again[0].weight, first), "the cached conversion gives the same weights"
