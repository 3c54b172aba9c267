"""Devices and threads: where a model runs, and how many CPU threads a piece of work may use."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import torch

__all__ = ["best_device", "limited_threads", "net_device"]


def best_device() -> torch.device:
    """CUDA if available, then MPS, then CPU. ``DVL_DEVICE`` (e.g. ``cpu``, ``cuda:1``) overrides."""
    env = os.environ.get("DVL_DEVICE", "").strip()
    if env:
        return torch.device(env)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def net_device(net: Any) -> torch.device:
    """The device of ``net``'s first parameter (CPU for a module without parameters or a non-torch runtime)."""
    try:
        return next(net.parameters()).device
    except (AttributeError, StopIteration, TypeError):
        return torch.device("cpu")


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
