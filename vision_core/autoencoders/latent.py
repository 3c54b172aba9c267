"""Using a trained autoencoder: encode digits to 2-D codes, decode codes (a clicked point, a grid), measure
reconstructions, and how well the 2-D codes separate the digits (k nearest neighbours).

Conventions: digits ``(N, 28, 28)`` uint8 white on black; codes ``(N, 2)`` float32; errors are the mean
squared error on pixels in 0–1. Networks are arguments (``net=``, a ``TwinAutoencoder``) and are only read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from vision_core.autoencoders.networks import DECODERS, TwinAutoencoder
from vision_core.autoencoders.training import digit_split, digits_to_tensor, held_out_digits, tensor_to_digits
from vision_core.checks import check_choice, check_int, check_range
from vision_core.errors import BadInput
from vision_core.ops.tiling import tile_grid

__all__ = [
    "LatentMap",
    "as_codes",
    "Reconstructions",
    "decode",
    "digit_rows",
    "encode",
    "knn_accuracy",
    "latent_map",
    "manifold",
    "mean_digit_mse",
    "reconstruct",
    "reconstructions",
]


@torch.no_grad()
def encode(digits: np.ndarray, *, net: TwinAutoencoder, batch: int = 500) -> np.ndarray:
    """2-D codes ``(N, 2)`` float32 of ``(N, 28, 28)`` uint8 digits."""
    x = digits_to_tensor(digits)
    return torch.cat([net.encoder(x[i : i + batch]) for i in range(0, len(x), batch)]).numpy()


def as_codes(codes: object) -> torch.Tensor:
    """``codes`` as a ``(N, 2)`` float32 tensor (one ``(2,)`` point becomes ``(1, 2)``); ``BadInput`` otherwise."""
    z = np.asarray(codes, dtype=np.float32)
    if z.ndim == 1:
        z = z[None]
    if z.ndim != 2 or z.shape[1] != 2 or len(z) == 0:
        raise BadInput(f"Codes must be (N, 2) points of the latent plane, got shape {z.shape}.")
    if not np.isfinite(z).all():
        raise BadInput("Codes must be finite numbers.")
    return torch.from_numpy(np.ascontiguousarray(z))


@torch.no_grad()
def decode(codes: object, decoder: str = "transposed", *, net: TwinAutoencoder) -> np.ndarray:
    """Digits ``(N, 28, 28)`` uint8 decoded from codes ``(N, 2)`` (or one ``(2,)`` point) by the named decoder."""
    check_choice(decoder, DECODERS, "decoder")
    return tensor_to_digits(net.decoders[decoder](as_codes(codes)))


@torch.no_grad()
def reconstruct(digits: np.ndarray, decoder: str = "transposed", *, net: TwinAutoencoder) -> np.ndarray:
    """Encode then decode: ``(N, 28, 28)`` uint8 in, the same out."""
    return decode(encode(digits, net=net), decoder, net=net)


def _mse(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean((a.astype(np.float64) / 255 - b.astype(np.float64) / 255) ** 2))


def mean_digit_mse() -> float:
    """The error of the laziest reconstruction: every held-out digit replaced by the mean training digit."""
    x_train, _, _, _ = digit_split()
    mean = x_train.mean(0, keepdim=True)
    digits, _ = held_out_digits()
    return float(((digits_to_tensor(digits) - mean) ** 2).mean())


@dataclass(frozen=True)
class Reconstructions:
    """Held-out digits and both decoders' reconstructions of them: ``originals`` ``(N, 28, 28)`` uint8,
    ``outputs[decoder]`` the same shape; ``mse[decoder]`` over all 1000 held-out digits (0–1 pixels);
    ``baseline`` the mean-digit error (``mean_digit_mse``)."""

    originals: np.ndarray
    labels: np.ndarray
    outputs: dict[str, np.ndarray]
    mse: dict[str, float]
    baseline: float


def reconstructions(*, net: TwinAutoencoder) -> Reconstructions:
    """Both decoders' reconstructions of every held-out digit and their errors."""
    digits, labels = held_out_digits()
    codes = encode(digits, net=net)
    outputs = {kind: decode(codes, kind, net=net) for kind in DECODERS}
    return Reconstructions(digits, labels, outputs, {k: _mse(v, digits) for k, v in outputs.items()}, mean_digit_mse())


def knn_accuracy(train_codes: np.ndarray, train_labels: np.ndarray, test_codes: np.ndarray, test_labels: np.ndarray,
                 k: int = 5) -> float:
    """Share of ``test_codes`` whose ``k`` nearest training codes (Euclidean) vote for the right label
    (ties go to the smallest label)."""
    check_int(k, 1, len(train_codes), "k")
    tr, te = np.asarray(train_codes, np.float64), np.asarray(test_codes, np.float64)
    d = ((te[:, None, :] - tr[None, :, :]) ** 2).sum(-1)
    nearest = np.argpartition(d, k - 1, axis=1)[:, :k]
    votes = np.asarray(train_labels)[nearest]
    n_classes = int(max(np.max(train_labels), np.max(test_labels))) + 1
    counts = np.stack([(votes == c).sum(1) for c in range(n_classes)], 1)
    return float((counts.argmax(1) == np.asarray(test_labels)).mean())


@dataclass(frozen=True)
class LatentMap:
    """The held-out digits in the latent plane: ``codes`` ``(1000, 2)``, ``labels``; ``knn_accuracy`` of a
    5-nearest-neighbour vote among the 4000 training digits' codes (chance is 10 %); ``extent``
    ``(x_min, x_max, y_min, y_max)`` holding 98 % of the codes, with a margin."""

    codes: np.ndarray
    labels: np.ndarray
    knn_accuracy: float
    extent: tuple[float, float, float, float]


def latent_map(*, net: TwinAutoencoder, k: int = 5) -> LatentMap:
    """Where the encoder puts the held-out digits, and how well those 2-D codes tell the digits apart."""
    x_train, y_train, _, _ = digit_split()
    train_codes = encode(tensor_to_digits(x_train), net=net)
    digits, labels = held_out_digits()
    codes = encode(digits, net=net)
    lo, hi = np.percentile(codes, 1, axis=0), np.percentile(codes, 99, axis=0)
    margin = 0.1 * np.maximum(hi - lo, 1e-3)
    extent = (float(lo[0] - margin[0]), float(hi[0] + margin[0]), float(lo[1] - margin[1]), float(hi[1] + margin[1]))
    return LatentMap(codes, labels, knn_accuracy(train_codes, y_train, codes, labels, k), extent)


def manifold(extent: tuple[float, float, float, float], decoder: str = "transposed", n: int = 12, *,
             net: TwinAutoencoder, zoom: int = 2) -> np.ndarray:
    """Decode an ``n`` × ``n`` grid of points over ``extent`` (x left → right, y bottom → top, as in the scatter)
    and lay the digits out as one ``(H, W, 3)`` uint8 image, each digit enlarged ``zoom`` times."""
    check_int(n, 2, 30, "The grid size")
    check_int(zoom, 1, 8, "The zoom")
    x0, x1, y0, y1 = (check_range(v, None, None, "The extent") for v in extent)
    xs, ys = np.linspace(x0, x1, n), np.linspace(y1, y0, n)
    points = np.array([(x, y) for y in ys for x in xs], np.float32)
    return tile_grid(decode(points, decoder, net=net), n, 28 * zoom, 1, background=60).image


def digit_rows(rows: list[np.ndarray], cell: int = 56, gap: int = 2) -> np.ndarray:
    """Rows of digits (each ``(n, 28, 28)`` uint8, the same ``n``) as one ``(H, W, 3)`` uint8 picture, one row
    under the other, each digit shown ``cell`` pixels wide (nearest neighbours) on white gaps."""
    if not rows or any(np.shape(r) != np.shape(rows[0]) or np.ndim(r) != 3 for r in rows):
        raise BadInput("Rows of digits must all be (n, H, W) arrays of the same shape.")
    return tile_grid(np.concatenate(rows), len(rows[0]), cell, gap).image
