"""Faces that do not exist: the embedded 64×64 DCGAN face generator, latents, walks and directions.

Generator: the PyTorch DCGAN tutorial's ``netG`` (nz = 100, ngf = 64, nc = 3,
ConvTranspose2d stack 1×1 → 4 → 8 → 16 → 32 → 64, tanh), weights from the
asset ``dcgan_faces`` (trained on DigiFace-1M: non-commercial research licence).

Latents are ``(n, 100, 1, 1)`` float32 drawn from N(0, I) by a CPU
``torch.Generator`` seeded with ``seed``, so the same seed gives the same faces
on every device. Images come back as ``(n, 64, 64, 3)`` uint8 RGB. A face kept
from a grid is the pair ``(seed, index)`` (``parse_kept``/``format_kept`` read and
write them for links). Every function that draws faces takes the loaded generator
(``generator``, required: ``get_model("dcgan_faces")``); nothing here loads or keeps one.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
from PIL import Image
from torch import nn

from vision_core.checks import check_choice, check_int
from vision_core.errors import BadInput
from vision_core.models.dcgan import NZ, DCGANGenerator
from vision_core.models.device import net_device

__all__ = [
    "NZ",
    "DCGANGenerator",
    "LatentDirections",
    "arithmetic",
    "arithmetic_face",
    "generate",
    "interpolate",
    "interpolation_gif",
    "latent_directions",
    "latents",
    "format_kept",
    "kept_faces",
    "kept_latent",
    "parse_kept",
    "sample_faces",
    "steer",
    "upscale",
    "walk",
]

MAX_FACES = 256
LICENCE_NOTE = (
    "Generator weights from gan-face-generate 1.1.1, trained on DigiFace-1M "
    "(synthetic faces; non-commercial research licence)."
)


def _check_n(n: int) -> None:
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or not 1 <= n <= MAX_FACES:
        raise BadInput(f"The number of faces must be a whole number from 1 to {MAX_FACES}, got {n!r}.")


def _check_seed(seed: int) -> int:
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or not 0 <= int(seed) < 2**63:
        raise BadInput(f"The seed must be a whole number from 0 to 2^63 − 1, got {seed!r}.")
    return int(seed)


def latents(n: int, seed: int) -> torch.Tensor:
    """``(n, 100, 1, 1)`` float32 N(0, I) latents on the CPU, identical for the same ``seed`` everywhere.

    Latent ``i`` of seed ``s`` does not depend on ``n`` (a fixed block of ``MAX_FACES`` rows is
    drawn and cut), so a face kept as ``(seed, i)`` is the same face in any grid size.
    """
    _check_n(n)
    gen = torch.Generator(device="cpu").manual_seed(_check_seed(seed))
    return torch.randn(MAX_FACES, NZ, 1, 1, generator=gen)[:n].clone()


def _to_uint8(x: torch.Tensor) -> np.ndarray:
    """``(N, 3, H, W)`` in [−1, 1] → ``(N, H, W, 3)`` uint8."""
    x = ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    return x.permute(0, 2, 3, 1).cpu().numpy()


@torch.inference_mode()
def generate(z: torch.Tensor, generator: nn.Module, batch: int = 64) -> np.ndarray:
    """Faces for latents ``z`` ``(n, 100[, 1, 1])`` as ``(n, 64, 64, 3)`` uint8 RGB from ``generator``
    (the loaded ``dcgan_faces``), ``batch`` latents per forward pass."""
    if not isinstance(z, torch.Tensor) or z.ndim not in (2, 4) or z.shape[1] != NZ:
        raise BadInput(f"Latents must have shape (n, {NZ}) or (n, {NZ}, 1, 1), got {tuple(getattr(z, 'shape', ()))}.")
    if not torch.isfinite(z).all():
        raise BadInput("Latents contain NaN or infinite values.")
    device = net_device(generator)
    z = z.reshape(len(z), NZ, 1, 1).float()
    out = [_to_uint8(generator(z[i : i + batch].to(device))) for i in range(0, len(z), batch)]
    return np.concatenate(out)


def sample_faces(n: int, seed: int, truncation: float = 1.0, *, generator: nn.Module) -> np.ndarray:
    """``n`` faces from ``seed`` as ``(n, 64, 64, 3)`` uint8 RGB.

    ``truncation`` in (0, 1] scales each latent toward the mean latent (zero):
    smaller values give more typical, less varied faces.
    """
    if not 0.0 < truncation <= 1.0 or not np.isfinite(truncation):
        raise BadInput(f"Truncation must be in (0, 1], got {truncation}.")
    return generate(latents(n, seed) * truncation, generator)


def interpolate(
    z_a: torch.Tensor, z_b: torch.Tensor, steps: int, method: Literal["slerp", "linear"] = "slerp"
) -> torch.Tensor:
    """``steps`` latents from ``z_a`` to ``z_b`` inclusive, shape ``(steps, *z_a.shape)``.

    ``slerp`` follows the great circle (Shoemake), which keeps the latents' norm
    typical of N(0, I); ``linear`` cuts through the low-density middle.
    """
    if z_a.shape != z_b.shape:
        raise BadInput(f"Both latents must have the same shape, got {tuple(z_a.shape)} and {tuple(z_b.shape)}.")
    if not isinstance(steps, int) or not 2 <= steps <= 256:
        raise BadInput(f"Steps must be a whole number from 2 to 256, got {steps!r}.")
    check_choice(method, ("slerp", "linear"), "path between latents")
    t = torch.linspace(0, 1, steps, dtype=torch.float64).reshape(-1, *([1] * z_a.ndim))
    a, b = z_a.double()[None], z_b.double()[None]
    if method == "linear":
        out = (1 - t) * a + t * b
    else:
        na, nb = a.flatten().norm(), b.flatten().norm()
        cos = torch.clamp((a.flatten() @ b.flatten()) / (na * nb), -1.0, 1.0)
        omega = torch.arccos(cos)
        if omega.abs() < 1e-6:
            out = (1 - t) * a + t * b
        else:
            out = (torch.sin((1 - t) * omega) * a + torch.sin(t * omega) * b) / torch.sin(omega)
    out[0], out[-1] = z_a.double(), z_b.double()
    return out.to(z_a.dtype)


def arithmetic(z_a: torch.Tensor, z_b: torch.Tensor, z_c: torch.Tensor) -> torch.Tensor:
    """Latent arithmetic ``a − b + c`` (e.g. smiling woman − neutral woman + neutral man)."""
    if not (z_a.shape == z_b.shape == z_c.shape):
        raise BadInput("a, b and c must be latents of the same shape.")
    return z_a - z_b + z_c


@dataclass(frozen=True)
class LatentDirections:
    """Principal directions in latent space (GANSpace-style): ``directions`` ``(k, 100)`` unit vectors,
    ``explained`` the share of feature variance each principal component explains, ``scale`` one
    standard deviation of the component, expressed as a latent step length."""

    directions: torch.Tensor
    explained: np.ndarray
    scale: np.ndarray


@torch.inference_mode()
def latent_directions(k: int = 5, samples: int = 2000, seed: int = 0, *, generator: nn.Module) -> LatentDirections:
    """PCA of the generator's first-block features (512×4×4) over ``samples`` latents, regressed back
    to latent space so each component becomes a direction to walk along."""
    from sklearn.decomposition import PCA

    if not 1 <= k <= 20:
        raise BadInput(f"k must be from 1 to 20, got {k}.")
    check_int(samples, max(k, 2), 100_000, "The number of sampled faces")
    device = net_device(generator)
    gen = torch.Generator(device="cpu").manual_seed(_check_seed(seed))
    z = torch.randn(samples, NZ, 1, 1, generator=gen)
    first = generator.main[:3]
    feats = torch.cat([first(z[i : i + 500].to(device)).flatten(1).cpu() for i in range(0, samples, 500)])
    pca = PCA(n_components=k, random_state=seed).fit(feats.numpy())
    coords = pca.transform(feats.numpy())
    basis, *_ = np.linalg.lstsq(coords, z.flatten(1).numpy(), rcond=None)
    norms = np.linalg.norm(basis, axis=1, keepdims=True)
    directions = torch.from_numpy((basis / norms).astype(np.float32))
    scale = (norms[:, 0] * np.sqrt(pca.explained_variance_)).astype(np.float32)
    return LatentDirections(directions, pca.explained_variance_ratio_.astype(np.float32), scale)


def upscale(images: np.ndarray, size: int, method: Literal["nearest", "lanczos"] = "nearest") -> np.ndarray:
    """Upscale ``(n, h, w, 3)`` or ``(h, w, 3)`` uint8 to ``size``×``size`` (nearest keeps the true pixels visible)."""
    check_choice(method, ("nearest", "lanczos"), "upscaling method")
    if not 8 <= size <= 1024:
        raise BadInput(f"Size must be from 8 to 1024 pixels, got {size}.")
    resample = Image.Resampling.NEAREST if method == "nearest" else Image.Resampling.LANCZOS
    single = images.ndim == 3
    batch = images[None] if single else images
    out = np.stack([np.asarray(Image.fromarray(im).resize((size, size), resample)) for im in batch])
    return out[0] if single else out


def interpolation_gif(frames: np.ndarray, size: int = 256, duration_ms: int = 80, bounce: bool = True) -> bytes:
    """An animated GIF (bytes) of ``(n, h, w, 3)`` uint8 frames, upscaled to ``size`` with Lanczos."""
    big = upscale(frames, size, "lanczos")
    seq: Sequence[np.ndarray] = list(big) + (list(big[-2:0:-1]) if bounce and len(big) > 2 else [])
    pil = [Image.fromarray(f) for f in seq]
    buf = io.BytesIO()
    pil[0].save(buf, format="GIF", save_all=True, append_images=pil[1:], duration=duration_ms, loop=0)
    return buf.getvalue()


def parse_kept(text: str, max_items: int = 32) -> list[tuple[int, int]]:
    """Parse kept faces from a shared link, ``"seed:index,seed:index"`` → ``[(seed, index), …]``.

    Raises ``BadInput`` naming the first malformed item.
    """
    out: list[tuple[int, int]] = []
    for item in filter(None, (p.strip() for p in text.split(","))):
        seed, sep, index = item.partition(":")
        if not sep or not seed.isdigit() or not index.isdigit():
            raise BadInput(f"'{item}' is not a kept face; expected seed:index, e.g. 42:3.")
        s, i = _check_seed(int(seed)), int(index)
        if i >= MAX_FACES:
            raise BadInput(f"Face index {i} is too large; faces are numbered 0 to {MAX_FACES - 1}.")
        if (s, i) not in out:
            out.append((s, i))
    return out[:max_items]


def format_kept(kept: Sequence[tuple[int, int]]) -> str:
    """The inverse of ``parse_kept``."""
    return ",".join(f"{s}:{i}" for s, i in kept)


def kept_latent(seed: int, index: int) -> torch.Tensor:
    """The latent ``(100, 1, 1)`` of face ``index`` in the grid drawn from ``seed``."""
    _check_n(index + 1)
    return latents(index + 1, seed)[index]


def kept_faces(kept: Sequence[tuple[int, int]], generator: nn.Module) -> np.ndarray:
    """Faces ``(k, 64, 64, 3)`` uint8 for ``(seed, index)`` pairs."""
    if not kept:
        raise BadInput("No faces are kept yet.")
    return generate(torch.stack([kept_latent(s, i) for s, i in kept]), generator)


def walk(
    a: tuple[int, int], b: tuple[int, int], steps: int, method: Literal["slerp", "linear"] = "slerp", *,
    generator: nn.Module,
) -> np.ndarray:
    """Frames ``(steps, 64, 64, 3)`` uint8 from kept face ``a`` to kept face ``b``; the ends are those faces."""
    return generate(interpolate(kept_latent(*a), kept_latent(*b), steps, method), generator)


def arithmetic_face(a: tuple[int, int], b: tuple[int, int], c: tuple[int, int], generator: nn.Module) -> np.ndarray:
    """The face ``(64, 64, 3)`` uint8 of latent ``a − b + c`` for kept faces."""
    z = arithmetic(kept_latent(*a), kept_latent(*b), kept_latent(*c))
    return generate(z[None], generator)[0]


def steer(
    base: tuple[int, int], directions: LatentDirections, coefficients: Sequence[float], generator: nn.Module
) -> np.ndarray:
    """The face ``(64, 64, 3)`` uint8 of kept face ``base`` moved by ``coefficients[i]`` standard
    deviations along principal direction ``i``."""
    if len(coefficients) > len(directions.directions):
        raise BadInput(f"Got {len(coefficients)} coefficients for {len(directions.directions)} directions.")
    z = kept_latent(*base).flatten().clone()
    for d, s, c in zip(directions.directions, directions.scale, coefficients):
        if not np.isfinite(c):
            raise BadInput("Direction coefficients must be finite numbers.")
        z += float(c) * float(s) * d
    return generate(z[None], generator)[0]
