"""The training loop: records, bounds on the held-out error after a short fixed-seed run, seeds, stops, bad settings."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from tests.autoencoders.conftest import STEPS
from vision_core.autoencoders import (
    NETS,
    AutoencoderConfig,
    add_noise,
    digit_split,
    held_out_digits,
    mean_digit_mse,
    train_autoencoders,
)
from vision_core.errors import BadInput


def test_records_at_step_zero_every_eval_and_the_end(records):
    assert [r.step for r in records] == [0, 100, 200, 300]
    last = records[-1]
    assert last.total_steps == STEPS and len(last.curve) == 4
    assert [p.step for p in last.curve] == [0, 100, 200, 300]
    assert all(math.isnan(v) for v in records[0].train.values()), "no training loss before the first step"
    assert set(last.test) == set(NETS)


def test_held_out_error_falls_below_the_bound_and_far_below_untrained(records):
    """Measured (seed 0, 300 steps): transposed 0.0523, upsample 0.0517, denoiser (σ = 0.4) 0.0152; untrained
    0.097, 0.112 and 0.105; replacing every digit by the mean digit scores 0.0677."""
    before, after = records[0].test, records[-1].test
    for name in ("transposed", "upsample"):
        assert after[name] < 0.060, (name, after)
        assert after[name] < 0.6 * before[name], (name, before, after)
        assert after[name] < mean_digit_mse(), "beats replacing every digit by the mean digit"
    assert after["denoiser"] < 0.025, after
    assert after["denoiser"] < 0.3 * before["denoiser"]


def test_mean_digit_baseline_by_hand():
    x_train, _, _, _ = digit_split()
    digits, _ = held_out_digits()
    mean = x_train.numpy().mean(0)[0]
    expected = np.mean((digits.astype(np.float64) / 255 - mean) ** 2)
    assert mean_digit_mse() == pytest.approx(expected, rel=1e-5)
    assert mean_digit_mse() == pytest.approx(0.0677, abs=5e-4)


def test_split_is_stratified_and_fixed():
    x_train, y_train, x_test, y_test = digit_split()
    assert x_train.shape == (4000, 1, 28, 28) and x_test.shape == (1000, 1, 28, 28)
    assert np.bincount(y_test).tolist() == [100] * 10
    assert np.array_equal(held_out_digits()[1], y_test)


def test_same_seed_same_weights_and_stop_ends_the_run():
    config = AutoencoderConfig(steps=4, eval_every=2, seed=3, batch_size=8)
    a, b = list(train_autoencoders(config)), list(train_autoencoders(config))
    assert [r.test for r in a] == [r.test for r in b]
    assert all(torch.equal(a[-1].twin_state[k], b[-1].twin_state[k]) for k in a[-1].twin_state)
    calls = iter([False, True])
    stopped = list(train_autoencoders(AutoencoderConfig(steps=50, eval_every=25, batch_size=8), lambda: next(calls)))
    assert [r.step for r in stopped] == [0, 2]


def test_noise_is_clipped_and_per_image():
    x = torch.zeros(2, 1, 4, 4)
    noisy = add_noise(x, torch.tensor([0.0, 0.5]).view(2, 1, 1, 1), torch.Generator().manual_seed(0))
    assert torch.equal(noisy[0], x[0]), "σ = 0 adds nothing"
    assert float(noisy[1].min()) >= 0 and float(noisy[1].max()) <= 1 and float(noisy[1].max()) > 0


@pytest.mark.parametrize("field, value, words", [
    ("steps", 0, "steps"), ("lr", 2.0, "learning rate"), ("max_noise", -0.1, "noise"), ("batch_size", 1, "batch"),
    ("threads", 0, "threads"),
])
def test_bad_settings_are_refused_with_a_sentence(field, value, words):
    with pytest.raises(BadInput, match=words):
        next(train_autoencoders(AutoencoderConfig(**{field: value})))
