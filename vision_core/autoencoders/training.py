"""Train the page's autoencoders live on MNIST-5k: the settings, the progress records, the loop.

One run trains two networks side by side on the same mini-batches: the ``TwinAutoencoder`` (one
encoder, a transposed-convolution decoder and an upsample + convolution decoder, loss = the sum of
their two mean squared errors) and the ``Denoiser`` (noisy digit in, clean digit out; each training
digit gets Gaussian noise of its own σ drawn uniformly from 0 to ``max_noise``, so one network
serves every noise level of the page's slider). Losses are MSE on pixels in 0–1.

Conventions: digits are ``(28, 28)`` uint8, white ink on black; the networks see ``(N, 1, 28, 28)``
float32 in 0–1. MNIST-5k is split once and for all (stratified, 4000 to train, 1000 held out; split
seed 0), so the held-out digits are the same for every run. Training is seeded (weights, batches,
noise) and runs on ``threads`` torch threads.
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
from vision_core.checks import check_int, check_range
from vision_core.errors import BadInput
from vision_core.io.datasets import mnist_5k, train_test_split_stratified
from vision_core.models.device import limited_threads

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
class AutoencoderConfig:
    """Settings of one run: Adam on MSE, learning rate decayed to 0 along a cosine, fixed seed."""

    steps: int = 400
    batch_size: int = 64
    lr: float = 3e-3
    max_noise: float = 0.6
    seed: int = 0
    eval_every: int = 50
    threads: int = 1

    def validate(self) -> "AutoencoderConfig":
        check_int(self.steps, 1, 20000, "The number of steps")
        check_int(self.batch_size, 2, 1024, "The batch size")
        check_range(self.lr, 1e-6, 1.0, "The learning rate")
        check_range(self.max_noise, 0.0, 1.0, "The largest training noise σ")
        check_int(self.seed, 0, 2**31 - 1, "The seed")
        check_int(self.eval_every, 1, 20000, "eval_every")
        check_int(self.threads, 1, 64, "The number of threads")
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


def digits_to_tensor(digits: np.ndarray) -> torch.Tensor:
    """``(N, 28, 28)`` or ``(28, 28)`` uint8 → ``(N, 1, 28, 28)`` float32 in 0–1."""
    arr = np.asarray(digits)
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3 or arr.shape[1:] != (28, 28):
        raise BadInput(f"Digits must be 28×28 images, got shape {arr.shape}.")
    return torch.from_numpy(arr.astype(np.float32) / 255.0)[:, None]


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


def _states(*nets: torch.nn.Module) -> list[dict[str, torch.Tensor]]:
    return [{k: v.detach().clone() for k, v in net.state_dict().items()} for net in nets]


def train_autoencoders(config: AutoencoderConfig = AutoencoderConfig(),
                       should_stop: Callable[[], bool] | None = None) -> Iterator[AutoencoderProgress]:
    """Train a fresh twin autoencoder and denoiser on MNIST-5k on the CPU; yield a record for the untrained
    networks (step 0), every ``eval_every`` steps and at the last step. Stops early when ``should_stop()``."""
    cfg = config.validate()
    t0 = time.perf_counter()
    x_train, _, x_test, _ = digit_split()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(cfg.seed)
        twin, den = TwinAutoencoder(), Denoiser()
    twin, den = twin.to(memory_format=FAST), den.to(memory_format=FAST)
    gen = torch.Generator().manual_seed(cfg.seed)
    noisy_test = add_noise(x_test, EVAL_NOISE, torch.Generator().manual_seed(SPLIT_SEED + 1))
    opts = [torch.optim.Adam(twin.parameters(), lr=cfg.lr), torch.optim.Adam(den.parameters(), lr=cfg.lr)]
    schedules = [torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=cfg.steps) for o in opts]
    sums = np.zeros(3)
    since = 0
    curve: list[CurvePoint] = []

    def record(step: int) -> AutoencoderProgress:
        with limited_threads(cfg.threads):
            test = _test_errors(twin, den, x_test, noisy_test)
        train = sums / since if since else np.full(3, np.nan)
        curve.append(CurvePoint(step, tuple(float(v) for v in train), tuple(test[n] for n in NETS)))
        twin_state, den_state = _states(twin, den)
        return AutoencoderProgress(step, cfg.steps, dict(zip(NETS, map(float, train))), test,
                                   time.perf_counter() - t0, tuple(curve), twin_state, den_state)

    yield record(0)
    twin.train()
    den.train()
    for step in range(1, cfg.steps + 1):
        idx = torch.randint(0, len(x_train), (cfg.batch_size,), generator=gen)
        x = x_train[idx].contiguous(memory_format=FAST)
        sigma = torch.rand(len(x), 1, 1, 1, generator=gen) * cfg.max_noise
        noisy = add_noise(x, sigma, gen)
        with limited_threads(cfg.threads), torch.enable_grad():
            out = twin(x)
            losses = [F.mse_loss(out[kind], x) for kind in DECODERS]
            loss_den = F.mse_loss(den(noisy), x)
            for opt, loss in zip(opts, (losses[0] + losses[1], loss_den)):
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
            for schedule in schedules:
                schedule.step()
        sums += [float(v.detach()) for v in (*losses, loss_den)]
        since += 1
        stop = should_stop is not None and should_stop()
        if step % cfg.eval_every == 0 or step == cfg.steps or stop:
            yield record(step)
            sums[:] = 0
            since = 0
        if stop:
            return


def networks_from(progress: AutoencoderProgress) -> tuple[TwinAutoencoder, Denoiser]:
    """The twin autoencoder and the denoiser of a record, in eval mode with gradients off."""
    twin, den = TwinAutoencoder(), Denoiser()
    twin.load_state_dict(progress.twin_state)
    den.load_state_dict(progress.denoiser_state)
    for net in (twin, den):
        net.eval().requires_grad_(False)
    return twin, den
