"""A GAN you can watch train: a small DCGAN on MNIST-5k and a 2-D toy, both as generators of progress.

Both loops play the lecture's game min_G max_D V(D, G) with the usual
non-saturating generator loss, yield a ``GanStep`` record after every step and
never touch shared state: each run owns its networks. Each step runs on one
torch thread, so a training leaves the other core to the other users. Stop a run by not asking
for the next step (``ui.jobs`` does that on stop, pause and time-out). ``GAN_PRESETS`` are the
page's named settings (balanced, mode collapse, slow discriminator); ``digit_grid`` lays out samples.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from vision_core.checks import check_choice
from vision_core.errors import BadInput
from vision_core.io.datasets import mnist_5k
from vision_core.models.device import limited_threads
from vision_core.ops.tiling import tile_grid

__all__ = [
    "COLLAPSE_THRESHOLD",
    "GanConfig",
    "GanStep",
    "GAN_PRESETS",
    "TOY_DATASETS",
    "digit_grid",
    "diversity",
    "mnist_discriminator",
    "mnist_generator",
    "toy_data",
    "train_mnist_gan",
    "train_toy_gan",
]


@dataclass(frozen=True)
class GanConfig:
    """Training settings. ``g_steps`` generator updates per discriminator update."""

    steps: int = 600
    batch: int = 64
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    beta1: float = 0.5
    z_dim: int = 64
    g_steps: int = 1
    sample_every: int = 25
    seed: int = 0

    def validate(self) -> "GanConfig":
        checks = [
            (1 <= self.steps <= 20000, f"steps must be from 1 to 20000, got {self.steps}"),
            (2 <= self.batch <= 512, f"batch must be from 2 to 512, got {self.batch}"),
            (0 < self.lr_g <= 1 and np.isfinite(self.lr_g), f"the generator's learning rate must be in (0, 1], got {self.lr_g}"),
            (0 < self.lr_d <= 1 and np.isfinite(self.lr_d), f"the discriminator's learning rate must be in (0, 1], got {self.lr_d}"),
            (0 <= self.beta1 < 1, f"beta1 must be in [0, 1), got {self.beta1}"),
            (1 <= self.z_dim <= 256, f"the latent size must be from 1 to 256, got {self.z_dim}"),
            (1 <= self.g_steps <= 10, f"generator steps per discriminator step must be from 1 to 10, got {self.g_steps}"),
            (1 <= self.sample_every <= 10000, f"sample_every must be at least 1, got {self.sample_every}"),
        ]
        for ok, message in checks:
            if not ok:
                raise BadInput(message[0].upper() + message[1:] + ".")
        return self


GAN_PRESETS: dict[str, GanConfig] = {
    "balanced (DCGAN paper settings)": GanConfig(),
    "mode collapse (generator far stronger than discriminator)": GanConfig(lr_g=5e-3, lr_d=2e-5, beta1=0.9, g_steps=5),
    "slow discriminator": GanConfig(lr_d=2e-5),
}


@dataclass(frozen=True)
class GanStep:
    """One training step: losses, the discriminator's mean outputs, and (every k steps) samples.

    ``d_real`` = mean D(x) on real data, ``d_fake`` = mean D(G(z)); ``d_accuracy`` the
    discriminator's accuracy on this step's real and fake batch; ``diversity`` the
    mean pairwise distance of the fixed-noise samples divided by that of real data
    (≈ 1 is as varied as the data; near 0 is mode collapse). ``samples`` is
    ``(n, 28, 28)`` uint8 for MNIST or ``(n, 2)`` float points for the toy;
    ``surface`` the toy's D(x) on a grid ``(G, G)`` with ``extent`` (xmin, xmax, ymin, ymax).
    """

    step: int
    loss_d: float
    loss_g: float
    d_real: float
    d_fake: float
    d_accuracy: float
    diversity: float | None = None
    collapsed: bool = False
    samples: np.ndarray | None = field(default=None, repr=False)
    surface: np.ndarray | None = field(default=None, repr=False)
    extent: tuple[float, float, float, float] | None = None
    modes_covered: int | None = None


COLLAPSE_THRESHOLD = 0.35


def diversity(samples: np.ndarray, reference: np.ndarray) -> float:
    """Mean pairwise Euclidean distance of ``samples`` over that of ``reference`` (rows are flattened)."""
    def mean_dist(x: np.ndarray) -> float:
        x = x.reshape(len(x), -1).astype(np.float64)
        d = np.sqrt(np.maximum(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1), 0))
        n = len(x)
        return float(d.sum() / (n * (n - 1))) if n > 1 else 0.0

    ref = mean_dist(reference)
    return mean_dist(samples) / ref if ref > 0 else 0.0


def digit_grid(samples: np.ndarray, columns: int = 6, zoom: int = 4) -> np.ndarray:
    """``(n, 28, 28)`` uint8 digits as one ``(H, W, 3)`` uint8 RGB grid on white, each digit and the 1-pixel
    gaps and border around it enlarged ``zoom`` times (nearest neighbours), for display."""
    s = np.asarray(samples)
    cell = s.shape[-1] * zoom if s.ndim == 3 else None
    return tile_grid(s, columns, cell, zoom, border=zoom).image


def mnist_generator(z_dim: int = 64) -> nn.Sequential:
    """z ``(N, z_dim)`` → ``(N, 1, 28, 28)`` in [−1, 1]: Linear → 128×7×7 → ConvT 14×14×64 → ConvT 28×28×1."""
    return nn.Sequential(
        nn.Linear(z_dim, 128 * 7 * 7),
        nn.BatchNorm1d(128 * 7 * 7),
        nn.ReLU(True),
        nn.Unflatten(1, (128, 7, 7)),
        nn.ConvTranspose2d(128, 64, 4, 2, 1),
        nn.BatchNorm2d(64),
        nn.ReLU(True),
        nn.ConvTranspose2d(64, 1, 4, 2, 1),
        nn.Tanh(),
    )


def mnist_discriminator() -> nn.Sequential:
    """``(N, 1, 28, 28)`` → one logit: conv 4×4 s2 64 → conv 4×4 s2 128 → linear."""
    return nn.Sequential(
        nn.Conv2d(1, 64, 4, 2, 1),
        nn.LeakyReLU(0.2, True),
        nn.Conv2d(64, 128, 4, 2, 1),
        nn.BatchNorm2d(128),
        nn.LeakyReLU(0.2, True),
        nn.Flatten(),
        nn.Linear(128 * 7 * 7, 1),
    )


def _step(
    G: nn.Module, D: nn.Module, opt_g: torch.optim.Optimizer, opt_d: torch.optim.Optimizer,
    real: torch.Tensor, z_dim: int, g_steps: int, gen: torch.Generator,
) -> tuple[float, float, float, float, float]:
    n = len(real)
    ones, zeros = torch.ones(n, 1), torch.zeros(n, 1)
    fake = G(torch.randn(n, z_dim, generator=gen))
    logits_real, logits_fake = D(real), D(fake.detach())
    loss_d = F.binary_cross_entropy_with_logits(logits_real, ones) + F.binary_cross_entropy_with_logits(logits_fake, zeros)
    opt_d.zero_grad(set_to_none=True)
    loss_d.backward()
    opt_d.step()
    for _ in range(g_steps):
        fake = G(torch.randn(n, z_dim, generator=gen))
        loss_g = F.binary_cross_entropy_with_logits(D(fake), ones)
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
    with torch.no_grad():
        p_real, p_fake = torch.sigmoid(logits_real), torch.sigmoid(logits_fake)
        acc = 0.5 * ((p_real > 0.5).float().mean() + (p_fake < 0.5).float().mean())
    return float(loss_d.detach()), float(loss_g.detach()), float(p_real.mean()), float(p_fake.mean()), float(acc)


def train_mnist_gan(config: GanConfig = GanConfig(), n_samples: int = 36) -> Iterator[GanStep]:
    """Train the small DCGAN on MNIST-5k; yields a ``GanStep`` per step, with a fixed-noise sample
    grid (``n_samples`` digits) at step 1 and every ``sample_every`` steps."""
    cfg = config.validate()
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    data = mnist_5k()
    real_all = torch.from_numpy(data.images.astype(np.float32) / 127.5 - 1.0)[:, None]
    G, D = mnist_generator(cfg.z_dim), mnist_discriminator()
    opt_g = torch.optim.Adam(G.parameters(), lr=cfg.lr_g, betas=(cfg.beta1, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=cfg.lr_d, betas=(cfg.beta1, 0.999))
    fixed = torch.randn(n_samples, cfg.z_dim, generator=torch.Generator().manual_seed(cfg.seed + 1))
    ref = data.images[np.random.default_rng(cfg.seed).choice(len(data.images), n_samples, replace=False)]
    for step in range(1, cfg.steps + 1):
        idx = torch.randint(0, len(real_all), (cfg.batch,), generator=gen)
        G.train()
        D.train()
        with limited_threads(1):
            loss_d, loss_g, d_real, d_fake, acc = _step(G, D, opt_g, opt_d, real_all[idx], cfg.z_dim, cfg.g_steps, gen)
        samples = div = None
        collapsed = False
        if step == 1 or step % cfg.sample_every == 0 or step == cfg.steps:
            G.eval()
            with torch.no_grad():
                samples = ((G(fixed)[:, 0] + 1) * 127.5).clamp(0, 255).round().to(torch.uint8).numpy()
            div = diversity(samples, ref)
            collapsed = step > 50 and div < COLLAPSE_THRESHOLD
        yield GanStep(step, loss_d, loss_g, d_real, d_fake, acc, div, collapsed, samples)


TOY_DATASETS = ("ring of 8 Gaussians", "grid of 9 Gaussians", "two moons")


def _toy_modes(name: str) -> np.ndarray:
    if name == "ring of 8 Gaussians":
        a = np.arange(8) * 2 * np.pi / 8
        return np.c_[2 * np.cos(a), 2 * np.sin(a)]
    if name == "grid of 9 Gaussians":
        g = np.array([-2.0, 0.0, 2.0])
        return np.array([(x, y) for x in g for y in g])
    return np.empty((0, 2))


def toy_data(name: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points ``(n, 2)`` float32 from a named 2-D distribution (see ``TOY_DATASETS``)."""
    check_choice(name, TOY_DATASETS, "toy distribution")
    if name == "two moons":
        from sklearn.datasets import make_moons

        pts, _ = make_moons(n, noise=0.06, random_state=int(rng.integers(2**31)))
        return ((pts - [0.5, 0.25]) * 1.6).astype(np.float32)
    modes = _toy_modes(name)
    which = rng.integers(0, len(modes), n)
    return (modes[which] + rng.normal(0, 0.08, (n, 2))).astype(np.float32)


def _mlp(inp: int, out: int, width: int = 128) -> nn.Sequential:
    return nn.Sequential(nn.Linear(inp, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(), nn.Linear(width, out))


def train_toy_gan(
    dataset: str = "ring of 8 Gaussians",
    config: GanConfig = GanConfig(steps=2000, batch=256, lr_g=1e-3, lr_d=1e-3, z_dim=2, sample_every=20),
    n_samples: int = 512,
    grid: int = 60,
) -> Iterator[GanStep]:
    """Train an MLP GAN on a 2-D distribution. Every ``sample_every`` steps the record carries
    ``n_samples`` generated points, the discriminator's D(x) on a ``grid``×``grid`` lattice and,
    for mixtures, how many modes the samples cover (within 3σ)."""
    cfg = config.validate()
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    G, D = _mlp(cfg.z_dim, 2), _mlp(2, 1)
    opt_g = torch.optim.Adam(G.parameters(), lr=cfg.lr_g, betas=(cfg.beta1, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=cfg.lr_d, betas=(cfg.beta1, 0.999))
    fixed = torch.randn(n_samples, cfg.z_dim, generator=torch.Generator().manual_seed(cfg.seed + 1))
    lim = 3.2
    xs = np.linspace(-lim, lim, grid, dtype=np.float32)
    lattice = torch.from_numpy(np.stack(np.meshgrid(xs, xs), -1).reshape(-1, 2))
    modes = _toy_modes(dataset)
    ref = toy_data(dataset, 256, np.random.default_rng(cfg.seed + 2))
    for step in range(1, cfg.steps + 1):
        real = torch.from_numpy(toy_data(dataset, cfg.batch, rng))
        with limited_threads(1):
            loss_d, loss_g, d_real, d_fake, acc = _step(G, D, opt_g, opt_d, real, cfg.z_dim, cfg.g_steps, gen)
        if step == 1 or step % cfg.sample_every == 0 or step == cfg.steps:
            with torch.no_grad():
                pts = G(fixed).numpy()
                surface = torch.sigmoid(D(lattice)).reshape(grid, grid).numpy()
            covered = None
            if len(modes):
                d = np.linalg.norm(pts[:, None, :] - modes[None], axis=-1)
                covered = int(((d < 0.24).sum(0) >= max(3, n_samples // (20 * len(modes)))).sum())
            div = diversity(pts[:256], ref)
            collapsed = step > 100 and div < COLLAPSE_THRESHOLD
            yield GanStep(step, loss_d, loss_g, d_real, d_fake, acc, div, collapsed, pts, surface, (-lim, lim, -lim, lim), covered)
        else:
            yield GanStep(step, loss_d, loss_g, d_real, d_fake, acc)
