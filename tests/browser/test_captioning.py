"""Image captioning in a real browser: a small training run finishes, a caption and its attention maps appear."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, metric, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_captioning_trains_and_decodes(server, page):
    page.goto(server + "/captioning?cap_n=300&cap_steps=40")
    wait_for_app(page, timeout=180_000)
    assert_no_exception(page)
    page.get_by_text("This is a toy.").wait_for()
    page.get_by_text("Train the decoder first").wait_for()
    assert page.get_by_text("is not on this machine yet").count() >= 1, "BLIP's plain offline message"
    page.get_by_role("button", name="Train").first.click()
    page.get_by_text("Finished.").wait_for(timeout=300_000)
    wait_for_app(page, timeout=120_000)
    assert metric(page, "Step") == "40 / 40"
    assert metric(page, "Held-out word accuracy").endswith("%")
    page.get_by_text("The template's caption").wait_for(timeout=60_000)
    page.get_by_text("Where it looked before saying").first.wait_for()
    screenshot(page, "captioning-decoded")
    assert page.locator("[data-testid='stMain'] img").count() >= 10, "8 scenes, the chosen word's map and the strip"
    assert page.locator("[data-testid='stPlotlyChart']").count() >= 2
    assert_no_exception(page)
