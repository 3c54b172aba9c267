"""GAN rows: 64 faces, a 16-step walk, one MNIST DCGAN training step at batch 64."""

from __future__ import annotations

import torch

from bench.core import Row, timed_row
from vision_core.generative import faces as gan
from vision_core.generative.training import GanConfig, train_mnist_gan
from vision_core.models import get_model


def rows() -> list[Row]:
    model = get_model("dcgan_faces", "cpu")
    z = gan.latents(64, 0)
    out = [
        timed_row("gan", "sample_faces: 64 faces 64×64 (target < 500 ms)", lambda: gan.sample_faces(64, 0, generator=model),
                  lambda: model(z), target="< 500 ms", note="baseline: bare generator forward"),
        timed_row("gan", "walk: 16-step slerp between two faces (target < 300 ms)",
                  lambda: gan.walk((0, 0), (0, 1), 16, "slerp", generator=model), lambda: model(z[:16]), target="< 300 ms"),
    ]
    run = train_mnist_gan(GanConfig(steps=10_000, batch=64, sample_every=10_000))
    next(run)
    out.append(timed_row("gan", "MNIST DCGAN: one training step, batch 64 (target < 100 ms)", lambda: next(run),
                         repeat=30, warmup=3, target="< 100 ms"))
    torch.set_grad_enabled(True)
    return out
