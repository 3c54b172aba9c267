"""Train LeNet-5 on MNIST-5k live on the CPU, read a drawn digit, and the lecture's "X or X?" case.

Conventions: digits are ``(28, 28)`` uint8, white ink (255) on black (0), like MNIST. The network
sees them as ``(N, 1, 32, 32)`` float32 in 0–1 (padded by 2 pixels, as LeCun fed LeNet-5).
Canvas drawings are ``(H, W, 4)`` uint8 RGBA with white ink on a black or transparent background.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from vision_core.io.datasets import mnist_5k, train_test_split_stratified
from vision_core.models.lenet import lenet5, pad_to_32

__all__ = [
    "X_FILTERS",
    "X_FILTER_NAMES",
    "TrainConfig",
    "TrainProgress",
    "XResponse",
    "canvas_to_digit",
    "canvas_to_grid",
    "digits_to_tensor",
    "draw_x",
    "evaluate",
    "feature_maps",
    "learned_filters",
    "limited_threads",
    "lenet_from_state",
    "mnist_split",
    "predict_digit",
    "tile",
    "train_lenet",
    "x_responses",
]


@dataclass(frozen=True)
class TrainConfig:
    """Settings of one training run: Adam on cross-entropy, mini-batches, learning rate decayed to 0
    along a cosine over the run, fixed seed."""

    epochs: int = 6
    batch_size: int = 32
    lr: float = 3e-3
    seed: int = 0
    test_fraction: float = 0.2
    eval_every: int = 20
    variant: str = "lecture"
    activation: str = "relu"
    threads: int = 1


@contextmanager
def limited_threads(n: int | None = 1) -> Iterator[None]:
    """Run this thread's torch ops and BLAS/OpenMP pools (scikit-learn) on ``n`` threads, then restore;
    ``None`` changes nothing. Small models on a busy shared CPU run many times faster on one thread
    than on several threads competing for the same cores."""
    if n is None:
        yield
        return
    from threadpoolctl import threadpool_limits

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        with threadpool_limits(n):
            yield
    finally:
        torch.set_num_threads(before)


@dataclass(frozen=True)
class TrainProgress:
    """One progress record. ``loss``/``train_accuracy`` are means over the last ``eval_every`` steps;
    ``test_accuracy`` is on the held-out digits, measured at this step; ``curve`` holds
    ``(step, loss, train_accuracy, test_accuracy)`` of every record so far, this one included (so a
    caller may keep only the latest record); ``state`` is a copy of the weights at this step."""

    step: int
    total_steps: int
    epoch: float
    loss: float
    train_accuracy: float
    test_accuracy: float
    elapsed: float
    curve: tuple[tuple[int, float, float, float], ...] = field(repr=False)
    state: dict[str, torch.Tensor] = field(repr=False, compare=False)


def digits_to_tensor(digits: np.ndarray) -> torch.Tensor:
    """``(N, 28, 28)`` or ``(28, 28)`` uint8 → ``(N, 1, 32, 32)`` float32 in 0–1, zero-padded."""
    arr = np.asarray(digits)
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3 or arr.shape[1:] != (28, 28):
        raise ValueError(f"Digits must be 28×28 images, got shape {arr.shape}.")
    x = torch.from_numpy(arr.astype(np.float32) / 255.0)[:, None]
    return pad_to_32(x)


def mnist_split(test_fraction: float = 0.2, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """MNIST-5k as ``(x_train, y_train, x_test, y_test)``: ``(N, 1, 32, 32)`` float and ``(N,)`` int64,
    split stratified (every digit in the same proportion)."""
    data = mnist_5k()
    tr, te = train_test_split_stratified(data.labels, test_fraction, seed)
    y = torch.from_numpy(np.array(data.labels, dtype=np.int64))
    return digits_to_tensor(data.images[tr]), y[tr], digits_to_tensor(data.images[te]), y[te]


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch: int = 1000) -> float:
    """Accuracy (0–1) of ``model`` on ``x`` ``(N, 1, 32, 32)`` with labels ``y`` ``(N,)``."""
    was_training = model.training
    model.eval()
    correct = 0
    for i in range(0, len(x), batch):
        correct += int((model(x[i : i + batch]).argmax(1) == y[i : i + batch]).sum())
    model.train(was_training)
    return correct / max(len(x), 1)


def _validate(config: TrainConfig) -> None:
    if not 1 <= config.epochs <= 50:
        raise ValueError(f"epochs must be between 1 and 50, got {config.epochs}.")
    if not 1 <= config.batch_size <= 1024:
        raise ValueError(f"batch size must be between 1 and 1024, got {config.batch_size}.")
    if not 0 < config.lr <= 1:
        raise ValueError(f"the learning rate must be positive and at most 1, got {config.lr}.")
    if not 1 <= config.threads <= 64:
        raise ValueError(f"threads must be between 1 and 64, got {config.threads}.")
    if config.eval_every < 1:
        raise ValueError(f"eval_every must be at least 1, got {config.eval_every}.")


def train_lenet(config: TrainConfig = TrainConfig(), should_stop: Callable[[], bool] | None = None) -> Iterator[TrainProgress]:
    """Train a fresh LeNet-5 on MNIST-5k on the CPU, yielding a ``TrainProgress`` every ``eval_every``
    steps and at the last step. Seeded (weights and batch order); stops early when ``should_stop()``."""
    _validate(config)
    t0 = time.perf_counter()
    x_train, y_train, x_test, y_test = mnist_split(config.test_fraction, config.seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed)
        model = lenet5(config.variant, config.activation)  # type: ignore[arg-type]
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(config.seed)
    per_epoch = (len(x_train) + config.batch_size - 1) // config.batch_size
    total = per_epoch * config.epochs
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total)
    step = 0
    losses: list[float] = []
    hits = seen = 0
    curve: list[tuple[int, float, float, float]] = []
    for epoch in range(config.epochs):
        order = torch.randperm(len(x_train), generator=gen)
        for b in range(per_epoch):
            idx = order[b * config.batch_size : (b + 1) * config.batch_size]
            with limited_threads(config.threads), torch.enable_grad():
                logits = model(x_train[idx])
                loss = loss_fn(logits, y_train[idx])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                schedule.step()
            step += 1
            losses.append(float(loss.detach()))
            hits += int((logits.detach().argmax(1) == y_train[idx]).sum())
            seen += len(idx)
            stop = should_stop is not None and should_stop()
            if step % config.eval_every == 0 or step == total or stop:
                with limited_threads(config.threads):
                    test_accuracy = evaluate(model, x_test, y_test)
                mean_loss = float(np.mean(losses))
                curve.append((step, mean_loss, hits / seen, test_accuracy))
                yield TrainProgress(
                    step=step,
                    total_steps=total,
                    epoch=step / per_epoch,
                    loss=mean_loss,
                    train_accuracy=hits / seen,
                    test_accuracy=test_accuracy,
                    elapsed=time.perf_counter() - t0,
                    curve=tuple(curve),
                    state={k: v.detach().clone() for k, v in model.state_dict().items()},
                )
                losses, hits, seen = [], 0, 0
            if stop:
                return


def lenet_from_state(state: dict[str, torch.Tensor], variant: str = "lecture", activation: str = "relu") -> nn.Sequential:
    """A LeNet-5 in eval mode carrying the weights ``state`` (from a ``TrainProgress``)."""
    model = lenet5(variant, activation)  # type: ignore[arg-type]
    model.load_state_dict(state)
    return model.eval()


def _ink(rgba: np.ndarray) -> np.ndarray:
    arr = np.asarray(rgba)
    if arr.ndim != 3 or arr.shape[2] not in (3, 4) or arr.shape[0] < 8 or arr.shape[1] < 8:
        raise ValueError(f"A drawing must be an (H, W, 4) RGBA image of at least 8×8 pixels, got shape {arr.shape}.")
    rgb = arr[..., :3].astype(np.float32)
    lum = rgb @ np.array([0.299, 0.587, 0.114], np.float32)
    if arr.shape[2] == 4:
        lum = lum * (arr[..., 3].astype(np.float32) / 255.0)
    return lum / 255.0


def canvas_to_digit(rgba: np.ndarray) -> np.ndarray:
    """A drawing ``(H, W, 4)`` RGBA (white ink) → ``(28, 28)`` uint8 prepared like MNIST: the ink's
    bounding box scaled to fit 20×20 (aspect kept), then placed so its centre of mass is at the centre."""
    import cv2

    ink = _ink(rgba)
    mask = ink > 0.1
    if mask.sum() < 4:
        raise ValueError("The canvas is empty: draw a digit first.")
    ys, xs = np.nonzero(mask)
    crop = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = crop.shape
    scale = 20.0 / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    small = cv2.resize(crop, (nw, nh), interpolation=cv2.INTER_AREA)
    canvas = np.zeros((28, 28), np.float32)
    top, left = (28 - nh) // 2, (28 - nw) // 2
    canvas[top : top + nh, left : left + nw] = small
    total = canvas.sum()
    cy = (canvas.sum(1) * np.arange(28)).sum() / total
    cx = (canvas.sum(0) * np.arange(28)).sum() / total
    shift = np.float32([[1, 0, 13.5 - cx], [0, 1, 13.5 - cy]])
    canvas = cv2.warpAffine(canvas, shift, (28, 28), flags=cv2.INTER_LINEAR, borderValue=0)
    return np.clip(np.rint(canvas * 255), 0, 255).astype(np.uint8)


@torch.no_grad()
def predict_digit(model: nn.Module, digit: np.ndarray) -> np.ndarray:
    """Softmax probabilities ``(10,)`` of ``model`` for one ``(28, 28)`` uint8 digit."""
    return torch.softmax(model(digits_to_tensor(digit)), 1)[0].numpy()


@torch.no_grad()
def feature_maps(model: nn.Sequential, digit: np.ndarray) -> dict[str, np.ndarray]:
    """Activations after each conv layer's non-linearity for one digit:
    ``{"conv1": (6, 28, 28), "conv2": (16, 10, 10)}`` float32 (lecture LeNet-5)."""
    x = digits_to_tensor(digit)
    out: dict[str, np.ndarray] = {}
    for name, module in model.named_children():
        x = module(x)
        if name == "act1":
            out["conv1"] = x[0].numpy().copy()
        elif name == "act2":
            out["conv2"] = x[0].numpy().copy()
            break
    return out


def learned_filters(model: nn.Sequential) -> dict[str, np.ndarray]:
    """The learned kernels: ``{"conv1": (6, 5, 5), "conv2": (16, 6, 5, 5)}`` float32."""
    return {
        "conv1": model.conv1.weight.detach()[:, 0].numpy().copy(),
        "conv2": model.conv2.weight.detach().numpy().copy(),
    }


def tile(maps: np.ndarray, columns: int = 8, cell: int = 56, gap: int = 4, symmetric: bool = False) -> np.ndarray:
    """A grid image of ``(K, h, w)`` maps: each map scaled to ``cell`` pixels (nearest), normalised on
    its own to 0–255 (``symmetric``: 0 maps to mid-grey, for signed filters). Returns ``(H, W)`` uint8,
    white gaps between cells."""
    import cv2

    maps = np.asarray(maps, np.float32)
    if maps.ndim != 3 or len(maps) == 0:
        raise ValueError(f"tile needs a (K, h, w) stack of maps, got shape {maps.shape}.")
    k = len(maps)
    cols = min(columns, k)
    rows = (k + cols - 1) // cols
    out = np.full((rows * (cell + gap) - gap, cols * (cell + gap) - gap), 255, np.uint8)
    for i, m in enumerate(maps):
        if symmetric:
            peak = float(np.abs(m).max()) or 1.0
            norm = (m / peak + 1) / 2
        else:
            lo, hi = float(m.min()), float(m.max())
            norm = (m - lo) / (hi - lo) if hi > lo else np.zeros_like(m)
        img = cv2.resize((norm * 255).astype(np.uint8), (cell, cell), interpolation=cv2.INTER_NEAREST)
        r, c = divmod(i, cols)
        out[r * (cell + gap) : r * (cell + gap) + cell, c * (cell + gap) : c * (cell + gap) + cell] = img
    return out


X_FILTER_NAMES: tuple[str, ...] = ("diagonal ╲", "crossing ✕", "diagonal ╱")
X_FILTERS: np.ndarray = np.array(
    [
        [[1, -1, -1], [-1, 1, -1], [-1, -1, 1]],
        [[1, -1, 1], [-1, 1, -1], [1, -1, 1]],
        [[-1, -1, 1], [-1, 1, -1], [1, -1, -1]],
    ],
    np.float32,
)
"""The lecture's three 3×3 filters that detect the features of an X (pixels are +1 ink, −1 background)."""


def draw_x(size: int = 9, shift: tuple[int, int] = (0, 0), scale: float = 1.0, rotation: float = 0.0) -> np.ndarray:
    """The lecture's X as a ``(size, size)`` float32 image of +1 (ink) and −1 (background).

    ``scale=1`` draws the diagonals from pixel 1 to ``size-2`` (a one-pixel border, as in the lecture);
    ``shift=(dx, dy)`` moves it by whole pixels, ``rotation`` turns it (degrees, anticlockwise)."""
    if not 5 <= size <= 64:
        raise ValueError(f"size must be between 5 and 64 pixels, got {size}.")
    if not 0.2 <= scale <= 1.5:
        raise ValueError(f"scale must be between 0.2 and 1.5, got {scale}.")
    c = (size - 1) / 2
    half = (c - 1) * scale
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32)
    u, v = xs - c - shift[0], ys - c - shift[1]
    t = np.deg2rad(rotation)
    ur, vr = np.cos(t) * u - np.sin(t) * v, np.sin(t) * u + np.cos(t) * v
    on_diag = (np.abs(ur - vr) / np.sqrt(2) < 0.5) | (np.abs(ur + vr) / np.sqrt(2) < 0.5)
    inside = (np.abs(ur) <= half + 0.5) & (np.abs(vr) <= half + 0.5)
    return np.where(on_diag & inside, 1.0, -1.0).astype(np.float32)


def canvas_to_grid(rgba: np.ndarray, size: int = 9, threshold: float = 0.3) -> np.ndarray:
    """A drawing ``(H, W, 4)`` RGBA → ``(size, size)`` float32 of +1 where a cell holds ink
    (mean ink ≥ ``threshold``) and −1 elsewhere, the lecture's pixel convention."""
    import cv2

    ink = _ink(rgba)
    if ink.max() <= 0.1:
        raise ValueError("The canvas is empty: draw an X first.")
    small = cv2.resize(ink, (size, size), interpolation=cv2.INTER_AREA)
    return np.where(small >= threshold * small.max(), 1.0, -1.0).astype(np.float32)


@dataclass(frozen=True)
class XResponse:
    """The three X filters on one ±1 image: ``maps`` ``(3, H-2, W-2)`` in −1…1 (sum of products / 9;
    1 = a perfect match), ``perfect`` matches per filter, and the image's pixel agreement with the
    centred reference X (what a literal pixel-by-pixel comparison sees)."""

    maps: np.ndarray
    peak: np.ndarray
    perfect: np.ndarray
    pixel_agreement: float


def x_responses(image: np.ndarray) -> XResponse:
    """Slide the lecture's three X filters over ``image`` ``(H, W)`` of ±1 (valid positions)."""
    img = np.asarray(image, np.float32)
    if img.ndim != 2 or min(img.shape) < 3:
        raise ValueError(f"The X image must be a 2-D grid of at least 3×3 pixels, got shape {img.shape}.")
    h, w = img.shape
    win = np.lib.stride_tricks.sliding_window_view(img, (3, 3))
    maps = np.einsum("ijkl,fkl->fij", win, X_FILTERS) / 9.0
    ref = draw_x(h) if h == w and h >= 5 else np.ones_like(img)
    return XResponse(
        maps=maps.astype(np.float32),
        peak=maps.reshape(3, -1).max(1),
        perfect=(np.isclose(maps, 1.0)).reshape(3, -1).sum(1),
        pixel_agreement=float((ref == np.sign(img)).mean()),
    )
