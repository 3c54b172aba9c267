"""Image captioning in a real browser: a small training run finishes, a caption and its attention maps appear."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, metric, open_page, screenshot, train_on_page

pytestmark = pytest.mark.browser


def test_captioning_trains_and_decodes(server, page):
    open_page(page, server + "/captioning?cap_n=300&cap_steps=40", timeout=180_000)
    page.get_by_text("This is a toy.").wait_for()
    page.get_by_text("Train the decoder first").wait_for()
    assert page.get_by_text("is not on this machine yet").count() >= 1, "BLIP's plain offline message"
    train_on_page(page, "cap_start", "Finished.")
    assert metric(page, "Step") == "40 / 40"
    assert metric(page, "Held-out word accuracy").endswith("%")
    page.get_by_text("The template's caption").wait_for(timeout=60_000)
    page.get_by_text("Where it looked before saying").first.wait_for()
    screenshot(page, "captioning-decoded")
    assert page.locator("[data-testid='stMain'] img").count() >= 10, "8 scenes, the chosen word's map and the strip"
    assert page.locator("[data-testid='stPlotlyChart']").count() >= 2
    assert_no_exception(page)
