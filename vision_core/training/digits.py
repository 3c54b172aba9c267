"""A trained LeNet-5 reads one digit: probabilities, what its two conv layers see, its learned filters.

Conventions: a digit is ``(28, 28)`` uint8, white ink on black, like MNIST (a drawing becomes one with
``vision_core.io.canvas.canvas_to_digit``); the network is the lecture's LeNet-5 (``models.lenet``),
passed in, never changed. Feature maps are ``(K, h, w)`` float32 after the layer's non-linearity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from vision_core.checks import check_fraction
from vision_core.io.datasets import mnist_5k, train_test_split_stratified
from vision_core.training.lenet_training import digits_to_tensor

__all__ = ["DigitReading", "held_out_digits", "learned_filters", "lenet_feature_maps", "predict_digit", "read_digit"]


@torch.no_grad()
def predict_digit(model: nn.Module, digit: np.ndarray) -> np.ndarray:
    """Softmax probabilities ``(10,)`` of ``model`` for one ``(28, 28)`` uint8 digit."""
    return torch.softmax(model(digits_to_tensor(digit)), 1)[0].numpy()


@torch.no_grad()
def lenet_feature_maps(model: nn.Sequential, digit: np.ndarray) -> dict[str, np.ndarray]:
    """Activations after each conv layer's non-linearity for one digit:
    ``{"conv1": (6, 28, 28), "conv2": (16, 10, 10)}`` float32 (lecture LeNet-5)."""
    x = digits_to_tensor(digit)
    out: dict[str, np.ndarray] = {}
    for name, module in model.named_children():
        x = module(x)
        if name == "act1":
            out["conv1"] = x[0].numpy().copy()
        elif name == "act2":
            out["conv2"] = x[0].numpy().copy()
            break
    return out


def learned_filters(model: nn.Sequential) -> dict[str, np.ndarray]:
    """The learned kernels: ``{"conv1": (6, 5, 5), "conv2": (16, 6, 5, 5)}`` float32."""
    return {
        "conv1": model.conv1.weight.detach()[:, 0].numpy().copy(),
        "conv2": model.conv2.weight.detach().numpy().copy(),
    }


@dataclass(frozen=True)
class DigitReading:
    """What the network says about one digit: ``probabilities`` ``(10,)`` (sum 1), the ``answer`` (the most
    likely digit) and its ``confidence``, and the conv feature maps (see ``lenet_feature_maps``)."""

    probabilities: np.ndarray
    answer: int
    confidence: float
    maps: dict[str, np.ndarray]


def read_digit(model: nn.Sequential, digit: np.ndarray) -> DigitReading:
    """Probabilities and feature maps of ``model`` for one ``(28, 28)`` uint8 digit."""
    probs = predict_digit(model, digit)
    best = int(np.argmax(probs))
    return DigitReading(probs, best, float(probs[best]), lenet_feature_maps(model, digit))


def held_out_digits(test_fraction: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The MNIST-5k digits training holds out (the same stratified split as ``mnist_split``):
    ``(N, 28, 28)`` uint8 images and ``(N,)`` int64 labels."""
    check_fraction(test_fraction, "The test fraction")
    data = mnist_5k()
    _, test = train_test_split_stratified(data.labels, test_fraction, seed)
    return data.images[test], np.asarray(data.labels, np.int64)[test]
