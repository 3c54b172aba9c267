"""Train LeNet-5 on MNIST-5k live on the CPU: the configuration, the progress records, the loop.

Conventions: digits are ``(28, 28)`` uint8, white ink (255) on black (0), like MNIST. The network
sees them as ``(N, 1, 32, 32)`` float32 in 0–1 (padded by 2 pixels, as LeCun fed LeNet-5); labels
are ``(N,)`` int64. Training is seeded (weights and batch order) and runs on ``threads`` torch threads;
the loop, the batches and the optimiser are ``models.fit``'s.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from vision_core.errors import BadInput
from vision_core.io.datasets import mnist_5k, train_test_split_stratified
from vision_core.models.fit import adam_cosine, descend, epoch_batches, seeded, train_steps, weights_copy
from vision_core.models.lenet import digit_tensor, lenet5, pad_to_32

__all__ = [
    "TrainConfig",
    "TrainProgress",
    "digits_to_tensor",
    "evaluate",
    "lenet_from_state",
    "mnist_split",
    "train_lenet",
]


@dataclass(frozen=True)
class TrainConfig:
    """Settings of one training run: Adam on cross-entropy, mini-batches, learning rate decayed to 0
    along a cosine over the run, fixed seed."""

    epochs: int = 6
    batch_size: int = 32
    lr: float = 3e-3
    seed: int = 0
    test_fraction: float = 0.2
    eval_every: int = 20
    variant: str = "lecture"
    activation: str = "relu"
    threads: int = 1


@dataclass(frozen=True)
class TrainProgress:
    """One progress record. ``loss``/``train_accuracy`` are means over the last ``eval_every`` steps;
    ``test_accuracy`` is on the held-out digits, measured at this step; ``curve`` holds
    ``(step, loss, train_accuracy, test_accuracy)`` of every record so far, this one included (so a
    caller may keep only the latest record); ``state`` is a copy of the weights at this step."""

    step: int
    total_steps: int
    epoch: float
    loss: float
    train_accuracy: float
    test_accuracy: float
    elapsed: float
    curve: tuple[tuple[int, float, float, float], ...] = field(repr=False)
    state: dict[str, torch.Tensor] = field(repr=False, compare=False)


def digits_to_tensor(digits: np.ndarray) -> torch.Tensor:
    """``(N, 28, 28)`` or ``(28, 28)`` uint8 → ``(N, 1, 32, 32)`` float32 in 0–1, zero-padded."""
    return pad_to_32(digit_tensor(digits))


def mnist_split(test_fraction: float = 0.2, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """MNIST-5k as ``(x_train, y_train, x_test, y_test)``: ``(N, 1, 32, 32)`` float and ``(N,)`` int64,
    split stratified (every digit in the same proportion)."""
    data = mnist_5k()
    tr, te = train_test_split_stratified(data.labels, test_fraction, seed)
    y = torch.from_numpy(np.array(data.labels, dtype=np.int64))
    return digits_to_tensor(data.images[tr]), y[tr], digits_to_tensor(data.images[te]), y[te]


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch: int = 1000) -> float:
    """Accuracy (0–1) of ``model`` on ``x`` ``(N, 1, 32, 32)`` with labels ``y`` ``(N,)``."""
    was_training = model.training
    model.eval()
    correct = 0
    for i in range(0, len(x), batch):
        correct += int((model(x[i : i + batch]).argmax(1) == y[i : i + batch]).sum())
    model.train(was_training)
    return correct / max(len(x), 1)


def _validate(config: TrainConfig) -> None:
    if not 1 <= config.epochs <= 50:
        raise BadInput(f"epochs must be between 1 and 50, got {config.epochs}.")
    if not 1 <= config.batch_size <= 1024:
        raise BadInput(f"batch size must be between 1 and 1024, got {config.batch_size}.")
    if not 0 < config.lr <= 1:
        raise BadInput(f"the learning rate must be positive and at most 1, got {config.lr}.")
    if not 1 <= config.threads <= 64:
        raise BadInput(f"threads must be between 1 and 64, got {config.threads}.")
    if config.eval_every < 1:
        raise BadInput(f"eval_every must be at least 1, got {config.eval_every}.")


def train_lenet(config: TrainConfig = TrainConfig(), should_stop: Callable[[], bool] | None = None) -> Iterator[TrainProgress]:
    """Train a fresh LeNet-5 on MNIST-5k on the CPU, yielding a ``TrainProgress`` every ``eval_every``
    steps and at the last step. Seeded (weights and batch order); stops early when ``should_stop()``."""
    _validate(config)
    t0 = time.perf_counter()
    x_train, y_train, x_test, y_test = mnist_split(config.test_fraction, config.seed)
    model = seeded(config.seed, lambda: lenet5(config.variant, config.activation))  # type: ignore[arg-type]
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(config.seed)
    per_epoch = (len(x_train) + config.batch_size - 1) // config.batch_size
    total = per_epoch * config.epochs
    opt, schedule = adam_cosine(model.parameters(), config.lr, total)
    batches = epoch_batches(len(x_train), config.batch_size, config.epochs, gen)
    curve: list[tuple[int, float, float, float]] = []

    def step(_: int) -> tuple[float, int, int]:
        idx = next(batches)
        logits = model(x_train[idx])
        loss = loss_fn(logits, y_train[idx])
        descend(opt, loss)
        schedule.step()
        return float(loss.detach()), int((logits.detach().argmax(1) == y_train[idx]).sum()), len(idx)

    def record(step: int, since: list[tuple[float, int, int]]) -> TrainProgress:
        test_accuracy = evaluate(model, x_test, y_test)
        mean_loss = float(np.mean([loss for loss, _, _ in since]))
        train_accuracy = sum(hits for _, hits, _ in since) / sum(seen for _, _, seen in since)
        curve.append((step, mean_loss, train_accuracy, test_accuracy))
        return TrainProgress(
            step=step,
            total_steps=total,
            epoch=step / per_epoch,
            loss=mean_loss,
            train_accuracy=train_accuracy,
            test_accuracy=test_accuracy,
            elapsed=time.perf_counter() - t0,
            curve=tuple(curve),
            state=weights_copy(model),
        )

    yield from train_steps(total, step, record, eval_every=config.eval_every, threads=config.threads,
                           should_stop=should_stop, record_start=False)


def lenet_from_state(state: dict[str, torch.Tensor], variant: str = "lecture", activation: str = "relu") -> nn.Sequential:
    """A LeNet-5 in eval mode carrying the weights ``state`` (from a ``TrainProgress``)."""
    model = lenet5(variant, activation)  # type: ignore[arg-type]
    model.load_state_dict(state)
    return model.eval()
