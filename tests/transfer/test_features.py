"""vision_core.transfer.features: the lecture's morphology measures on shapes with known answers, hand-made
features, resizing for an ImageNet network, and VGG-16 features equal to the bare network's pooled output."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from vision_core.models.vgg16 import preprocess
from vision_core.transfer import cnn_features, experiment_dataset, handmade_features, morphology, thumbnail, to_rgb


def _radial(profile, size: int = 201) -> np.ndarray:
    ys, xs = np.mgrid[0:size, 0:size]
    r = np.hypot(ys - size // 2, xs - size // 2)
    return np.clip(np.rint(255 * profile(r)), 0, 255).astype(np.uint8)


def test_concentration_golden_values():
    # uniform disk: light within r grows as r², so C = 5·log10(√0.8 / √0.2) = 5·log10(2) = 1.505
    disk = morphology(_radial(lambda r: (r <= 60).astype(float)))
    assert disk.concentration == pytest.approx(5 * np.log10(2), abs=0.03)
    # Gaussian: r_f = σ·√(−2 ln(1−f)), so C = 5·log10(√(ln 5 / ln 1.25)) = 2.145
    gauss = morphology(_radial(lambda r: np.exp(-(r**2) / (2 * 15**2))))
    assert gauss.concentration == pytest.approx(5 * np.log10(np.sqrt(np.log(5) / np.log(1.25))), abs=0.05)
    assert disk.asymmetry == pytest.approx(0.0, abs=1e-6)


def test_asymmetry_smoothness_entropy():
    half = np.zeros((40, 40), np.uint8)
    half[:, :20] = 200
    m = morphology(half)
    assert m.asymmetry == pytest.approx(1.0)
    assert m.entropy == pytest.approx(1.0)
    flat = morphology(np.full((32, 32), 128, np.uint8))
    assert flat.smoothness == pytest.approx(0.0, abs=1e-6) and flat.entropy == 0.0
    noisy = morphology(np.random.default_rng(0).integers(0, 256, (32, 32)).astype(np.uint8))
    assert noisy.smoothness > 0.3 and noisy.entropy > 4.9
    assert morphology(np.zeros((8, 8), np.uint8)).concentration == 0.0


def test_handmade_features_and_resizing():
    faces = experiment_dataset("faces")
    h = handmade_features(faces.images[:5])
    assert h.shape == (5, 12 + 324) and np.isfinite(h).all()
    assert np.allclose(h[:, 9], h[:, 10])  # grey: the three colour means are equal
    rgb = to_rgb(faces.images[0], 48)
    assert rgb.shape == (48, 48, 3) and (rgb[..., 0] == rgb[..., 2]).all()
    assert thumbnail(faces.images[0], 75).shape == (75, 75, 3)
    with pytest.raises(ValueError):
        handmade_features(np.zeros((3, 8, 8), np.float32))
    with pytest.raises(ValueError):
        experiment_dataset("galaxies")


def test_cnn_features_are_pooled_vgg_blocks(vgg):
    imgs = experiment_dataset("faces").images[:3]
    f5 = cnn_features(imgs, vgg, "block5_pool", 64, batch=2)
    assert f5.shape == (3, 512)
    full = torch.cat([vgg(preprocess(to_rgb(i, 64))) for i in imgs]).mean(dim=(2, 3)).detach().numpy()
    assert np.allclose(f5, full, rtol=1e-4, atol=1e-4)
    assert cnn_features(imgs, vgg, "block3_pool", 32).shape == (3, 256)
    with pytest.raises(ValueError):
        cnn_features(imgs, vgg, "block1_conv1", 32)
