"""Segmentation in a real browser: the page opens on the astronaut, a widget changes the output, a shared link
reopens the view (the pose page is in test_pose.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import assert_no_exception, metric, open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_segmentation_page_on_the_astronaut(server, page):
    open_page(page, server + "/segmentation?sample=astronaut")
    share = float(metric(page, "person pixels").rstrip(" %"))
    assert 40 < share < 75
    page.get_by_text("Offline substitute, not Mask R-CNN").wait_for()
    assert metric(page, "Each pixel read") == "4,096 times"
    screenshot(page, "segmentation-astronaut")
    page.get_by_text("Instance segmentation: one mask per object").scroll_into_view_if_needed()
    screenshot(page, "segmentation-astronaut-instances")
    page.get_by_text("FCN and U-Net, with the shapes for your photo").scroll_into_view_if_needed()
    screenshot(page, "segmentation-astronaut-fcn-unet")

    page.get_by_text("mask", exact=True).first.click()
    wait_for_app(page)
    assert "seg_view=mask" in page.url
    page.get_by_text("class map, one colour per class").wait_for()
    assert_no_exception(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the overlay (PNG)").click()
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "encoded on click, still a PNG"
    assert download.value.suggested_filename == "segmentation-selfie.png"

    page.goto(server + "/segmentation?sample=astronaut&seg_patch=128&seg_model=lraspp")
    wait_for_app(page)
    assert metric(page, "Each pixel read") == "16,384 times"
    page.get_by_text("is not on this machine yet").first.wait_for()
    page.get_by_role("button", name="Download LR-ASPP MobileNetV3-Large (VOC 21) weights (12 MB)").wait_for()
    assert_no_exception(page)
