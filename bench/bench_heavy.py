"""Does one session's heavy work freeze the others? Page-switch latency of a second session, idle and while
another session trains the MNIST GAN or runs Gatys style transfer (256 px), on one real server.

``DVL_HEAVY_ROUNDS`` page switches per condition (16 by default). Target: each busy median < 2× the idle one.
"""

from __future__ import annotations

import asyncio
import os
import statistics

from bench.core import Row

ROUNDS = int(os.environ.get("DVL_HEAVY_ROUNDS", "16"))


async def _start_gatys(browser, url: str):
    """Open the style page in its own session and start a 256 px, 500-iteration Gatys run."""
    from tests.browser.test_load import start_job

    return await start_job(browser, url, "/style_transfer?nst_size=256&nst_steps=500&nst_every=10", "▶ Start",
                           started="G at iteration 10 ")


async def _measure(url: str) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.browser.test_load import probe, start_gan_training

    out: dict[str, list[float]] = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            await probe(browser, url, 2)
            out["idle"] = await probe(browser, url, ROUNDS)
            for name, start, busy_label in (("GAN training", start_gan_training, "Stop"),
                                            ("Gatys 256 px", _start_gatys, "■ Stop")):
                ctx, page = await start(browser, url)
                try:
                    out[name] = await probe(browser, url, ROUNDS)
                    if not await page.get_by_role("button", name=busy_label).first.is_enabled():
                        raise RuntimeError(f"the {name} was no longer running when the probe ended")
                finally:
                    await ctx.close()
            out["idle again"] = await probe(browser, url, ROUNDS)
        finally:
            await browser.close()
    return out


def rows() -> list[Row]:
    from tests.browser.conftest import running_server

    with running_server() as (url, _):
        times = asyncio.run(_measure(url))
    pooled = times["idle"] + times["idle again"]
    idle = statistics.median(pooled)
    out = [Row("heavy", "page switch, idle (before and after)", idle, min(pooled), max(pooled),
               note=f"{ROUNDS} switches Classify ↔ Digital images per condition")]
    for name in ("GAN training", "Gatys 256 px"):
        t = times[name]
        out.append(Row("heavy", f"page switch while another session runs {name}", statistics.median(t), min(t),
                       max(t), baseline=idle, target="< 2× idle"))
    return out
