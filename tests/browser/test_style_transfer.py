"""Style transfer in a real browser: a Gatys run updates live and finishes; a fast style pick repaints the photo."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _tall_screenshot(page, name: str) -> None:
    """Streamlit scrolls inside its main block, so grow the viewport to capture the whole page."""
    page.set_viewport_size({"width": 1280, "height": 2400})
    page.wait_for_timeout(500)
    screenshot(page, name)


def _image_src(page, caption: str) -> str:
    img = page.locator("[data-testid='stImage']").filter(has_text=caption).locator("img").first
    img.wait_for(timeout=120_000)
    return img.get_attribute("src") or ""


def test_gatys_runs_live_and_finishes(server, page):
    open_page(page, server + "/style_transfer?nst_size=64&nst_steps=10&nst_every=5&nst_init=content")
    page.get_by_text("Press Start to watch G change").wait_for()
    page.get_by_role("button", name="▶ Start").click()
    page.get_by_text("Status: done").wait_for(timeout=300_000)
    wait_for_app(page)
    page.get_by_text("iteration 10 of 10").first.wait_for()
    page.get_by_role("button", name="⬇ Download G (PNG)").wait_for()
    page.get_by_text("What the loss compares").wait_for()
    page.locator("[data-testid='stPlotlyChart']").nth(1).wait_for(timeout=60_000)
    assert "nst_size=64" in page.url
    assert_no_exception(page)
    _tall_screenshot(page, "style-gatys-done")


def test_fast_style_pick_repaints(server, page):
    open_page(page, server + "/style_transfer?nst_tab=Fast")
    page.get_by_text("style 25", exact=True).wait_for()
    before = _image_src(page, "1.00·style 3")
    page.locator(".st-key-nst_fs1 input").click()
    page.keyboard.type("7")
    page.get_by_role("option", name="7", exact=True).wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url("**nst_fs1=7**", timeout=60_000)
    wait_for_app(page, timeout=180_000)
    after = _image_src(page, "1.00·style 7")
    assert after and after != before
    page.get_by_text("ms", exact=False).first.wait_for()
    assert_no_exception(page)
    _tall_screenshot(page, "style-fast")


def test_arbitrary_with_an_uploaded_style(server, page, tmp_path):
    from PIL import Image

    stripes = tmp_path / "my-stripes.png"
    img = Image.new("RGB", (96, 96), (250, 200, 0))
    for x in range(0, 96, 16):
        img.paste((20, 40, 200), (x, 0, x + 8, 96))
    img.save(stripes)
    open_page(page, server + "/style_transfer?nst_tab=Arbitrary&nst_style=Upload+your+own")
    page.locator(".st-key-nst_style_upload input[type='file']").set_input_files(str(stripes))
    wait_for_app(page)
    page.get_by_text("S: my-stripes.png").wait_for()
    _image_src(page, "G, strength 1.00")
    assert "my-stripes" not in page.url
    assert_no_exception(page)
    _tall_screenshot(page, "style-arbitrary-upload")
