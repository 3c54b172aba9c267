"""vision_core.see.neurons on the embedded VGG-16: activation maximisation beats every photo, the top patches are
the strongest units, and a reconstruction stays inside the unit's receptive field (and equals the guided-ReLU rule)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from tests.see.conftest import _untouched
from vision_core.io.samples import load_sample
from vision_core.see import feature_maps
from vision_core.see.neurons import maximise_channel, receptive_box, reconstruct, top_patches

pytestmark = pytest.mark.usefixtures("one_thread")
PHOTOS = ("chelsea", "coffee", "astronaut", "rocket")


@pytest.fixture(scope="module")
def photos():
    return [(name, load_sample(name)) for name in PHOTOS]


def test_receptive_boxes_follow_vggs_arithmetic():
    # block1_conv1 sees 3×3 around its own pixel; block2_conv1: 1 + 2 + 2·1 … = 10 pixels, jump 2
    assert receptive_box("block1_conv1", 10, 20) == (19.0, 9.0, 22.0, 12.0)
    x0, y0, x1, y1 = receptive_box("block2_conv1", 0, 0)
    assert x1 - x0 == 10 and (x0 + x1) / 2 == pytest.approx(1.0)
    assert receptive_box("block5_conv3", 0, 0)[2] - receptive_box("block5_conv3", 0, 0)[0] == 196


def test_activation_maximisation_beats_every_photo(vgg, photos):
    layer, channel = "block3_conv1", 17
    best_photo = max(float(feature_maps(img, "vgg16_features", layer, net=vgg).maps[channel].mean()) for _, img in photos)
    steps = list(maximise_channel(vgg, layer, channel, size=64, steps=48, report_every=16, seed=0))
    assert [s.step for s in steps] == [16, 32, 48] and steps[-1].image.shape == (64, 64, 3)
    assert steps[0].activation < steps[-1].activation, "the optimisation climbs"
    assert steps[-1].activation > 3 * best_photo, (steps[-1].activation, best_photo)
    assert _untouched(vgg)


def test_top_patches_are_the_strongest_units(vgg, photos):
    patches = top_patches(vgg, photos, "block2_conv2", 5, k=9)
    assert len(patches) == 9
    values = [p.activation for p in patches]
    assert values == sorted(values, reverse=True)
    strongest = max(float(feature_maps(img, "vgg16_features", "block2_conv2", net=vgg).maps[5].max()) for _, img in photos)
    assert values[0] == pytest.approx(strongest, rel=1e-4)
    for p in patches:
        x0, y0, x1, y1 = p.box
        assert p.pixels.shape == (y1 - y0, x1 - x0, 3) and 0 <= x0 < x1 <= 224
    blank = [("grey", np.full((300, 300, 3), 128, np.uint8)), *photos[:1]]
    assert all(p.source == "chelsea" for p in top_patches(vgg, blank, "block2_conv2", 5, k=3)), "a flat grey photo never wins"


def test_reconstruction_stays_in_the_receptive_field(vgg, chelsea):
    rec = reconstruct(vgg, chelsea, "block2_conv1", 12, "guided")
    assert rec.image.shape == (224, 224, 3) and rec.activation > 0
    x0, y0, x1, y1 = (int(v) for v in receptive_box("block2_conv1", rec.row, rec.col))
    outside = np.ones((224, 224), bool)
    outside[max(y0, 0) : y1, max(x0, 0) : x1] = False
    assert np.abs(rec.gradient).sum() > 0 and np.abs(rec.gradient[outside]).max() == 0
    deconv = reconstruct(vgg, chelsea, "block2_conv1", 12, "deconv")
    assert (deconv.row, deconv.col) == (rec.row, rec.col) and not np.allclose(deconv.gradient, rec.gradient)
    assert _untouched(vgg)
    with pytest.raises(ValueError, match="Unknown VGG-16 layer 'block9_conv1'"):
        reconstruct(vgg, chelsea, "block9_conv1", 0)
    with pytest.raises(ValueError, match="channel must be between 0 and 127"):
        reconstruct(vgg, chelsea, "block2_conv1", 128)


def test_guided_backprop_is_the_guided_relu_rule():
    """On a tiny conv–ReLU–conv net, by hand: the gradient passes a ReLU only where its input was positive AND
    the incoming gradient is positive."""
    from captum.attr import GuidedBackprop

    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 2, 3, bias=False), nn.ReLU(), nn.Conv2d(2, 1, 3, bias=False))
    x = torch.randn(1, 1, 7, 7, requires_grad=True)

    class One(nn.Module):
        def __init__(self, body):
            super().__init__()
            self.body = body

        def forward(self, z):
            return self.body(z)[:, 0, 1, 1].unsqueeze(1)

    got = GuidedBackprop(One(net)).attribute(x.detach().clone().requires_grad_(True), target=0)
    a = net[0](x)
    w2 = net[2].weight[0]
    g_a = torch.zeros_like(a)
    g_a[0, :, 1:4, 1:4] = w2  # d out / d relu(a) for the unit (1, 1)
    g_a = torch.clamp(g_a, min=0) * (a > 0)
    (manual,) = torch.autograd.grad(a, x, g_a)
    torch.testing.assert_close(got, manual)
