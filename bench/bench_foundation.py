"""Foundation rows: image loading against bare PIL, server cold start, idle RSS."""

from __future__ import annotations

import io
import time
import urllib.request

import numpy as np
import psutil
from PIL import Image

from bench.core import Row, timed_row, value_row
from vision_core.io.images import load_image
from vision_core.io.samples import load_sample


def _jpeg(side: int) -> bytes:
    img = Image.fromarray(load_sample("astronaut")).resize((side, side))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def _server_rows() -> list[Row]:
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, start_server, wait_for_app, wait_healthy

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    proc = start_server(port)
    rows: list[Row] = []
    try:
        wait_healthy(url, timeout=120)
        t_health = time.perf_counter() - t0
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url)
            wait_for_app(page)
            page.get_by_role("heading", name="Deep Vision Lab").wait_for()
            t_home = time.perf_counter() - t0
            time.sleep(2)
            rss = psutil.Process(proc.pid).memory_info().rss / 2**20
            browser.close()
        rows.append(value_row("app", "cold start: process to /_stcore/health", t_health, "s"))
        rows.append(value_row("app", "cold start: process to home page rendered (Chromium)", t_home, "s"))
        rows.append(value_row("app", "RSS of the idle app after one home-page visit", rss, "MiB"))
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    return rows


def rows() -> list[Row]:
    data = _jpeg(1024)

    def bare() -> np.ndarray:
        return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))

    out = [
        timed_row("images", "load_image: 1024×1024 JPEG → (H, W, 3) uint8", lambda: load_image(data), bare,
                  repeat=15, note="baseline: bare PIL decode"),
    ]
    out.extend(_server_rows())
    return out
