"""vision_core.training.digits: a drawn digit is read by the trained LeNet-5, feature maps equal torch's conv +
ReLU, filters have the lecture's shapes, and the held-out digits are the training split's test set."""

from __future__ import annotations

import numpy as np
import torch

from tests.io.test_canvas import digit_canvas
from vision_core.io.canvas import canvas_to_digit
from vision_core.io.datasets import mnist_5k, train_test_split_stratified
from vision_core.ops.tiling import tile_maps
from vision_core.training import (
    digits_to_tensor,
    held_out_digits,
    learned_filters,
    lenet_feature_maps,
    lenet_from_state,
    predict_digit,
    read_digit,
)


def test_drawn_digit_is_read(run):
    model = lenet_from_state(run[-1].state)
    data = mnist_5k()
    _, test = train_test_split_stratified(data.labels, 0.2, 0)
    right = 0
    for i in test[:40]:
        prepared = canvas_to_digit(digit_canvas(data.images[i], offset=(100, 20)))
        right += int(predict_digit(model, prepared).argmax() == data.labels[i])
    assert right >= 34, right  # 87.5 % measured (35 of 40); the originals: 96 %
    p = predict_digit(model, data.images[test[0]])
    assert p.shape == (10,) and abs(float(p.sum()) - 1) < 1e-5
    reading = read_digit(model, data.images[test[0]])
    assert reading.answer == int(p.argmax()) and reading.confidence == float(p.max())
    np.testing.assert_allclose(reading.probabilities, p)
    assert reading.maps["conv1"].shape == (6, 28, 28)


def test_feature_maps_and_filters_match_torch(run):
    model = lenet_from_state(run[-1].state)
    digit = mnist_5k().images[7]
    maps = lenet_feature_maps(model, digit)
    assert maps["conv1"].shape == (6, 28, 28) and maps["conv2"].shape == (16, 10, 10)
    ref = torch.relu(torch.nn.functional.conv2d(digits_to_tensor(digit), model.conv1.weight, model.conv1.bias))[0]
    assert np.allclose(maps["conv1"], ref.detach().numpy(), atol=1e-5)
    assert (maps["conv2"] >= 0).all()
    f = learned_filters(model)
    assert f["conv1"].shape == (6, 5, 5) and f["conv2"].shape == (16, 6, 5, 5)
    grid = tile_maps(f["conv1"], columns=6, cell=10, gap=2, symmetric=True)
    assert grid.shape == (10, 6 * 12 - 2)


def test_held_out_digits_are_the_test_split():
    images, labels = held_out_digits()
    data = mnist_5k()
    _, test = train_test_split_stratified(data.labels, 0.2, 0)
    assert images.shape == (1000, 28, 28) and images.dtype == np.uint8
    assert np.array_equal(images[5], data.images[test[5]]) and int(labels[5]) == int(data.labels[test[5]])
    assert np.bincount(labels).tolist() == [100] * 10
