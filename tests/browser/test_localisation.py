"""Classification + localisation in a real browser: a short training finishes from the page, predictions on new
canvases appear, and a digit drawn with the mouse gets a class and a box."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, metric, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_localiser_trains_then_finds_a_drawn_digit(server, page):
    page.goto(server + "/localisation?loc_steps=100")
    wait_for_app(page)
    assert_no_exception(page)
    page.get_by_text("Train the network first").wait_for()
    page.locator(".st-key-loc_start button").click()
    page.get_by_text("Done after 100 steps").wait_for(timeout=300_000)
    wait_for_app(page, timeout=180_000)
    assert_no_exception(page)
    assert metric(page, "Step") == "100 / 100"
    assert 0 < float(metric(page, "Mean IoU")) <= 1
    page.get_by_text("Green: the true box. Orange").wait_for()
    canvas = page.locator("canvas.upper-canvas").first
    canvas.wait_for(timeout=60_000)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x0, y0 = box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.2
    page.mouse.move(x0, y0)
    page.mouse.down()
    for k in range(1, 21):
        page.mouse.move(x0, y0 + box["height"] * 0.5 * k / 20)
    page.mouse.up()
    page.get_by_text("It says").wait_for(timeout=60_000)
    wait_for_app(page)
    assert_no_exception(page)
    screenshot(page, "localisation-drawn")
