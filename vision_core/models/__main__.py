"""``python -m vision_core.models fetch-recommended`` / ``status``: the recommended hub weights on this machine.

``fetch-recommended`` downloads ``recommended.RECOMMENDED`` into torch.hub's cache, one line per model (on a
terminal the line counts the MB as they arrive). When the hub cannot be reached it prints one line,
"offline: the embedded models are used; N recommended downloads skipped", and exits 0: ``make run`` and the
Docker build go on. It exits 1 only when the hub answered and a download failed (an HTTP error, a corrupt
file). ``status`` lists each recommended model (present or missing, size, published accuracy) and the model
each page selects by default on this machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import TextIO

from vision_core.models import get_spec, missing_requirements
from vision_core.models.recommended import (
    RECOMMENDED,
    STRONGEST,
    FetchReport,
    fetch_recommended,
    published_metrics,
    strongest_available,
)
from vision_core.models.weights import Opener
from vision_core.types import ProgressFn

__all__ = ["main"]


class _Lines:
    """One line per model: rewritten in place on a terminal (at most 10 times a second), else printed once at
    the end, so build logs get one line per model."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = bool(getattr(out, "isatty", lambda: False)())
        self.open = False
        self._last = 0.0

    def progress(self, name: str) -> ProgressFn | None:
        if not self.tty:
            return None

        def show(fraction: float, message: str) -> None:
            now = time.monotonic()
            if fraction < 1.0 and now - self._last < 0.1:
                return
            self._last = now
            self.out.write(f"\r{name}: [{fraction:4.0%}] {message}\033[K")
            self.out.flush()
            self.open = True

        return show

    def line(self, text: str) -> None:
        self.out.write(("\r" if self.open else "") + text + ("\033[K" if self.open else "") + "\n")
        self.out.flush()
        self.open = False

    def clear(self) -> None:
        if self.open:
            self.out.write("\r\033[K")
            self.open = False


def _size(mb: float | None) -> str:
    return f"{mb:.0f} MB" if mb else "size unknown"


def _fetch(out: TextIO, opener: Opener | None) -> int:
    lines = _Lines(out)
    started = time.perf_counter()
    kwargs = {"opener": opener} if opener is not None else {}
    report: FetchReport = fetch_recommended(progress=lines.progress, **kwargs)
    if report.offline:
        lines.clear()
        downloaded = [r.name for r in report.rows if r.state == "downloaded"]
        extra = f" ({', '.join(downloaded)} downloaded before the hub went away)" if downloaded else ""
        lines.line(f"offline: the embedded models are used; {report.skipped} recommended downloads skipped{extra}")
        return 0
    for r in report.rows:
        if r.state == "downloaded":
            lines.line(f"{r.name}: downloaded {_size(r.size_mb)} in {r.seconds:.1f} s · {r.title}")
        elif r.state == "failed":
            lines.line(f"{r.name}: FAILED · {r.detail}")
    present = sum(r.state == "present" for r in report.rows)
    if present == len(report.rows):
        lines.line(f"recommended models: all {present} present ({', '.join(r.name for r in report.rows)})")
    elif not report.failed:
        lines.line(f"recommended models: {len(report.rows)} present after {time.perf_counter() - started:.0f} s")
    return 1 if report.failed else 0


def _status(out: TextIO) -> int:
    for name in RECOMMENDED:
        spec = get_spec(name)
        state = "present" if spec.weights is not None and spec.weights.is_cached() else "missing"
        scores = ", ".join(f"{k} {v:g}" for k, v in published_metrics(name).items())
        out.write(f"{name:15} {state:8} {_size(spec.weights.size_mb if spec.weights else None):>8}  {spec.title}"
                  + (f" · {scores}" if scores else "") + "\n")
    picks = {task: strongest_available(task) for task in STRONGEST}
    defaults = " · ".join(f"{task.value} {name}" + (" (missing)" if missing_requirements(get_spec(name)) else "")
                          for task, name in picks.items())
    out.write(f"pages default to: {defaults}\n")
    return 0


def main(argv: Sequence[str] | None = None, *, opener: Opener | None = None, out: TextIO | None = None) -> int:
    """The command line; ``opener`` replaces ``urllib.request.urlopen`` (tests serve stubbed downloads)."""
    parser = argparse.ArgumentParser(prog="python -m vision_core.models", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch-recommended", help=f"download the recommended hub weights ({', '.join(RECOMMENDED)})")
    sub.add_parser("status", help="which recommended weights are here, and each page's default model")
    args = parser.parse_args(argv)
    stream = out if out is not None else sys.stdout
    if args.command == "status":
        return _status(stream)
    return _fetch(stream, opener)


if __name__ == "__main__":
    sys.exit(main())
