"""The denoising autoencoder at work: noisy digits in, clean digits out, and PSNR to say how close each is.

PSNR (peak signal-to-noise ratio) of an image ``a`` against the clean ``b``, both uint8:
``10 · log10(255² / MSE)`` in dB; higher is closer (+6 dB ≈ half the error amplitude). Noise is Gaussian
with standard deviation σ on the 0–1 pixel scale, clipped to 0–1, seeded so a σ always gives the same noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from vision_core.autoencoders.networks import Denoiser
from vision_core.autoencoders.training import add_noise, digits_to_tensor, tensor_to_digits
from vision_core.checks import check_int, check_range
from vision_core.errors import BadInput

__all__ = ["DenoiseResult", "denoise", "noisy_digits", "psnr"]


def psnr(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """PSNR in dB of each image of ``a`` against the same image of ``b`` (``(N, H, W)`` or ``(H, W)`` uint8);
    ``inf`` where they are equal."""
    x, y = np.asarray(a), np.asarray(b)
    if x.shape != y.shape:
        raise BadInput(f"PSNR needs two images of the same shape, got {x.shape} and {y.shape}.")
    if x.ndim == 2:
        x, y = x[None], y[None]
    err = ((x.astype(np.float64) - y.astype(np.float64)) ** 2).reshape(len(x), -1).mean(1)
    with np.errstate(divide="ignore"):
        return 10 * np.log10(255.0**2 / err)


def noisy_digits(digits: np.ndarray, sigma: float, seed: int = 0) -> np.ndarray:
    """``(N, 28, 28)`` uint8 digits with Gaussian noise σ (0–1 scale) added and clipped; the same σ and
    ``seed`` always give the same noise."""
    check_range(sigma, 0.0, 1.0, "The noise σ")
    check_int(seed, 0, 2**31 - 1, "The noise seed")
    x = digits_to_tensor(digits)
    return tensor_to_digits(add_noise(x, float(sigma), torch.Generator().manual_seed(seed)))


@dataclass(frozen=True)
class DenoiseResult:
    """``clean``, ``noisy`` and ``output`` ``(N, 28, 28)`` uint8; PSNR (dB) of the noisy input and of the
    denoiser's output against the clean digits, per digit and as means."""

    sigma: float
    clean: np.ndarray
    noisy: np.ndarray
    output: np.ndarray
    psnr_noisy: np.ndarray
    psnr_output: np.ndarray

    @property
    def mean_psnr_noisy(self) -> float:
        return float(np.mean(np.minimum(self.psnr_noisy, 100.0)))

    @property
    def mean_psnr_output(self) -> float:
        return float(np.mean(np.minimum(self.psnr_output, 100.0)))


@torch.no_grad()
def denoise(digits: np.ndarray, sigma: float, *, net: Denoiser, seed: int = 0) -> DenoiseResult:
    """Add noise σ to the clean ``digits``, run the denoiser on the noisy ones, and compare both with the clean."""
    noisy = noisy_digits(digits, sigma, seed)
    output = tensor_to_digits(net(digits_to_tensor(noisy)))
    clean = np.asarray(digits)
    return DenoiseResult(float(sigma), clean, noisy, output, psnr(noisy, clean), psnr(output, clean))
