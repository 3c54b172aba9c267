"""vision_core.see.filters: the first-layer kernels of the embedded networks as RGB tiles."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.see import first_layer_filters


def test_first_layer_filters(lite0, vgg):
    f = first_layer_filters("efficientnet_lite0", net=lite0)
    assert f.weights.shape == (32, 3, 3, 3)
    np.testing.assert_array_equal(f.weights, lite0._conv_stem.weight.numpy())
    assert f.grid.image.shape == (4 * 39 - 3, 8 * 39 - 3, 3)
    v = first_layer_filters("vgg16_features", net=vgg)
    assert v.weights.shape == (64, 3, 3, 3) and v.grid.image.shape == (8 * 39 - 3, 8 * 39 - 3, 3)
    np.testing.assert_array_equal(v.weights[:, 0], vgg[0].weight[:, 2].numpy())  # BGR → RGB
    w = v.weights[5]
    tile = v.grid.image[0:36, 5 * 39 : 5 * 39 + 36]
    expected_centre = np.rint(127.5 + 127.5 * w[:, 1, 1] / np.abs(w).max())
    np.testing.assert_array_equal(tile[18, 18], expected_centre.astype(np.uint8))
    with pytest.raises(ValueError, match="Unknown network 'resnet50'. Choose one of: efficientnet_lite0, vgg16_features"):
        first_layer_filters("resnet50", net=lite0)
