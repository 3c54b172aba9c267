""""Classify a photo" and "Inside the network" in a real browser: predictions change with the tray photo,
the comparison toggle, clicking a feature-map tile enlarges that channel, Grad-CAM's opacity slider."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_no_exception, open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_classify_changes_with_the_photo_and_compares(server, page):
    open_page(page, server + "/classify")
    main = page.locator("[data-testid='stMain']")
    main.get_by_text(re.compile(r"Top-1: (tiger cat|Egyptian cat)")).wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    assert page.locator(".js-plotly-plot").count() == 1
    sidebar = page.locator("[data-testid='stSidebar']")
    box = sidebar.locator("[data-testid='stSelectbox']").filter(has_text="Sample photo").locator("input")
    box.click()
    box.fill("coffee")
    box.press("Enter")
    wait_for_app(page)
    main.get_by_text(re.compile(r"Top-1: espresso")).wait_for()
    assert "sample=coffee" in page.url
    main.get_by_text("Compare with a second network").click()
    wait_for_app(page)
    offline = main.get_by_text("is not on this machine yet")
    if offline.count():
        assert main.get_by_role("button", name=re.compile("Download")).count() >= 1
    else:
        page.locator(".js-plotly-plot").nth(1).wait_for()
    assert "cls_compare=true" in page.url
    assert_no_exception(page)
    screenshot(page, "see-classify-compare")


def test_inside_feature_map_click_and_gradcam(server, page):
    open_page(page, server + "/inside_network")
    assert page.locator("[data-testid='stMain'] [data-testid='stImage']").count() >= 2
    screenshot(page, "see-inside-filters")
    open_page(page, server + "/inside_network?ins_view=Feature+maps&ins_layer=block1")
    channel = page.locator("[data-testid='stNumberInput'] input")
    first = channel.input_value()
    frame = page.frame_locator("iframe[title*='streamlit_image_coordinates']")
    tile = frame.locator("img")
    tile.wait_for()
    box = tile.bounding_box()
    assert box is not None and box["width"] > 200
    cell = box["width"] / 8
    tile.click(position={"x": cell * 3 + cell / 2, "y": cell * 1 + cell / 2})
    wait_for_app(page)
    page.wait_for_function(
        "(old) => { const i = document.querySelector(\"[data-testid='stNumberInput'] input\"); return i && i.value !== old; }",
        arg=first, timeout=30_000,
    )
    assert channel.input_value() != first, "clicking the 12th tile enlarges another channel"
    assert_no_exception(page)
    screenshot(page, "see-inside-feature-maps")
    open_page(page, server + "/inside_network?ins_view=Grad-CAM")
    page.get_by_text(re.compile(r"ImageNet #\d+")).wait_for()
    before = page.locator("[data-testid='stMain'] [data-testid='stImage'] img").nth(1).get_attribute("src")
    thumb = page.get_by_role("slider", name="Overlay opacity")
    thumb.focus()
    for _ in range(4):
        thumb.press("ArrowRight")
    page.wait_for_function("() => window.location.search.includes('ins_alpha=0.7')", timeout=30_000)
    wait_for_app(page)
    page.wait_for_function(
        "(old) => { const imgs = document.querySelectorAll(\"[data-testid='stMain'] [data-testid='stImage'] img\");"
        " return imgs.length > 1 && imgs[1].getAttribute('src') !== old; }",
        arg=before, timeout=30_000,
    )  # a new overlay was drawn
    assert_no_exception(page)
    screenshot(page, "see-inside-gradcam")
