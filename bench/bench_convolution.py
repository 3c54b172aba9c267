"""Convolution rows: vision_core.conv2d against bare cv2.filter2D on a 1024×1024 RGB photo (3×3 … 7×7),
the server's warm rerun of the convolution pages (AppTest, no widget changed), and the browser round trip
from a kernel edit to the updated output image (Playwright)."""

from __future__ import annotations

import statistics
import time

import cv2
import numpy as np
from PIL import Image

from bench.core import Row, measure, timed_row, value_row
from vision_core.ops.conv import conv2d
from vision_core.io.samples import load_sample

_FIND = ("const f = [...document.querySelectorAll('[data-testid=stImageCaption]')]"
         ".find(e => e.innerText.startsWith('OUTPUT')); const i = f && f.parentElement.querySelector('img');")
IMG_JS = "() => { " + _FIND + " return i ? i.src : ''; }"
CHANGED_JS = "(old) => { " + _FIND + " return !!i && i.src !== old && i.complete; }"


def _photo() -> np.ndarray:
    return np.asarray(Image.fromarray(load_sample("astronaut")).resize((1024, 1024)))


def _interleaved(group: str, name: str, ours, baseline, repeat: int = 21, target: str = "", note: str = "") -> Row:
    """Like ``timed_row`` but alternating ours/baseline runs, so load changes on a shared machine hit both alike."""
    ours(), baseline()
    mine, base = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        ours()
        mine.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        baseline()
        base.append(time.perf_counter() - t0)
    return Row(group, name, statistics.median(mine), min(mine), max(mine), statistics.median(base), target, "s", note)


def _conv_rows() -> list[Row]:
    photo = _photo()
    rows = []
    for size in (3, 5, 7):
        k = np.random.default_rng(size).normal(size=(size, size))
        k32 = k.astype(np.float32)
        rows.append(_interleaved(
            "convolution", f"conv2d {size}×{size} 'same' zeros, 1024² RGB uint8",
            lambda k=k: conv2d(photo, k, padding="same"),
            lambda k32=k32: cv2.filter2D(photo, cv2.CV_32F, k32, borderType=cv2.BORDER_CONSTANT),
            target="≤ 1.5× cv2.filter2D", note="baseline: cv2.filter2D, same output; runs interleaved"))
    k = np.random.default_rng(0).normal(size=(5, 5))
    rows.append(timed_row(
        "convolution", "conv2d 5×5 stride 2 pad 2 dilation 2, 1024² RGB",
        lambda: conv2d(photo, k, stride=2, padding=2, dilation=2),
        lambda: cv2.filter2D(photo, cv2.CV_32F, k.astype(np.float32)), repeat=9,
        note="baseline: cv2.filter2D at stride 1 (no stride/dilation)"))
    return rows


WARM_PAGES = (
    ("convolution.py", None),
    ("convolution.py", {"conv_work_src": "your photo"}),
    ("output_size.py", None),
    ("upsampling.py", None),
    ("digital_images.py", None),
)


def _warm_rows(repeat: int = 15) -> list[Row]:
    """Server time of a rerun that changed nothing (the entry script, the tray and the page), per page."""
    from tests.app.util import run_page

    out = []
    for script, query in WARM_PAGES:
        at = run_page(script, query=query)
        if at.exception:
            raise RuntimeError(f"{script}: {at.exception[0].value}")
        med, lo, hi = measure(at.run, repeat=repeat, warmup=2)
        mode = f" ({', '.join(f'{k}={v}' for k, v in query.items())})" if query else ""
        out.append(Row("convolution", f"warm rerun: {script}{mode}", med, lo, hi, None, "median ≤ 100 ms", "s",
                       f"AppTest, no widget changed, {repeat} reruns; includes the entry script and the tray"))
    return out


def _edit_cell(page, row: int, col: int, text: str) -> None:
    """Open the editor on cell (row, col) of the kernel grid and type ``text`` (Enter is pressed by the caller)."""
    editor = page.locator("[data-testid='stDataFrame']").first
    box = editor.bounding_box()
    page.mouse.dblclick(box["x"] + box["width"] / 3 * (col + 0.5), box["y"] + 35 * (row + 1) + 17)
    overlay = page.locator("textarea.gdg-input, input.gdg-input").first
    overlay.wait_for(timeout=15_000)
    overlay.fill(text)


def _browser_rows() -> list[Row]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, running_server, wait_for_app

    times: list[float] = []
    with running_server() as (url, _):
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url + "/convolution?sample=astronaut")
            wait_for_app(page)
            page.locator("[data-testid='stDataFrame']").first.wait_for()
            page.wait_for_timeout(1500)
            value, misses = 4, 0
            while len(times) < 10 and misses < 5:
                before = page.evaluate(IMG_JS)
                _edit_cell(page, 1, 1, str(value))
                t0 = time.perf_counter()
                page.keyboard.press("Enter")
                try:
                    page.wait_for_function(CHANGED_JS, arg=before, timeout=15_000, polling="raf")
                except Exception:
                    misses += 1
                    page.keyboard.press("Escape")
                    wait_for_app(page)
                    continue
                times.append(time.perf_counter() - t0)
                value += 1
                wait_for_app(page)
                page.wait_for_timeout(300)
            browser.close()
    if len(times) < 3:
        raise RuntimeError(f"only {len(times)} edits registered")
    med = statistics.median(times[1:])
    return [Row("convolution", "browser: kernel cell edit → new output image (512²)", med, min(times[1:]), max(times[1:]),
                None, "median < 300 ms", "s", f"Playwright, Chromium headless, {len(times) - 1} edits, first not counted")]


def rows() -> list[Row]:
    out = _conv_rows() + _warm_rows()
    try:
        out.extend(_browser_rows())
    except Exception as exc:
        out.append(value_row("convolution", "browser: kernel cell edit → new output image", float("nan"), "s",
                             note=f"not measured: {type(exc).__name__}: {exc}"[:200]))
    return out
