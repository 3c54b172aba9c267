"""Live training, the parts every topic's loop shares: settings, seeded start, Adam on a cosine, batches, the step loop.

A topic's training (LeNet-5, the autoencoders, the localiser, the captioner) keeps its own networks,
losses and progress records; what is the same in all of them lives here, once:

- ``RunSettings``: the settings of one run (Adam steps, batch size, learning rate, seed, how often it
  reports, torch threads) and ``check_run``, their validation;
- ``seeded(seed, build)``: build networks under a forked torch RNG seeded with ``seed`` (the global
  RNG is left as it was), so a run's initial weights depend on its seed only;
- ``adam_cosine``: Adam with its learning rate decayed to 0 along a cosine over the run;
  ``descend``: one optimiser step on one loss; ``weights_copy``: a detached copy of a state dict;
- batch orders: ``epoch_batches`` (a new permutation each epoch, the last batch possibly short),
  ``shuffled_batches`` (full batches from a permutation, reshuffled when it runs out);
- ``train_steps``: the loop: an optional record of the untrained network, then ``train_step`` on
  ``threads`` torch threads with gradients on, a record every ``eval_every`` steps, at the last step,
  and at the step after which ``should_stop()`` asks to stop (the run then ends).

Everything is seeded and runs on the CPU; indices are ``(B,)`` int64 tensors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import torch

from vision_core.checks import check_int, check_range
from vision_core.models.device import limited_threads

__all__ = [
    "RunSettings",
    "adam_cosine",
    "column_means",
    "descend",
    "epoch_batches",
    "seeded",
    "shuffled_batches",
    "train_steps",
    "weights_copy",
]

T = TypeVar("T")
S = TypeVar("S")
R = TypeVar("R")


@dataclass(frozen=True)
class RunSettings:
    """The settings every step-counted run shares: ``steps`` Adam steps on mini-batches of ``batch_size``,
    learning rate ``lr`` (cosine decay to 0), ``seed``, a record every ``eval_every`` steps, ``threads``
    torch threads. A topic's config adds its own fields (and may change these defaults)."""

    steps: int = 400
    batch_size: int = 64
    lr: float = 3e-3
    seed: int = 0
    eval_every: int = 50
    threads: int = 1

    def check_run(self, min_batch: int = 2, min_lr: float = 1e-6) -> None:
        """Raise ``BadInput`` (naming the setting and its range) for a setting out of range."""
        check_int(self.steps, 1, 20000, "The number of steps")
        check_int(self.batch_size, min_batch, 1024, "The batch size")
        check_range(self.lr, min_lr, 1.0, "The learning rate")
        check_int(self.seed, 0, 2**31 - 1, "The seed")
        check_int(self.eval_every, 1, 20000, "eval_every")
        check_int(self.threads, 1, 64, "The number of threads")


def seeded(seed: int, build: Callable[[], T]) -> T:
    """``build()`` with torch's CPU RNG seeded with ``seed`` inside a fork (the global RNG state is restored)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return build()


def adam_cosine(params: Iterable[torch.nn.Parameter], lr: float, steps: int,
                ) -> tuple[torch.optim.Adam, torch.optim.lr_scheduler.CosineAnnealingLR]:
    """Adam at ``lr`` and the schedule that decays it to 0 along a cosine over ``steps`` steps."""
    opt = torch.optim.Adam(params, lr=lr)
    return opt, torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)


def descend(opt: torch.optim.Optimizer, loss: torch.Tensor, clip: float | None = None) -> None:
    """One step of ``opt`` down ``loss`` (gradients cleared first; their norm clipped to ``clip`` when given)."""
    opt.zero_grad(set_to_none=True)
    loss.backward()
    if clip is not None:
        torch.nn.utils.clip_grad_norm_([p for group in opt.param_groups for p in group["params"]], clip)
    opt.step()


def weights_copy(net: torch.nn.Module) -> dict[str, torch.Tensor]:
    """A copy of ``net``'s state dict, detached from the network (later steps do not change it)."""
    return {k: v.detach().clone() for k, v in net.state_dict().items()}


def epoch_batches(n: int, batch_size: int, epochs: int, generator: torch.Generator) -> Iterator[torch.Tensor]:
    """Indices of ``epochs`` passes over ``n`` examples: a fresh permutation each epoch, cut into batches of
    ``batch_size`` (the last of an epoch shorter when ``batch_size`` does not divide ``n``)."""
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch_size):
            yield order[start : start + batch_size]


def shuffled_batches(n: int, batch_size: int, generator: torch.Generator) -> Iterator[torch.Tensor]:
    """Full batches of ``batch_size`` indices, without end: taken in turn from a permutation of ``n`` examples,
    and from a new permutation when fewer than ``batch_size`` are left."""
    order, cursor = torch.randperm(n, generator=generator), 0
    while True:
        if cursor + batch_size > len(order):
            order, cursor = torch.randperm(n, generator=generator), 0
        yield order[cursor : cursor + batch_size]
        cursor += batch_size


def column_means(rows: list, width: int) -> np.ndarray:
    """The mean of each of ``width`` numbers over ``rows`` (summed in order); all nan when there are no rows."""
    if not rows:
        return np.full(width, np.nan)
    sums = np.zeros(width)
    for row in rows:
        sums += row
    return sums / len(rows)


def train_steps(steps: int, train_step: Callable[[int], S], record: Callable[[int, list[S]], R], *,
                eval_every: int, threads: int | None, should_stop: Callable[[], bool] | None = None,
                record_start: bool = True) -> Iterator[R]:
    """The loop of a live training run, a generator of records.

    With ``record_start``, first ``record(0, [])`` (the untrained network). Then for each step 1 … ``steps``,
    ``train_step(step)`` runs on ``threads`` torch threads with gradients on and returns that step's numbers;
    after the step, when it is a multiple of ``eval_every``, the last one, or ``should_stop()`` is true, the
    loop yields ``record(step, numbers of the steps since the previous record)`` (computed on ``threads``
    threads), and after a stop it ends."""
    if record_start:
        with limited_threads(threads):
            first = record(0, [])
        yield first
    since: list[S] = []
    for step in range(1, steps + 1):
        with limited_threads(threads), torch.enable_grad():
            since.append(train_step(step))
        stop = should_stop is not None and should_stop()
        if step % eval_every == 0 or step == steps or stop:
            with limited_threads(threads):
                rec = record(step, since)
            yield rec
            since = []
        if stop:
            return
