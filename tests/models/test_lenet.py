"""LeNet-5 shapes exactly as the lecture lists them; the Keras variant's shapes from 3×3 filters."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from vision_core.models.lenet import LENET5_SHAPES, lenet5, pad_to_32


def _shapes(model, x):
    out = {}
    for name, module in model.named_children():
        x = module(x)
        out[name] = tuple(x.shape[1:])
    return out


def test_lecture_shapes():
    shapes = _shapes(lenet5(), torch.zeros(1, 1, 32, 32))
    for name, shape in LENET5_SHAPES[1:]:
        assert shapes[name] == shape, name
    assert sum(p.numel() for p in lenet5().parameters()) == 61706


def test_keras_variant_shapes():
    shapes = _shapes(lenet5("keras"), torch.zeros(1, 1, 32, 32))
    assert shapes["conv1"] == (6, 30, 30) and shapes["subsample1"] == (6, 15, 15)
    assert shapes["conv2"] == (16, 13, 13) and shapes["subsample2"] == (16, 6, 6)
    assert shapes["output"] == (10,)


def test_pad_and_errors():
    assert pad_to_32(torch.zeros(2, 1, 28, 28)).shape == (2, 1, 32, 32)
    with pytest.raises(ValueError):
        pad_to_32(torch.zeros(1, 1, 30, 30))
    with pytest.raises(ValueError):
        lenet5("alexnet")  # type: ignore[arg-type]


def test_digit_tensor_scales_to_unit_range_and_adds_the_channel():
    from vision_core.errors import BadInput
    from vision_core.models.lenet import digit_tensor

    digit = np.zeros((28, 28), np.uint8)
    digit[3, 4] = 255
    digit[5, 6] = 51
    x = digit_tensor(digit)
    assert x.shape == (1, 1, 28, 28) and x.dtype == torch.float32
    assert float(x[0, 0, 3, 4]) == 1.0 and float(x[0, 0, 5, 6]) == pytest.approx(0.2) and float(x.sum()) == pytest.approx(1.2)
    assert digit_tensor(np.stack([digit, digit])).shape == (2, 1, 28, 28)
    with pytest.raises(BadInput, match="28×28"):
        digit_tensor(np.zeros((32, 32), np.uint8))
