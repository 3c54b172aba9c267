"""Timing helpers and the row type every benchmark module returns."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass


@dataclass
class Row:
    """One line of the benchmark table. Times are seconds; ``baseline`` is the bare library call."""

    group: str
    name: str
    median: float
    minimum: float
    maximum: float
    baseline: float | None = None
    target: str = ""
    unit: str = "s"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.median / self.baseline if self.baseline else None

    def as_dict(self) -> dict:
        d = asdict(self)
        d["ratio"] = self.ratio
        return d


def measure(fn: Callable[[], object], repeat: int = 7, warmup: int = 1,
            clock: Callable[[], float] = time.perf_counter) -> tuple[float, float, float]:
    """(median, min, max) time of ``fn()`` over ``repeat`` runs after ``warmup`` runs, read on ``clock``
    (wall time by default; ``time.process_time`` for this process's CPU time)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return statistics.median(times), min(times), max(times)


def timed_row(
    group: str,
    name: str,
    ours: Callable[[], object],
    baseline: Callable[[], object] | None = None,
    *,
    repeat: int = 7,
    warmup: int = 1,
    target: str = "",
    note: str = "",
) -> Row:
    """Time ``ours`` and, when given, ``baseline`` the same way; return one row."""
    med, lo, hi = measure(ours, repeat, warmup)
    base = measure(baseline, repeat, warmup)[0] if baseline is not None else None
    return Row(group, name, med, lo, hi, base, target, "s", note)


def value_row(group: str, name: str, value: float, unit: str, target: str = "", note: str = "") -> Row:
    """A measured quantity that is not a repeated timing (RSS, start-up)."""
    return Row(group, name, value, value, value, None, target, unit, note)
