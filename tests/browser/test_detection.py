"""The object-detection page in a real browser: boxes on the composite, a slider that changes them, the views open."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_exception, metric, metric_value, open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser


MARKERS = {
    "Two detectors": "Agreement",
    "NMS step by step": "Same result as torchvision.ops.nms",
    "Windows vs proposals": "Sliding windows on this",
    "R-CNN family": "Times are on the GPUs of their papers",
    "IoU": "Intersection over Union",
    "YOLO grid": "Output tensor",
}


def _view(page, name: str) -> None:
    """Switch the page's view and wait until that view's own text and every image are there."""
    page.locator("[data-testid='stButtonGroup']").get_by_text(name, exact=True).click()
    page.get_by_text(MARKERS[name]).first.wait_for()
    wait_for_app(page)
    page.wait_for_function("() => [...document.images].every(i => i.complete)")


def test_detection_page_boxes_slider_and_views(server, page):
    open_page(page, server + "/detection?det_photo=Composite+scene")
    assert metric(page, "Boxes") == "2"
    page.get_by_role("button", name="Download the annotated PNG").wait_for()
    screenshot(page, "detection-detect")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the annotated PNG").click()
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "encoded on click, still a PNG"
    assert download.value.suggested_filename == "detections.png"
    wait_for_app(page)

    thumb = page.get_by_role("slider", name="Score threshold")
    thumb.focus()
    for _ in range(13):
        thumb.press("ArrowRight")
    page.wait_for_url("**det_score=0.9**")
    wait_for_app(page)
    expect(metric_value(page, "Boxes")).to_have_text("1", timeout=60_000)
    assert_no_exception(page)

    _view(page, "IoU")
    before = float(metric(page, "IoU"))
    b_thumbs = page.get_by_role("slider", name="Box B, left–right (%)")
    b_thumbs.first.focus()
    for _ in range(25):
        b_thumbs.first.press("ArrowLeft")
    wait_for_app(page)
    for _ in range(60):
        if float(metric(page, "IoU")) > before:
            break
        page.wait_for_timeout(500)
    assert float(metric(page, "IoU")) > before
    assert_no_exception(page)

    _view(page, "YOLO grid")
    assert metric(page, "Output tensor") == "7 × 7 × 30"
    assert_no_exception(page)
    screenshot(page, "detection-grid")

    for view in ("Two detectors", "NMS step by step", "Windows vs proposals", "R-CNN family"):
        _view(page, view)
        assert_no_exception(page)
        screenshot(page, "detection-" + view.lower().replace(" ", "-"))
    page.locator(".js-plotly-plot").first.wait_for()
    screenshot(page, "detection-family")
