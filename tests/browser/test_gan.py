"""GAN pages in a real browser: faces drawn from a seed, kept faces reopened from a shared link, a live run."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_sampler_shared_link_reopens_kept_faces(server, page):
    page.goto(server + "/gan_faces?gan_seed=5&gan_n=8&gan_keep=5:1,5:2")
    wait_for_app(page)
    page.get_by_text("Kept faces", exact=True).wait_for()
    page.get_by_text("5:2", exact=True).first.wait_for()
    page.get_by_text("#7", exact=True).first.wait_for()
    assert page.locator("img").count() >= 9
    screenshot(page, "gan-faces-top")
    page.get_by_role("tab", name="Latent walk").click()
    page.get_by_text("Download the walk as an animated GIF").wait_for()
    assert_no_exception(page)
    screenshot(page, "gan-faces")


def test_toy_gan_trains_live(server, page):
    page.goto(server + "/gan_train?gan_mode=2-D+toy")
    wait_for_app(page)
    page.get_by_role("button", name="Start").click()
    page.get_by_text("running · step").wait_for(timeout=60_000)
    page.wait_for_timeout(2500)
    page.get_by_role("button", name="Stop").click()
    page.get_by_text("stopped · step").wait_for(timeout=60_000)
    assert_no_exception(page)
    screenshot(page, "gan-train")
