"""Gatys et al.'s style transfer as an optimisation you can watch: G's pixels descend J(G) step by step.

``gatys`` validates everything at the call, then returns a generator of ``GatysStep(step, image,
losses)``; a background job iterates it. G is optimised in RGB ``[0, 1]`` space and clamped after
every step; the feature network's preprocessing is a differentiable transform of it (see
``losses``). Images are ``(H, W, 3)`` uint8 RGB.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import torch
from torch import nn

from vision_core.checks import check_image, check_int
from vision_core.errors import BadInput
from vision_core.models.device import limited_threads, net_device
from vision_core.style.losses import (
    DEFAULT_CONTENT_LAYER,
    activations,
    check_network,
    content_loss,
    gram_matrix,
    output_index,
    style_loss,
    style_weights,
    to_network_input,
)
from vision_core.style.pixels import fit_side, resize_to, to_image, to_tensor

__all__ = ["DEFAULT_ALPHA", "DEFAULT_BETA", "GatysLosses", "GatysStep", "INITS", "OPTIMIZERS", "gatys"]

DEFAULT_ALPHA = 1.0
DEFAULT_BETA = 1e-5
DEFAULT_LR = {"adam": 0.02, "lbfgs": 1.0}
INITS = ("noise", "content", "style")
OPTIMIZERS = ("adam", "lbfgs")
MAX_STEPS = 5000
MIN_SIZE, MAX_SIZE = 32, 1024


@dataclass(frozen=True)
class GatysLosses:
    """Loss terms of one evaluation: ``total = alpha·content + beta·style``; ``per_layer`` λ-free ``J_style[l]``."""

    content: float
    style: float
    total: float
    per_layer: tuple[tuple[str, float], ...] = ()


class GatysStep(NamedTuple):
    """One yield of ``gatys``: ``step`` updates applied so far, ``image`` ``(H, W, 3)`` uint8 RGB or ``None``."""

    step: int
    image: np.ndarray | None
    losses: GatysLosses


def gatys(
    content: np.ndarray,
    style: np.ndarray,
    *,
    net: nn.Module,
    steps: int = 100,
    size: int = 256,
    alpha: float = DEFAULT_ALPHA,
    beta: float = DEFAULT_BETA,
    content_layer: str = DEFAULT_CONTENT_LAYER,
    style_layers: Mapping[str, float] | Sequence[str] | None = None,
    init: str = "noise",
    optimizer: str = "adam",
    lr: float | None = None,
    seed: int = 0,
    every: int = 1,
    network: str = "vgg16",
    threads: int | None = None,
) -> Iterator[GatysStep]:
    """Gatys et al.'s style transfer as a generator of ``GatysStep(step, image, losses)``.

    ``content``/``style`` are ``(H, W, 3)`` uint8 RGB. G has the content's aspect
    ratio with long side ``size``; the style image is scaled to the same long side
    (Gram matrices are normalised by the number of positions, so sizes may differ).
    Yields ``steps + 1`` items: step 0 is the initial G, step ``k`` is G after ``k``
    optimiser updates, with the losses evaluated on that G. ``image`` is filled on
    step 0, every ``every`` steps and on the last step (``None`` otherwise, to keep
    histories small). ``init``: ``noise`` (uniform in ``[0, 1]``, seeded),
    ``content`` or ``style``. ``optimizer``: ``adam`` (``lr`` default 0.02, in
    ``[0, 1]`` pixel units) or ``lbfgs`` (one L-BFGS iteration with a strong-Wolfe line search per step, ``lr`` 1;
    the losses reported are those at the start of the step).
    ``net`` is the frozen shared feature network of ``network`` (``get_model(NETWORKS[network])``); it is
    only read, on its own device. Raises ``BadInput`` for bad settings at the call, before any computation
    (the returned generator does the work lazily). ``threads``: torch CPU threads for the
    thread that iterates the generator while it runs (``limited_threads``: a background job with
    ``threads=1`` leaves the rest of the process alone; on a busy 2-core machine one thread per job
    avoids OpenMP's spin-waiting and is many times faster).
    """
    content = check_image(content, "The content image")
    style = check_image(style, "The style image")
    check_network(network)
    if not 1 <= int(steps) <= MAX_STEPS:
        raise BadInput(f"Iterations must be between 1 and {MAX_STEPS}, got {steps}.")
    if not MIN_SIZE <= int(size) <= MAX_SIZE:
        raise BadInput(f"The output size must be between {MIN_SIZE} and {MAX_SIZE} pixels, got {size}.")
    if not (np.isfinite(alpha) and np.isfinite(beta)) or alpha < 0 or beta < 0 or alpha + beta <= 0:
        raise BadInput("α and β must be zero or positive, and not both zero.")
    if init not in INITS:
        raise BadInput(f"Initialisation must be one of {', '.join(INITS)}, got {init!r}.")
    if optimizer not in OPTIMIZERS:
        raise BadInput(f"Optimiser must be one of {', '.join(OPTIMIZERS)}, got {optimizer!r}.")
    rate = DEFAULT_LR[optimizer] if lr is None else float(lr)
    if not np.isfinite(rate) or rate <= 0:
        raise BadInput(f"The learning rate must be positive, got {lr}.")
    check_int(every, 1, None, "'every'")
    if threads is not None:
        check_int(threads, 1, None, "threads")
    layers = style_weights(style_layers)
    c_idx = output_index(network, content_layer)
    s_idx = {name: output_index(network, name) for name in layers}
    run = _gatys_run(content, style, int(steps), int(size), float(alpha), float(beta), c_idx, s_idx, layers,
                     init, optimizer, rate, int(seed), int(every), network, net, net_device(net))
    return run if threads is None else _threaded(run, int(threads))


def _threaded(run: Iterator[GatysStep], threads: int) -> Iterator[GatysStep]:
    """Iterate ``run`` under ``limited_threads(threads)`` in the iterating thread; restored when it ends."""
    with limited_threads(threads):
        yield from run


def _gatys_run(
    content: np.ndarray,
    style: np.ndarray,
    steps: int,
    size: int,
    alpha: float,
    beta: float,
    c_idx: int,
    s_idx: dict[str, int],
    layers: dict[str, float],
    init: str,
    optimizer: str,
    rate: float,
    seed: int,
    every: int,
    network: str,
    net: nn.Module,
    dev: torch.device,
) -> Iterator[GatysStep]:
    """The optimisation loop behind ``gatys`` (arguments already validated)."""
    c_img = fit_side(content, size)
    h, w = c_img.shape[:2]
    s_img = fit_side(style, size)
    c_t, s_t = to_tensor(c_img, dev), to_tensor(s_img, dev)
    indices = sorted({c_idx, *s_idx.values()})
    with torch.no_grad():
        target_content = activations(net, to_network_input(c_t, network), [c_idx])[c_idx]
        s_acts = activations(net, to_network_input(s_t, network), list(s_idx.values()))
        target_grams = {name: gram_matrix(s_acts[i]) for name, i in s_idx.items()}

    gen = torch.Generator().manual_seed(int(seed))
    if init == "noise":
        start = torch.rand((1, 3, h, w), generator=gen).to(dev)
    elif init == "content":
        start = c_t.clone()
    else:
        start = to_tensor(resize_to(s_img, (w, h)), dev)
    x = start.clone().requires_grad_(True)
    opt: torch.optim.Optimizer
    if optimizer == "adam":
        opt = torch.optim.Adam([x], lr=rate)
    else:
        opt = torch.optim.LBFGS([x], lr=rate, max_iter=1, history_size=20, line_search_fn="strong_wolfe")

    record: dict[str, Any] = {}

    def evaluate(backward: bool) -> torch.Tensor:
        acts = activations(net, to_network_input(x, network), indices)
        j_content = content_loss(target_content, acts[c_idx])
        per_layer = {name: style_loss(target_grams[name], gram_matrix(acts[i])) for name, i in s_idx.items()}
        j_style = sum(layers[n] * v for n, v in per_layer.items())
        total = alpha * j_content + beta * j_style
        if "losses" not in record:
            detached = {n: v.detach() for n, v in per_layer.items()}
            record["losses"] = (j_content.detach(), j_style.detach(), total.detach(), detached)
        if backward:
            opt.zero_grad(set_to_none=True)
            total.backward()
        return total

    def losses() -> GatysLosses:
        j_content, j_style, total, per_layer = record["losses"]
        return GatysLosses(
            float(j_content), float(j_style), float(total), tuple((n, float(v)) for n, v in per_layer.items())
        )

    for k in range(steps):
        snapshot = to_image(x) if k % every == 0 else None
        record.clear()
        opt.step(lambda: evaluate(True))
        item = GatysStep(k, snapshot, losses())
        with torch.no_grad():
            x.clamp_(0.0, 1.0)
        yield item
    record.clear()
    with torch.no_grad():
        evaluate(False)
    yield GatysStep(steps, to_image(x), losses())
