"""Run every ``bench/bench_*.py`` module, print one table, write JSON under ``bench-results/``.

Usage: ``python -m bench [SUBSTRING ...]`` runs only modules whose name contains a substring (a whole module name,
``class`` or ``bench_class``, runs that module alone). ``bench_class`` (the class bench: students per server core)
takes minutes; its ``DVL_CLASS_*`` settings are in its docstring.
``bench_server`` (every page's warm rerun and one interaction, idle RSS, the Chromium kernel edit) takes a few
minutes; ``python -m bench server`` runs it alone, its ``DVL_SERVER_*`` settings are in its docstring.
"""

from __future__ import annotations

import importlib
import json
import platform
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.core import Row  # noqa: E402


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value * 1000:9.1f} ms" if value < 10 else f"{value:9.2f} s "
    return f"{value:9.1f} {unit}"


def main(argv: list[str]) -> int:
    modules = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    if argv:  # an exact name (``class`` or ``bench_class``) runs that module alone, else every substring match
        exact = [m for m in modules if any(a in (m, m.removeprefix("bench_")) for a in argv)]
        modules = exact or [m for m in modules if any(a in m for a in argv)]
    rows: list[Row] = []
    failures = 0
    for name in modules:
        print(f"… {name}", flush=True)
        try:
            mod = importlib.import_module(f"bench.{name}")
            rows.extend(mod.rows())
        except Exception:
            failures += 1
            traceback.print_exc()
    header = f"{'group':<14} {'what':<52} {'median':>12} {'min':>12} {'max':>12} {'baseline':>12} {'ratio':>6}  target"
    print("\n" + header + "\n" + "-" * len(header))
    for r in rows:
        ratio = f"{r.ratio:6.2f}" if r.ratio is not None else "     -"
        print(
            f"{r.group:<14} {r.name:<52} {_fmt(r.median, r.unit):>12} {_fmt(r.minimum, r.unit):>12} "
            f"{_fmt(r.maximum, r.unit):>12} {_fmt(r.baseline, r.unit):>12} {ratio}  {r.target}"
            + (f"  ({r.note})" if r.note else "")
        )
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    payload = {"time": stamp, "machine": platform.platform(), "python": platform.python_version(),
               "rows": [r.as_dict() for r in rows]}
    (out / f"bench-{stamp}.json").write_text(json.dumps(payload, indent=2))
    (out / "latest.json").write_text(json.dumps(payload, indent=2))
    print(f"\nwritten: bench-results/bench-{stamp}.json")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
