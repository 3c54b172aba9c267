"""The checkerboard artefact, measured: transposed convolution versus upsample + convolution.

Two numbers, both shares of an image's energy (its pixels minus their mean, squared, summed — equal by
Parseval to the sum of its squared Fourier coefficients) that sit at the frequencies of a pattern
repeating every few pixels:

- ``nyquist_share``: the share at the Nyquist frequencies, the patterns that repeat every 2 pixels
  (columns alternating, rows alternating, a checkerboard). On a decoder's outputs for the same codes.
- ``periodic_share(image, period)``: the share at every multiple of ``1/period`` cycles per pixel (the
  Nyquist ones included). The decoders upsample 2× twice (7 → 14 → 28), so their fingerprint repeats
  every 4 pixels.

``flat_response`` feeds the decoder's upsampling stack a flat input (every one of its 16 × 7 × 7 values
1): upsample + convolution answers with a flat output away from the zero-padded borders, a stride-2
transposed 3×3 convolution with a pattern repeating every 4 pixels whatever its weights, because its
kernel copies overlap unevenly (1 tap per axis on even output positions, 2 on odd ones).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from vision_core.autoencoders.latent import as_codes, decode
from vision_core.autoencoders.networks import DECODERS, WIDE, TwinAutoencoder
from vision_core.checks import check_choice, check_int
from vision_core.errors import BadInput

__all__ = ["BORDER", "CheckerboardReport", "checkerboard_report", "flat_response", "flat_response_image",
           "nyquist_share", "periodic_share"]

BORDER = 4
"""Pixels cut from each side of a flat response: zero padding makes the borders differ (3 pixels deep here)."""


def _images(images: np.ndarray) -> np.ndarray:
    x = np.asarray(images, np.float64)
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3 or min(x.shape[1:]) < 2:
        raise BadInput(f"Expected (N, H, W) or (H, W) images, got shape {np.shape(images)}.")
    return x


def periodic_share(images: np.ndarray, period: int) -> np.ndarray:
    """Per image ``(N,)``: the share (0–1) of its mean-removed energy at the frequencies ``k/period`` cycles
    per pixel along each axis (k = 0 … period − 1, not both 0). H and W must be multiples of ``period``;
    a flat image has no energy and gives 0."""
    x = _images(images)
    check_int(period, 2, min(x.shape[1:]), "The period")
    h, w = x.shape[1:]
    if h % period or w % period:
        raise BadInput(f"Images of {h}×{w} pixels have no frequency of period {period}: crop them to a multiple.")
    power = np.abs(np.fft.fft2(x - x.mean(axis=(1, 2), keepdims=True))) ** 2
    mask = np.zeros((h, w), bool)
    mask[:: h // period, :: w // period] = True
    mask[0, 0] = False
    total = power.reshape(len(x), -1).sum(1)
    on = power[:, mask].sum(1)
    return np.where(total > 1e-12 * h * w, on / np.maximum(total, 1e-300), 0.0)


def nyquist_share(images: np.ndarray) -> np.ndarray:
    """Per image ``(N,)``: the share of its mean-removed energy in patterns that repeat every 2 pixels."""
    return periodic_share(images, 2)


@torch.no_grad()
def flat_response(decoder: str = "transposed", *, net: TwinAutoencoder) -> np.ndarray:
    """The decoder's upsampling stack (its raw output, unclipped) fed a flat ``(1, 16, 7, 7)`` input of ones:
    the ``(28 − 2·BORDER)²`` float32 interior of its 28×28 output."""
    check_choice(decoder, DECODERS, "decoder")
    out = net.decoders[decoder].up(torch.ones(1, WIDE, 7, 7))[0, 0].numpy()
    return out[BORDER:-BORDER, BORDER:-BORDER].copy()


def flat_response_image(response: np.ndarray, zoom: int = 8, contrast: float = 0.25) -> np.ndarray:
    """A flat response shown as ``(H·zoom, W·zoom)`` uint8 grey: mid-grey = its mean, white / black =
    ``contrast`` (25 %) of the mean's size above / below it; so a truly flat response is plain grey."""
    check_int(zoom, 1, 32, "The zoom")
    r = np.asarray(response, np.float64)
    rel = (r - r.mean()) / max(abs(r.mean()), 1e-6)
    grey = np.clip(127.5 + 127.5 * rel / contrast, 0, 255).round().astype(np.uint8)
    return np.kron(grey, np.ones((zoom, zoom), np.uint8))


def _variation(response: np.ndarray) -> float:
    return float(np.std(response) / max(abs(float(np.mean(response))), 1e-12))


@dataclass(frozen=True)
class CheckerboardReport:
    """Both decoders on the same ``codes`` ``(N, 2)``: ``outputs[decoder]`` ``(N, 28, 28)`` uint8 and their mean
    ``nyquist[decoder]`` share; ``flat[decoder]`` the flat response (``flat_response``), its ``flat_periodic``
    share (period 4) and ``flat_variation`` (standard deviation / |mean|); ``reference_nyquist`` the mean share
    of ``reference`` images (real digits), for scale."""

    codes: np.ndarray
    outputs: dict[str, np.ndarray]
    nyquist: dict[str, float]
    flat: dict[str, np.ndarray]
    flat_periodic: dict[str, float]
    flat_variation: dict[str, float]
    reference_nyquist: float


def checkerboard_report(codes: object, reference: np.ndarray, *, net: TwinAutoencoder) -> CheckerboardReport:
    """Decode the same ``codes`` with both decoders and measure each one's checkerboard."""
    z = as_codes(codes).numpy()
    outputs = {kind: decode(z, kind, net=net) for kind in DECODERS}
    flat = {kind: flat_response(kind, net=net) for kind in DECODERS}
    return CheckerboardReport(
        z, outputs,
        {k: float(nyquist_share(v).mean()) for k, v in outputs.items()},
        flat,
        {k: float(periodic_share(v, 4)[0]) for k, v in flat.items()},
        {k: _variation(v) for k, v in flat.items()},
        float(nyquist_share(reference).mean()),
    )
