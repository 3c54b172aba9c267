"""Classification + localisation in a real browser: a short training finishes from the page, predictions on new
canvases appear, and a digit drawn with the mouse gets a class and a box."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    assert_no_exception, draw_stroke, metric, screenshot, train_steps_on_page, wait_for_app,
)

pytestmark = pytest.mark.browser


def test_localiser_trains_then_finds_a_drawn_digit(server, page):
    train_steps_on_page(page, server + "/localisation?loc_steps=100", "Train the network first", "loc_start", 100)
    assert 0 < float(metric(page, "Mean IoU")) <= 1
    page.get_by_text("Green: the true box. Orange").wait_for()
    draw_stroke(page, 0.7, 0.2, 0.5)
    page.get_by_text("It says").wait_for(timeout=60_000)
    wait_for_app(page)
    assert_no_exception(page)
    screenshot(page, "localisation-drawn")
