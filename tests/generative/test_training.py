"""The live GANs: seeded, they learn (D's accuracy moves, samples stop looking like noise) and collapse on cue."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.generative.training import (
    COLLAPSE_THRESHOLD,
    GAN_PRESETS,
    GanConfig,
    digit_grid,
    diversity,
    toy_data,
    train_mnist_gan,
    train_toy_gan,
)


def test_config_validation_messages():
    with pytest.raises(ValueError, match="learning rate"):
        GanConfig(lr_g=0).validate()
    with pytest.raises(ValueError, match="Batch"):
        GanConfig(batch=1).validate()
    with pytest.raises(ValueError, match="Steps"):
        GanConfig(steps=0).validate()
    assert GAN_PRESETS["mode collapse (generator far stronger than discriminator)"].g_steps == 5


def test_diversity_metric():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(64, 10))
    assert diversity(data, data) == pytest.approx(1.0)
    assert diversity(np.repeat(data[:1], 64, 0), data) == 0.0
    assert diversity(data * 0.1, data) == pytest.approx(0.1)


def test_mnist_gan_learns_in_a_short_seeded_run():
    cfg = GanConfig(steps=40, batch=32, sample_every=20, seed=3)
    run = list(train_mnist_gan(cfg, n_samples=16))
    assert [r.step for r in run] == list(range(1, 41))
    first, last = run[0], run[-1]
    assert abs(np.mean([r.d_accuracy for r in run[-5:]]) - first.d_accuracy) > 0.2, "D's accuracy moves from its start"
    samples = last.samples
    assert samples.shape == (16, 28, 28) and samples.dtype == np.uint8
    noise = np.random.default_rng(0).integers(0, 256, samples.shape)
    dark = (samples < 64).mean()
    assert dark > 0.5 > (noise < 64).mean(), f"mostly black background like MNIST ({dark:.2f})"
    assert 0.2 < last.diversity < 2.0
    again = list(train_mnist_gan(cfg, n_samples=16))
    assert [r.loss_d for r in again] == [r.loss_d for r in run], "same seed, same run"


def test_toy_gan_collapse_is_provoked_and_named():
    collapse = GanConfig(steps=300, batch=128, lr_g=5e-3, lr_d=2e-5, beta1=0.9, z_dim=2, g_steps=5, sample_every=50)
    records = [r for r in train_toy_gan("ring of 8 Gaussians", collapse, n_samples=256, grid=20) if r.samples is not None]
    assert records[-1].collapsed and records[-1].diversity < COLLAPSE_THRESHOLD
    assert records[-1].modes_covered <= 2
    assert records[-1].surface.shape == (20, 20) and 0 <= records[-1].surface.min() <= records[-1].surface.max() <= 1


def test_toy_gan_balanced_spreads_over_the_modes():
    cfg = GanConfig(steps=600, batch=128, lr_g=1e-3, lr_d=1e-3, z_dim=2, sample_every=100, seed=0)
    records = [r for r in train_toy_gan("ring of 8 Gaussians", cfg, n_samples=256, grid=10) if r.samples is not None]
    assert records[-1].diversity > COLLAPSE_THRESHOLD and not records[-1].collapsed
    assert records[-1].modes_covered >= 4


def test_toy_data():
    rng = np.random.default_rng(0)
    ring = toy_data("ring of 8 Gaussians", 800, rng)
    assert ring.shape == (800, 2) and abs(np.linalg.norm(ring, axis=1).mean() - 2) < 0.05
    assert toy_data("two moons", 100, rng).shape == (100, 2)
    with pytest.raises(ValueError, match="Unknown toy"):
        toy_data("spiral", 10, rng)


@pytest.mark.parametrize("n", [36, 8])
def test_digit_grid_equals_torchvisions_grid_enlarged(n):
    """The layout torchvision's make_grid gives (1-pixel white gaps and border), every pixel enlarged 4×."""
    import torch
    from torchvision.utils import make_grid

    digits = np.random.default_rng(n).integers(0, 256, (n, 28, 28), dtype=np.uint8)
    grid = digit_grid(digits, columns=6)
    t = torch.from_numpy(np.repeat(digits[:, None], 3, axis=1))
    ref = make_grid(t, nrow=6, padding=1, pad_value=255).permute(1, 2, 0).numpy()
    np.testing.assert_array_equal(grid, np.kron(ref, np.ones((4, 4, 1), np.uint8)))
    assert grid.shape == ((-(-n // 6)) * 29 * 4 + 4, min(n, 6) * 29 * 4 + 4, 3)
