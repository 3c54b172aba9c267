"""vision_core.training: LeNet-5 reaches >95 % on MNIST-5k (fixed seed), drawn digits are read like MNIST,
feature maps and filters have the lecture's shapes, and the lecture's X filters behave as on the slides."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.signal import correlate2d

from vision_core.io.datasets import mnist_5k, train_test_split_stratified
from vision_core.training import (
    X_FILTERS,
    TrainConfig,
    canvas_to_digit,
    canvas_to_grid,
    digits_to_tensor,
    draw_x,
    feature_maps,
    learned_filters,
    lenet_from_state,
    limited_threads,
    predict_digit,
    tile,
    train_lenet,
    x_responses,
)

LECTURE_X = np.array([
    [-1, -1, -1, -1, -1, -1, -1, -1, -1],
    [-1, 1, -1, -1, -1, -1, -1, 1, -1],
    [-1, -1, 1, -1, -1, -1, 1, -1, -1],
    [-1, -1, -1, 1, -1, 1, -1, -1, -1],
    [-1, -1, -1, -1, 1, -1, -1, -1, -1],
    [-1, -1, -1, 1, -1, 1, -1, -1, -1],
    [-1, -1, 1, -1, -1, -1, 1, -1, -1],
    [-1, 1, -1, -1, -1, -1, -1, 1, -1],
    [-1, -1, -1, -1, -1, -1, -1, -1, -1],
])


@pytest.fixture(scope="module")
def run():
    """The default run (seed 0, 6 epochs): every progress record."""
    return list(train_lenet(TrainConfig(seed=0)))


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


def test_limited_threads_restores():
    before = torch.get_num_threads()
    with limited_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


def _as_canvas(digit: np.ndarray, zoom: int = 10, offset: tuple[int, int] = (0, 0), size: int = 400) -> np.ndarray:
    big = np.kron(digit, np.ones((zoom, zoom), np.uint8))
    canvas = np.zeros((size, size, 4), np.uint8)
    canvas[..., 3] = 255
    y, x = offset
    canvas[y : y + big.shape[0], x : x + big.shape[1], :3] = big[..., None]
    return canvas


def test_drawn_digit_is_prepared_like_mnist_and_read(run):
    model = lenet_from_state(run[-1].state)
    data = mnist_5k()
    _, test = train_test_split_stratified(data.labels, 0.2, 0)
    right = 0
    corrs = []
    for i in test[:40]:
        digit = data.images[i]
        prepared = canvas_to_digit(_as_canvas(digit, offset=(100, 20)))
        assert prepared.shape == (28, 28) and prepared.dtype == np.uint8
        corr = np.corrcoef(prepared.ravel().astype(float), digit.ravel().astype(float))[0, 1]
        corrs.append(corr)
        right += int(predict_digit(model, prepared).argmax() == data.labels[i])
    assert min(corrs) > 0.6 and np.median(corrs) > 0.8, corrs
    assert right >= 34, right  # 87.5 % measured (35 of 40); the originals: 96 %
    p = predict_digit(model, data.images[test[0]])
    assert p.shape == (10,) and abs(float(p.sum()) - 1) < 1e-5
    mass = prepared.astype(float)
    cy = (mass.sum(1) * np.arange(28)).sum() / mass.sum()
    assert abs(cy - 13.5) < 0.6
    with pytest.raises(ValueError, match="empty"):
        canvas_to_digit(np.zeros((280, 280, 4), np.uint8))
    with pytest.raises(ValueError):
        canvas_to_digit(np.zeros((5, 5), np.uint8))


def test_feature_maps_and_filters_match_torch(run):
    model = lenet_from_state(run[-1].state)
    digit = mnist_5k().images[7]
    maps = feature_maps(model, digit)
    assert maps["conv1"].shape == (6, 28, 28) and maps["conv2"].shape == (16, 10, 10)
    ref = torch.relu(torch.nn.functional.conv2d(digits_to_tensor(digit), model.conv1.weight, model.conv1.bias))[0]
    assert np.allclose(maps["conv1"], ref.detach().numpy(), atol=1e-5)
    assert (maps["conv2"] >= 0).all()
    f = learned_filters(model)
    assert f["conv1"].shape == (6, 5, 5) and f["conv2"].shape == (16, 6, 5, 5)
    grid = tile(f["conv1"], columns=6, cell=10, gap=2, symmetric=True)
    assert grid.shape == (10, 6 * 12 - 2)


def test_x_or_x_as_on_the_slides():
    x = draw_x(9)
    assert np.array_equal(x, LECTURE_X)
    r = x_responses(x)
    assert r.maps.shape == (3, 7, 7)
    for f in range(3):
        assert np.allclose(r.maps[f], correlate2d(x, X_FILTERS[f], mode="valid") / 9)
    assert r.maps[0, 1, 1] == 1.0 and r.maps[1, 3, 3] == 1.0 and r.maps[2, 1, 5] == 1.0
    assert r.maps[0, 0, 0] == pytest.approx(7 / 9)
    assert r.perfect.tolist() == [4, 1, 4] and r.pixel_agreement == 1.0
    shifted = x_responses(draw_x(9, shift=(1, 0)))
    assert shifted.pixel_agreement == pytest.approx(55 / 81)
    assert shifted.peak.tolist() == [1.0, 1.0, 1.0]
    turned = x_responses(draw_x(9, rotation=45))
    assert turned.perfect.tolist() == [0, 0, 0] and turned.peak.max() < 0.5
    small = x_responses(draw_x(9, scale=0.5))
    assert small.peak.tolist() == [1.0, 1.0, 1.0] and small.perfect.tolist() == [2, 1, 2]
    with pytest.raises(ValueError):
        draw_x(3)


def test_drawn_x_is_read_on_the_grid():
    canvas = np.zeros((270, 270, 4), np.uint8)
    big = np.kron((LECTURE_X > 0).astype(np.uint8) * 255, np.ones((30, 30), np.uint8))
    canvas[..., :3] = big[..., None]
    canvas[..., 3] = 255
    assert np.array_equal(canvas_to_grid(canvas, 9), LECTURE_X)
    with pytest.raises(ValueError, match="empty"):
        canvas_to_grid(np.zeros((90, 90, 4), np.uint8))
