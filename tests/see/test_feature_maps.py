"""vision_core.see.feature_maps: shapes follow the architecture, values equal manual forward passes, the shared
networks stay untouched."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.see.conftest import _untouched
from vision_core.classify import prepare
from vision_core.see import channel_image, feature_grid, feature_layers, feature_maps


def test_feature_map_shapes_follow_the_architecture(chelsea, lite0, vgg):
    keys = [c.key for c in feature_layers("efficientnet_lite0")]
    assert keys[0] == "stem" and keys[-1] == "head" and len(keys) == 18
    expected = {"stem": (32, 112, 112), "block0": (16, 112, 112), "block3": (40, 28, 28), "block10": (112, 14, 14),
                "block15": (320, 7, 7), "head": (1280, 7, 7)}
    for key, shape in expected.items():
        assert feature_maps(chelsea, "efficientnet_lite0", key, net=lite0).maps.shape == shape
    for key, shape in {"block1_conv1": (64, 224, 224), "block3_conv3": (256, 56, 56), "block5_pool": (512, 7, 7)}.items():
        assert feature_maps(chelsea, "vgg16_features", key, net=vgg).maps.shape == shape
    with pytest.raises(ValueError, match="no layer"):
        feature_maps(chelsea, "vgg16_features", "block9_conv1", net=vgg)


def test_feature_maps_equal_a_manual_forward_and_leave_the_model_alone(chelsea, lite0, vgg):
    from vision_core.models.vgg16 import preprocess

    x = prepare(chelsea).tensor
    with torch.no_grad():
        y = lite0._act_stem(lite0._bn0(lite0._conv_stem(x)))
        for block in lite0._blocks[:5]:
            y = block(y)
    got = feature_maps(chelsea, "efficientnet_lite0", "block4", net=lite0)
    assert lite0._blocks[4].skip, "block 4 has a residual connection; its output is the sum"
    np.testing.assert_allclose(got.maps, y[0].numpy(), rtol=1e-4, atol=1e-4)
    with torch.no_grad():
        v = vgg[:16](preprocess(prepare(chelsea).crop))
    np.testing.assert_allclose(feature_maps(chelsea, "vgg16_features", "block3_conv3", net=vgg).maps, v[0].numpy(), rtol=1e-4, atol=1e-3)
    assert _untouched(lite0) and _untouched(vgg)


def test_feature_grid_and_enlarged_channel(chelsea, lite0):
    fm = feature_maps(chelsea, "efficientnet_lite0", "stem", net=lite0)
    order = fm.ranked()
    means = fm.maps.reshape(32, -1).mean(1)
    assert means[order[0]] == means.max() and means[order[-1]] == means.min()
    grid = feature_grid(fm)
    assert grid.count == 32 and grid.image.shape == (4 * 74 - 2, 8 * 74 - 2, 3)
    big = channel_image(fm, int(order[0]), size=336)
    assert big.shape == (336, 336, 3) and big.dtype == np.uint8
    with pytest.raises(ValueError, match="channels"):
        channel_image(fm, 32)
