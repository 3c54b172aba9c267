"""Train the localiser live: loss = softmax cross-entropy + λ · box loss, as the lecture adds them.

The class head is trained with cross-entropy on the 10 digit classes ("Softmax Loss"); the box head
regresses the 4 numbers (x, y, w, h) / 64 of the true box ("Box Coordinates → L2 Loss"): the L2 loss is
the squared distance ``Σ (b − b')²`` over the 4 numbers, smooth-L1 (Huber, β = 0.05) its robust cousin.
The two are added with a weight λ ("Softmax Loss + L2 Loss → Loss"). Every step draws a fresh batch of
scenes from the 4000 training digits; the 500 held-out scenes (the 1000 other digits) are the same for
every run. Seeded (weights, scenes), runs on ``threads`` torch threads; the loop, Adam and its schedule are
``models.fit``'s.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import torch
from torch.nn import functional as F

from vision_core.checks import check_choice, check_range
from vision_core.localisation.canvases import CANVAS, Scenes, make_scenes, split_digits
from vision_core.localisation.network import Localiser, cxcywh_to_xyxy, xyxy_to_cxcywh
from vision_core.models.fit import RunSettings, adam_cosine, column_means, descend, seeded, train_steps, weights_copy
from vision_core.ops.boxes import box_iou

__all__ = [
    "BOX_LOSSES", "HELD_OUT", "LocalisationConfig", "LocalisationCurve", "LocalisationProgress", "box_loss",
    "canvases_to_tensor", "held_out_scenes", "localiser_from", "paired_iou", "train_localiser",
]

BOX_LOSSES: tuple[str, ...] = ("L2", "smooth L1")
HELD_OUT = 500
"""Held-out scenes every run is measured on (seed ``HELD_OUT_SEED``, digits never trained on)."""
HELD_OUT_SEED = 12345


@dataclass(frozen=True)
class LocalisationConfig(RunSettings):
    """Settings of one run (``RunSettings``: 400 steps of 64, lr 0.003, seed 0, a record every 50 steps, one
    thread): Adam, learning rate decayed to 0 along a cosine; ``box_weight`` is λ, ``box_loss`` one of
    ``BOX_LOSSES``."""

    box_weight: float = 10.0
    box_loss: str = "L2"

    def validate(self) -> "LocalisationConfig":
        self.check_run()
        check_range(self.box_weight, 0.0, 1000.0, "The box-loss weight λ")
        check_choice(self.box_loss, BOX_LOSSES, "box loss")
        return self


class LocalisationCurve(NamedTuple):
    """One point of the curves: training losses (means since the previous point; nan at step 0) and the
    held-out accuracy and mean IoU."""

    step: int
    class_loss: float
    box_loss: float
    total_loss: float
    test_accuracy: float
    test_iou: float


@dataclass(frozen=True)
class LocalisationProgress:
    """One progress record (``step`` 0 is the untrained network); ``curve`` holds every record so far,
    this one included; ``state`` is a copy of the weights at this step."""

    step: int
    total_steps: int
    class_loss: float
    box_loss: float
    total_loss: float
    test_accuracy: float
    test_iou: float
    box_weight: float
    elapsed: float
    curve: tuple[LocalisationCurve, ...] = field(repr=False)
    state: dict[str, torch.Tensor] = field(repr=False, compare=False)


def canvases_to_tensor(images: np.ndarray) -> torch.Tensor:
    """``(N, 64, 64)`` uint8 → ``(N, 1, 64, 64)`` float32 in 0–1."""
    return torch.from_numpy(np.asarray(images, np.float32) / 255.0)[:, None]


def box_loss(pred: torch.Tensor, target: torch.Tensor, kind: str = "L2") -> torch.Tensor:
    """The box loss per batch: mean over boxes of ``Σ (b − b')²`` (L2) or of the 4 smooth-L1 terms (β = 0.05)."""
    check_choice(kind, BOX_LOSSES, "box loss")
    if kind == "L2":
        return ((pred - target) ** 2).sum(1).mean()
    return F.smooth_l1_loss(pred, target, reduction="none", beta=0.05).sum(1).mean()


def paired_iou(pred: np.ndarray, true: np.ndarray) -> np.ndarray:
    """IoU of each predicted box with its own true box, ``(N,)`` (the diagonal of ``ops.boxes.box_iou``)."""
    return np.diagonal(box_iou(pred, true)).copy()


def held_out_scenes() -> Scenes:
    """The 500 held-out scenes every run is measured on (the 1000 held-out digits, seed ``HELD_OUT_SEED``)."""
    return make_scenes(HELD_OUT, "test", HELD_OUT_SEED)


@torch.no_grad()
def _measure(net: Localiser, x: torch.Tensor, scenes: Scenes) -> tuple[float, float]:
    net.eval()
    logits, box = net(x)
    net.train()
    accuracy = float((logits.argmax(1).numpy() == scenes.labels).mean())
    return accuracy, float(paired_iou(cxcywh_to_xyxy(box.numpy(), CANVAS), scenes.boxes).mean())


def train_localiser(config: LocalisationConfig = LocalisationConfig(),
                    should_stop: Callable[[], bool] | None = None) -> Iterator[LocalisationProgress]:
    """Train a fresh localiser on synthetic scenes; yield a record for the untrained network (step 0), every
    ``eval_every`` steps and at the last step. Stops early when ``should_stop()``."""
    cfg = config.validate()
    t0 = time.perf_counter()
    digits = split_digits("train")
    test = held_out_scenes()
    x_test = canvases_to_tensor(test.images)
    # channels-last: about 1.5× faster on a CPU than NCHW
    net = seeded(cfg.seed, lambda: Localiser().to(memory_format=torch.channels_last))
    opt, schedule = adam_cosine(net.parameters(), cfg.lr, cfg.steps)
    rng = np.random.default_rng(cfg.seed)
    curve: list[LocalisationCurve] = []

    def step(_: int) -> list[float]:
        batch = make_scenes(cfg.batch_size, seed=int(rng.integers(2**62)), digits=digits)
        x = canvases_to_tensor(batch.images).contiguous(memory_format=torch.channels_last)
        target = torch.from_numpy(xyxy_to_cxcywh(batch.boxes, CANVAS))
        y = torch.from_numpy(batch.labels)
        logits, box = net(x)
        ce = F.cross_entropy(logits, y)
        bl = box_loss(box, target, cfg.box_loss)
        loss = ce + cfg.box_weight * bl
        descend(opt, loss)
        schedule.step()
        return [float(ce.detach()), float(bl.detach()), float(loss.detach())]

    def record(step: int, since: list[list[float]]) -> LocalisationProgress:
        accuracy, iou = _measure(net, x_test, test)
        ce, bl, total = column_means(since, 3)
        curve.append(LocalisationCurve(step, float(ce), float(bl), float(total), accuracy, iou))
        return LocalisationProgress(step, cfg.steps, float(ce), float(bl), float(total), accuracy, iou, cfg.box_weight,
                                    time.perf_counter() - t0, tuple(curve), weights_copy(net))

    net.train()
    yield from train_steps(cfg.steps, step, record, eval_every=cfg.eval_every, threads=cfg.threads,
                           should_stop=should_stop)


def localiser_from(progress: LocalisationProgress) -> Localiser:
    """The localiser of a record, in eval mode with gradients off."""
    net = Localiser()
    net.load_state_dict(progress.state)
    return net.eval().requires_grad_(False)
