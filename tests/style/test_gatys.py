"""vision_core.style.gatys: Gatys optimisation on the embedded VGG-16 lowers the loss, keeps the content, never
changes the shared network, refuses bad settings at the call and restores the thread setting."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torchvision
from skimage.metrics import structural_similarity

from vision_core.style import gatys

pytestmark = pytest.mark.usefixtures("one_thread")


def test_gatys_from_noise_halves_the_loss(vgg, cat64, hubble):
    before = [p.clone() for p in vgg.parameters()]
    run = list(gatys(cat64, hubble, steps=20, size=64, init="noise", optimizer="adam", seed=0, every=10, net=vgg,
                     threads=1))
    assert [s.step for s in run] == list(range(21))
    assert [s.step for s in run if s.image is not None] == [0, 10, 20]
    assert run[-1].image.shape == (64, 64, 3) and run[-1].image.dtype == np.uint8
    first, last = run[0].losses, run[-1].losses
    assert last.total <= 0.5 * first.total, (first, last)
    assert last.style <= (2 / 3) * first.style, "the Gram distance to the style drops by at least a third"
    assert [n for n, _ in first.per_layer] == [f"block{b}_conv1" for b in range(1, 6)]
    assert first.total == pytest.approx(first.content + 1e-5 * first.style, rel=1e-5)
    assert all(torch.equal(a, b) for a, b in zip(before, vgg.parameters())), "the shared model is never changed"
    assert not any(p.requires_grad for p in vgg.parameters())
    again = next(gatys(cat64, hubble, steps=20, size=64, seed=0, net=vgg))
    other = next(gatys(cat64, hubble, steps=20, size=64, seed=1, net=vgg))
    assert np.array_equal(again.image, run[0].image) and not np.array_equal(other.image, run[0].image)


def test_content_init_keeps_the_content(vgg, cat64, hubble):
    run = list(gatys(cat64, hubble, steps=20, size=64, init="content", seed=0, every=20, net=vgg, threads=1))
    assert run[0].losses.content == pytest.approx(0.0, abs=1e-6)
    final = run[-1].image
    ssim = structural_similarity(cat64, final, channel_axis=2, data_range=255)
    assert ssim > 0.5, ssim
    assert not np.array_equal(final, cat64)


def test_lbfgs_and_style_init(vgg, cat64, hubble):
    run = list(gatys(cat64, hubble, steps=3, size=64, init="style", optimizer="lbfgs", net=vgg, every=3, threads=1))
    assert run[-1].losses.total < run[0].losses.total
    assert run[0].image.shape == (64, 64, 3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"content_layer": "block6_conv1"}, "no layer"),
        ({"init": "zeros"}, "Initialisation"),
        ({"optimizer": "sgd"}, "Optimiser"),
        ({"style_layers": {"block1_conv1": 0.0}}, "λ above zero"),
        ({"style_layers": {"block1_conv1": -1.0}}, "zero or positive"),
        ({"steps": 0}, "Iterations"),
        ({"size": 4000}, "output size"),
        ({"alpha": 0.0, "beta": 0.0}, "not both zero"),
        ({"threads": 0}, "threads"),
        ({"network": "alexnet"}, "Choose one of: vgg16, vgg19"),
    ],
)
def test_gatys_refuses_bad_settings_at_the_call(vgg, cat64, kwargs, message):
    with pytest.raises(ValueError, match=message):
        gatys(cat64, cat64, net=vgg, **kwargs)


def test_the_network_is_required(cat64):
    with pytest.raises(TypeError):
        gatys(cat64, cat64)  # vision_core never loads a network itself


def test_threads_setting_is_restored(vgg, cat64, hubble):
    before = torch.get_num_threads()
    seen = [torch.get_num_threads() for _ in gatys(cat64, hubble, steps=1, size=32, threads=1, net=vgg)]
    assert seen == [1, 1] and torch.get_num_threads() == before


def test_inplace_relu_network_is_used_unchanged(cat64, hubble):
    """torchvision's VGG-19 features use ReLU(inplace=True); gatys never changes the shared modules."""
    torch.manual_seed(0)
    feats = torchvision.models.vgg19(weights=None).features.eval().requires_grad_(False)
    run = list(gatys(cat64, hubble, steps=2, size=32, network="vgg19", content_layer="block4_conv4", net=feats))
    assert np.isfinite(run[-1].losses.total)
    assert all(m.inplace for m in feats if isinstance(m, torch.nn.ReLU))
