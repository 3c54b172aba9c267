"""vision_core.training.lenet_training: LeNet-5 reaches >95 % on MNIST-5k (fixed seed), runs are seeded and
stoppable, bad settings are refused, and the digits reach the network as LeNet expects them."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from vision_core.training import TrainConfig, digits_to_tensor, evaluate, lenet_from_state, mnist_split, train_lenet


def test_lenet5_beats_95_percent_on_mnist_5k(run):
    last = run[-1]
    assert last.step == last.total_steps == 6 * 125
    assert last.test_accuracy > 0.95, last
    assert run[0].loss > 3 * last.loss
    assert [r.step for r in run] == sorted(r.step for r in run)
    assert [c[0] for c in last.curve] == [r.step for r in run] and last.curve[-1][3] == last.test_accuracy
    print(f"LeNet-5 seed 0: test accuracy {last.test_accuracy:.3f} after {last.step} steps in {last.elapsed:.1f} s")


def test_training_is_seeded_and_stoppable():
    cfg = TrainConfig(epochs=1, eval_every=5, seed=3)
    a = next(train_lenet(cfg))
    b = next(train_lenet(cfg))
    assert a.loss == b.loss and torch.equal(a.state["conv1.weight"], b.state["conv1.weight"])
    c = next(train_lenet(TrainConfig(epochs=1, eval_every=5, seed=4)))
    assert not torch.equal(a.state["conv1.weight"], c.state["conv1.weight"])
    calls = []
    records = list(train_lenet(cfg, should_stop=lambda: calls.append(1) or len(calls) >= 3))
    assert [r.step for r in records] == [3]
    for bad in (TrainConfig(epochs=0), TrainConfig(lr=-1.0), TrainConfig(batch_size=0)):
        with pytest.raises(ValueError):
            next(train_lenet(bad))


def test_digits_are_padded_to_32_and_the_split_is_stratified(run):
    x = digits_to_tensor(np.full((28, 28), 255, np.uint8))
    assert x.shape == (1, 1, 32, 32) and x.dtype == torch.float32
    assert float(x[0, 0, 2:30, 2:30].min()) == 1.0 and float(x[0, 0, :2].max()) == 0.0, "2-pixel zero border, ink = 1"
    with pytest.raises(ValueError, match="28×28"):
        digits_to_tensor(np.zeros((32, 32), np.uint8))
    x_train, y_train, x_test, y_test = mnist_split(0.2, 0)
    assert (len(x_train), len(x_test)) == (4000, 1000)
    assert torch.bincount(y_test).tolist() == [100] * 10, "every digit in the same proportion"
    model = lenet_from_state(run[-1].state)
    assert not model.training
    assert evaluate(model, x_test, y_test) == pytest.approx(run[-1].test_accuracy)
