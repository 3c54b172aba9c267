"""vision_core.style.explain: at one layer, G = S has S's Gram matrix and G = C has C's activations."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.errors import BadInput
from vision_core.style import explain_layer

pytestmark = pytest.mark.usefixtures("one_thread")


def test_explain_layer(vgg, cat64, hubble):
    view = explain_layer(cat64, hubble, hubble, "block1_conv1", size=64, channels=16, maps=4, net=vgg)
    assert view.shape[0] == 64 and view.gram_style.shape == (16, 16)
    assert view.style_distance == pytest.approx(0.0, abs=1e-6), "G = S has S's Gram matrix"
    np.testing.assert_allclose(view.gram_style, view.gram_style.T, rtol=1e-5)
    assert view.maps_content.shape[0] == 4 and view.maps_content.max() == pytest.approx(1.0)
    same = explain_layer(cat64, hubble, cat64, "block4_conv2", size=64, net=vgg)
    assert same.content_distance == pytest.approx(0.0, abs=1e-6)
    assert same.style_distance > 0
    assert same.shape == (512, 8, 8), "block 4 is 1/8 of 64 pixels, 512 channels"


def test_explain_layer_refuses_bad_settings(vgg, cat64):
    with pytest.raises(BadInput, match="feature maps"):
        explain_layer(cat64, cat64, cat64, "block1_conv1", maps=0, net=vgg)
    with pytest.raises(BadInput, match="no layer"):
        explain_layer(cat64, cat64, cat64, "block9_conv1", net=vgg)
