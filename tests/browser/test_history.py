"""History in a real browser: an event from a shared link, a click on the timeline opens another, its page link works."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_timeline_click_and_page_link(server, page):
    open_page(page, server + "/history?history_event=resnet")
    page.get_by_text("2015 · ResNet: learning the residual").wait_for()
    page.get_by_text("Large Scale Visual Recognition Challenge (ILSVRC) - ImageNet").wait_for()
    page.locator(".js-plotly-plot").nth(1).wait_for()  # the timeline and the ILSVRC chart (plotly loads lazily)
    page.locator(".js-plotly-plot").first.locator("path.point").first.wait_for()
    screenshot(page, "history")

    # the first point of the first row (Images) is the first photograph, 1826
    marker = page.locator(".js-plotly-plot").first.locator("g.trace.scatter").first.locator("path.point").first
    box = marker.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_text("About eight hours of exposure").first.wait_for()  # the hover shows the words
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_for_app(page)
    page.get_by_text("1826 · The first photograph").wait_for()
    assert "history_event=niepce" in page.url
    assert_no_exception(page)
    screenshot(page, "history-niepce")

    page.get_by_role("link", name="Try it: Digital images").click()
    wait_for_app(page)
    assert "/digital_images" in page.url
    assert_no_exception(page)
