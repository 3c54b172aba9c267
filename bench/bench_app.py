"""Whole-app rows: RSS with every embedded model loaded, browser-measured latency of one convolution slider
change and of one detection, and the classroom load run (``DVL_BENCH_SESSIONS`` sessions, 32 by default)."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from bench.core import Row, value_row

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = int(os.environ.get("DVL_BENCH_SESSIONS", "32"))

_LOAD_ALL = """
import psutil, sys
from vision_core.models import get_model, list_models, missing_requirements
base = psutil.Process().memory_info().rss
names = [m.name for m in list_models() if m.embedded and not missing_requirements(m)]
for n in names:
    get_model(n)
print(len(names), base / 2**20, psutil.Process().memory_info().rss / 2**20)
"""


def _models_rss() -> list[Row]:
    out = subprocess.run([sys.executable, "-c", _LOAD_ALL], cwd=ROOT, capture_output=True, text=True, timeout=600)
    count, base, loaded = out.stdout.split()[-3:]
    return [
        value_row("app", "RSS: python + vision_core imported", float(base), "MiB"),
        value_row("app", f"RSS with every embedded model loaded ({count})", float(loaded), "MiB"),
    ]


def _browser_rows(url: str) -> list[Row]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, wait_for_app

    slider, detect = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(120_000)
        page.goto(url + "/convolution")
        wait_for_app(page)
        box = page.locator("input[aria-label='Stride']").first
        for k in range(6):
            t0 = time.perf_counter()
            box.fill(str(2 if k % 2 == 0 else 1))
            box.press("Enter")
            wait_for_app(page)
            slider.append(time.perf_counter() - t0)
        for k in range(6):
            score = 0.25 + 0.05 * (k + 1)
            t0 = time.perf_counter()
            page.goto(f"{url}/detection?det_score={score:.2f}")
            wait_for_app(page)
            page.get_by_text("Preprocessing:").first.wait_for()
            detect.append(time.perf_counter() - t0)
        browser.close()
    return [
        Row("app", "browser: one convolution stride change", statistics.median(slider), min(slider), max(slider),
            note="fill + Enter until the script run ends; includes the 400 ms settle check"),
        Row("app", "browser: one detection (new score threshold)", statistics.median(detect), min(detect),
            max(detect), note="page load with a new det_score, YOLOv3-tiny on the tray photo"),
    ]


def _load_rows(url: str, proc: psutil.Process) -> list[Row]:
    from tests.browser.test_load import load_run

    with tempfile.TemporaryDirectory() as tmp:
        out = asyncio.run(load_run(url, proc, SESSIONS, Path(tmp)))
    errors = sum(len(r.problems) for r in out["results"])
    n = out["sessions"]
    return [
        value_row("load", f"{n} sessions: step latency p50", out["p50"], "s", note=f"{errors} problems"),
        value_row("load", f"{n} sessions: step latency p95", out["p95"], "s"),
        value_row("load", f"{n} sessions: wall time", out["wall"], "s"),
        value_row("load", f"{n} sessions: RSS before → after", out["rss_after"], "MiB",
                  note=f"before {out['rss_before']:.0f} MiB"),
        value_row("load", "per-session RSS", out["per_session_mb"], "MiB"),
        value_row("load", "page switch, idle (before the sessions)", out["idle"], "s"),
        value_row("load", "page switch, idle (after the sessions)", out["idle_after"], "s"),
        Row("load", "page switch during a GAN training", out["busy"], out["busy"], out["busy"],
            baseline=out["idle_after"], target="< 2× idle", note="4 switches; bench_heavy has 16 per condition"),
    ]


def _creep_row(url: str, proc: psutil.Process, steps: int = 200) -> Row:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, wait_for_app
    from tests.browser.test_load import photo

    links = ["Digital images", "Classify a photo", "Object detection", "Convolution playground"]
    samples = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.set_default_timeout(120_000)
        page.goto(url + "/?src=Upload")
        wait_for_app(page)
        for step in range(steps):
            if step % 2 == 0:
                path, w, h = photo(step % 16, Path(tmp))
                page.locator("[data-testid='stSidebar'] input[type='file']").set_input_files(str(path))
                page.locator("[data-testid='stSidebar']").get_by_text(f"{path.name} · {w}×{h}").wait_for()
            page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=links[step % 4]).first.click()
            wait_for_app(page)
            samples.append(proc.memory_info().rss / 2**20)
        browser.close()
    settled = statistics.median(samples[steps // 4: steps // 2])
    return value_row("load", f"RSS after {steps} switches+uploads / settled", samples[-1] / settled, "×",
                     target="≤ 1.10", note=f"settled {settled:.0f} MiB, last {samples[-1]:.0f} MiB")


def rows() -> list[Row]:
    from tests.browser.conftest import running_server

    out = _models_rss()
    with running_server() as (url, server):
        proc = psutil.Process(server.pid)
        out.extend(_browser_rows(url))
        out.extend(_load_rows(url, proc))
        out.append(_creep_row(url, proc, int(os.environ.get("DVL_CREEP_STEPS", "200"))))
    return out
