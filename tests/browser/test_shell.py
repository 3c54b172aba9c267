"""The app shell in a real browser: every page opens, an upload lands in the tray, a shared link reopens the view."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, assert_no_exception, screenshot, wait_for_app
from ui.catalog import PAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("info", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_opens_without_exception(server, page, info):
    url = server + ("/" if info.script == "home.py" else f"/{info.url_path}")
    page.goto(url)
    wait_for_app(page)
    assert page.locator("h1").first.is_visible()
    assert_no_exception(page)
    screenshot(page, f"page-{info.url_path}")


def test_upload_appears_in_tray_on_another_page(server, page, tmp_path):
    from PIL import Image

    photo = tmp_path / "my-red-square.png"
    Image.new("RGB", (120, 80), (220, 20, 20)).save(photo)
    page.goto(server + "/?src=Upload")
    wait_for_app(page)
    page.locator("[data-testid='stSidebar'] input[type='file']").set_input_files(str(photo))
    wait_for_app(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("my-red-square.png · 120×80").wait_for()
    page.get_by_role("link", name="Digital images").first.click()
    wait_for_app(page)
    assert "/digital_images" in page.url
    sidebar.get_by_text("my-red-square.png · 120×80").wait_for()
    assert "my-red-square" not in page.url, "uploads never go into URLs"
    assert_no_exception(page)
    screenshot(page, "tray-upload")


def test_bad_upload_shows_message_not_traceback(server, page, tmp_path):
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"this is not an image at all")
    page.goto(server + "/?src=Upload")
    wait_for_app(page)
    page.locator("[data-testid='stSidebar'] input[type='file']").set_input_files(str(bad))
    wait_for_app(page)
    page.get_by_text("not an image we can read").wait_for()
    assert_no_exception(page)


def test_shared_link_reopens_same_sample(server, browser):
    ctx = browser.new_context()
    p = ctx.new_page()
    p.goto(server + "/digital_images?sample=coffee")
    wait_for_app(p)
    p.locator("[data-testid='stSidebar']").get_by_text("Coffee cup · 600×400").wait_for()
    shared = p.url
    assert "sample=coffee" in shared
    ctx.close()
    ctx2 = browser.new_context()
    p2 = ctx2.new_page()
    p2.goto(shared)
    wait_for_app(p2)
    p2.locator("[data-testid='stSidebar']").get_by_text("Coffee cup · 600×400").wait_for()
    assert "/digital_images" in p2.url
    p2.screenshot(path=str(ARTIFACTS / "shared-link.png"))
    ctx2.close()
