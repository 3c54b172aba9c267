"""The app shell in a real browser: every page opens, an upload lands in the tray, a shared link reopens the view."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, assert_no_exception, open_page, screenshot, wait_for_app
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


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
OVERFLOW_JS = """() => {
  const W = document.documentElement.clientWidth, bad = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= W + 1) continue;
    let p = el.parentElement, clipped = false;
    while (p && p !== document.body) {
      const ox = getComputedStyle(p).overflowX;
      if (ox !== 'visible' && p.getBoundingClientRect().right <= W + 1) { clipped = true; break; }
      p = p.parentElement;
    }
    if (!clipped) bad.push((el.getAttribute('data-testid') || el.tagName) + ' ends at x=' + Math.round(r.right));
  }
  return {page: document.scrollingElement.scrollWidth - W, bad: bad.slice(0, 5)};
}"""


def test_every_page_fits_a_phone(server, browser):
    """390×844 touch screen: no page scrolls sideways (wide content scrolls inside its own box), and the image
    tray is one tap away behind the sidebar button."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(120_000)
    problems = {}
    try:
        for info in PAGES:
            open_page(page, server + ("/" if info.script == "home.py" else f"/{info.url_path}"), timeout=180_000)
            page.wait_for_timeout(300)
            out = page.evaluate(OVERFLOW_JS)
            if out["page"] > 1 or out["bad"]:
                problems[info.url_path] = out
            if info.url_path in ("home", "convolution", "detection"):
                screenshot(page, f"phone-{info.url_path}")
        assert not problems, problems
        sidebar = page.locator("[data-testid='stSidebar']")
        assert sidebar.bounding_box()["width"] == 0 or sidebar.bounding_box()["x"] < 0, "collapsed on a phone"
        page.locator("[data-testid='stExpandSidebarButton']").click()
        sidebar.get_by_text("Image tray").first.wait_for()
        page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]')"
                               ".getBoundingClientRect().x >= 0", timeout=10_000)
        assert sidebar.get_by_text("Sample").first.is_visible()
        screenshot(page, "phone-tray")
    finally:
        context.close()
