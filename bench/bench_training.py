"""Train a CNN and Transfer learning: LeNet-5 to >95 % on MNIST-5k, a drawn digit read, VGG-16 and hand-made features."""

from __future__ import annotations

import numpy as np
import torch

from bench.core import Row, timed_row, value_row
from vision_core.io.datasets import mnist_5k
from vision_core.models.lenet import lenet5
from vision_core.models import get_model
from vision_core.io.canvas import canvas_to_digit
from vision_core.models.device import limited_threads
from vision_core.training import (
    TrainConfig,
    digits_to_tensor,
    lenet_from_state,
    mnist_split,
    predict_digit,
    train_lenet,
)
from vision_core.transfer import cnn_features, experiment_dataset, handmade_features, to_rgb
from vision_core.models.vgg16 import layer_index, preprocess


def _bare_epoch(x: torch.Tensor, y: torch.Tensor, batch: int = 32) -> None:
    torch.manual_seed(0)
    model = lenet5()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    with limited_threads(1):
        for i in range(0, len(x), batch):
            loss = torch.nn.functional.cross_entropy(model(x[i : i + batch]), y[i : i + batch])
            opt.zero_grad()
            loss.backward()
            opt.step()


def rows() -> list[Row]:
    out: list[Row] = []
    last = None
    for last in train_lenet(TrainConfig()):
        pass
    assert last is not None
    out.append(value_row("train_cnn", "LeNet-5 default run (6 epochs, seed 0), wall time", last.elapsed, "s",
                         target="< 60 s to > 95 %", note=f"final test accuracy {last.test_accuracy:.1%}"))
    x, y, _, _ = mnist_split()
    out.append(timed_row("train_cnn", "train_lenet: one epoch incl. 5 test evaluations",
                         lambda: list(train_lenet(TrainConfig(epochs=1, eval_every=25))), lambda: _bare_epoch(x, y),
                         repeat=2, warmup=0, note="baseline: bare torch loop, no evaluation"))
    model = lenet_from_state(last.state)
    digit = mnist_5k().images[0]
    canvas = np.zeros((280, 280, 4), np.uint8)
    canvas[..., 3] = 255
    canvas[:, :, :3] = np.kron(digit, np.ones((10, 10), np.uint8))[..., None]
    with torch.no_grad():
        bare = lambda: torch.softmax(model(digits_to_tensor(digit)), 1)  # noqa: E731
        out.append(timed_row("train_cnn", "drawn digit: canvas 280×280 → 28×28 → probabilities",
                             lambda: predict_digit(model, canvas_to_digit(canvas)), bare, repeat=15,
                             note="baseline: the bare forward pass"))
    vgg = get_model("vgg16_features", "cpu")
    faces = experiment_dataset("faces").images
    stop = layer_index("block4_pool") + 1

    def bare_vgg() -> None:
        batch = torch.cat([preprocess(to_rgb(i, 48)) for i in faces])
        with torch.no_grad(), limited_threads(1):
            for i in range(0, len(batch), 25):
                vgg[:stop](batch[i : i + 25]).mean(dim=(2, 3))

    out.append(timed_row("transfer", "VGG-16 block4_pool features, 200 LFW images at 48×48",
                         lambda: cnn_features(faces, vgg, "block4_pool", 48), bare_vgg, repeat=2, warmup=1,
                         note="baseline: bare sliced VGG forward"))

    def bare_hog() -> None:
        import cv2
        from skimage.feature import hog

        for img in faces:
            hog(cv2.resize(img.astype(np.float32) / 255, (32, 32)), orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2))

    out.append(timed_row("transfer", "hand-made features (HOG + morphology + stats), 200 LFW",
                         lambda: handmade_features(faces), bare_hog, repeat=3, note="baseline: HOG alone"))
    return out
