"""Train the page's autoencoders live on MNIST-5k: the settings, the progress records, the loop.

One run trains two networks side by side on the same mini-batches: the ``TwinAutoencoder`` (one
encoder, a transposed-convolution decoder and an upsample + convolution decoder, loss = the sum of
their two mean squared errors) and the ``Denoiser`` (noisy digit in, clean digit out; each training
digit gets Gaussian noise of its own σ drawn uniformly from 0 to ``max_noise``, so one network
serves every noise level of the page's slider). Losses are MSE on pixels in 0–1.

Conventions: digits are ``(28, 28)`` uint8, white ink on black; the networks see ``(N, 1, 28, 28)``
float32 in 0–1. MNIST-5k is split once and for all (stratified, 4000 to train, 1000 held out; split
seed 0), so the held-out digits are the same for every run. Training is seeded (weights, batches,
noise) and runs on ``threads`` torch threads; the loop, Adam and its schedule are ``models.fit``'s.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import torch
from torch.nn import functional as F

from vision_core.autoencoders.networks import DECODERS, Denoiser, TwinAutoencoder
from vision_core.checks import check_range
from vision_core.io.datasets import mnist_5k, train_test_split_stratified
from vision_core.models.fit import RunSettings, adam_cosine, column_means, descend, seeded, train_steps, weights_copy
from vision_core.models.lenet import digit_tensor as digits_to_tensor

__all__ = [
    "EVAL_NOISE",
    "NETS",
    "AutoencoderConfig",
    "AutoencoderProgress",
    "CurvePoint",
    "add_noise",
    "digit_split",
    "digits_to_tensor",
    "held_out_digits",
    "networks_from",
    "tensor_to_digits",
    "train_autoencoders",
]

NETS: tuple[str, ...] = (*DECODERS, "denoiser")
"""The three reconstructions a run reports: the two decoders of the twin autoencoder and the denoiser."""
EVAL_NOISE = 0.4
"""σ of the fixed noise on the held-out digits when the denoiser's test error is measured."""
SPLIT_SEED = 0
FAST = torch.channels_last
"""The memory layout training runs in: on a CPU these small convolutions train about 1.7× faster channels-last."""


@dataclass(frozen=True)
class AutoencoderConfig(RunSettings):
    """Settings of one run (``RunSettings``: 400 steps of 64, lr 0.003, seed 0, a record every 50 steps, one
    thread): Adam on MSE, learning rate decayed to 0 along a cosine; ``max_noise`` is the denoiser's largest σ."""

    max_noise: float = 0.6

    def validate(self) -> "AutoencoderConfig":
        self.check_run()
        check_range(self.max_noise, 0.0, 1.0, "The largest training noise σ")
        return self


class CurvePoint(NamedTuple):
    """One point of the curves: training MSE (mean since the previous point) and held-out MSE per network."""

    step: int
    train: tuple[float, float, float]
    test: tuple[float, float, float]


@dataclass(frozen=True)
class AutoencoderProgress:
    """One progress record. ``train``/``test`` map each of ``NETS`` to its MSE (train: the mean over the
    steps since the last record, nan at step 0; test: on the 1000 held-out digits, the denoiser's with
    noise σ = ``EVAL_NOISE``). ``curve`` holds every record so far, this one included; ``step`` 0 is the
    untrained networks. The states are copies of the weights at this step."""

    step: int
    total_steps: int
    train: dict[str, float]
    test: dict[str, float]
    elapsed: float
    curve: tuple[CurvePoint, ...] = field(repr=False)
    twin_state: dict[str, torch.Tensor] = field(repr=False, compare=False)
    denoiser_state: dict[str, torch.Tensor] = field(repr=False, compare=False)


def tensor_to_digits(x: torch.Tensor) -> np.ndarray:
    """``(N, 1, 28, 28)`` float in 0–1 → ``(N, 28, 28)`` uint8 (rounded, clipped)."""
    return (x.detach()[:, 0].clamp(0, 1) * 255).round().to(torch.uint8).numpy()


def digit_split() -> tuple[torch.Tensor, np.ndarray, torch.Tensor, np.ndarray]:
    """MNIST-5k as ``(x_train, y_train, x_test, y_test)``: ``(N, 1, 28, 28)`` float32 and ``(N,)`` int64 labels;
    4000 / 1000, stratified, always the same split."""
    data = mnist_5k()
    tr, te = train_test_split_stratified(data.labels, 0.2, SPLIT_SEED)
    return digits_to_tensor(data.images[tr]), data.labels[tr], digits_to_tensor(data.images[te]), data.labels[te]


def held_out_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1000 held-out digits ``(1000, 28, 28)`` uint8 and their labels (no network ever trains on them)."""
    data = mnist_5k()
    _, te = train_test_split_stratified(data.labels, 0.2, SPLIT_SEED)
    return data.images[te], data.labels[te]


def add_noise(x: torch.Tensor, sigma: float | torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """``x`` (0–1) plus Gaussian noise of standard deviation ``sigma`` (a number or one per image), clipped to 0–1."""
    return (x + torch.as_tensor(sigma, dtype=x.dtype) * torch.randn(x.shape, generator=generator)).clamp(0, 1)


@torch.no_grad()
def _test_errors(twin: TwinAutoencoder, den: Denoiser, x: torch.Tensor, noisy: torch.Tensor) -> dict[str, float]:
    twin.eval()
    den.eval()
    out = twin(x)
    errors = {kind: float(F.mse_loss(out[kind], x)) for kind in DECODERS}
    errors["denoiser"] = float(F.mse_loss(den(noisy), x))
    twin.train()
    den.train()
    return errors


def train_autoencoders(config: AutoencoderConfig = AutoencoderConfig(),
                       should_stop: Callable[[], bool] | None = None) -> Iterator[AutoencoderProgress]:
    """Train a fresh twin autoencoder and denoiser on MNIST-5k on the CPU; yield a record for the untrained
    networks (step 0), every ``eval_every`` steps and at the last step. Stops early when ``should_stop()``."""
    cfg = config.validate()
    t0 = time.perf_counter()
    x_train, _, x_test, _ = digit_split()
    twin, den = seeded(cfg.seed, lambda: (TwinAutoencoder(), Denoiser()))
    twin, den = twin.to(memory_format=FAST), den.to(memory_format=FAST)
    gen = torch.Generator().manual_seed(cfg.seed)
    noisy_test = add_noise(x_test, EVAL_NOISE, torch.Generator().manual_seed(SPLIT_SEED + 1))
    (opt_twin, schedule_twin), (opt_den, schedule_den) = (adam_cosine(net.parameters(), cfg.lr, cfg.steps)
                                                          for net in (twin, den))
    curve: list[CurvePoint] = []

    def step(_: int) -> list[float]:
        idx = torch.randint(0, len(x_train), (cfg.batch_size,), generator=gen)
        x = x_train[idx].contiguous(memory_format=FAST)
        sigma = torch.rand(len(x), 1, 1, 1, generator=gen) * cfg.max_noise
        noisy = add_noise(x, sigma, gen)
        out = twin(x)
        losses = [F.mse_loss(out[kind], x) for kind in DECODERS]
        loss_den = F.mse_loss(den(noisy), x)
        descend(opt_twin, losses[0] + losses[1])
        descend(opt_den, loss_den)
        schedule_twin.step()
        schedule_den.step()
        return [float(v.detach()) for v in (*losses, loss_den)]

    def record(step: int, since: list[list[float]]) -> AutoencoderProgress:
        test = _test_errors(twin, den, x_test, noisy_test)
        train = column_means(since, 3)
        curve.append(CurvePoint(step, tuple(float(v) for v in train), tuple(test[n] for n in NETS)))
        return AutoencoderProgress(step, cfg.steps, dict(zip(NETS, map(float, train))), test,
                                   time.perf_counter() - t0, tuple(curve), weights_copy(twin), weights_copy(den))

    twin.train()
    den.train()
    yield from train_steps(cfg.steps, step, record, eval_every=cfg.eval_every, threads=cfg.threads,
                           should_stop=should_stop)


def networks_from(progress: AutoencoderProgress) -> tuple[TwinAutoencoder, Denoiser]:
    """The twin autoencoder and the denoiser of a record, in eval mode with gradients off."""
    twin, den = TwinAutoencoder(), Denoiser()
    twin.load_state_dict(progress.twin_state)
    den.load_state_dict(progress.denoiser_state)
    for net in (twin, den):
        net.eval().requires_grad_(False)
    return twin, den
