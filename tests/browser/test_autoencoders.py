"""Autoencoders in a real browser: a short training finishes from the page, the results appear, and a click on
the latent plane decodes that point."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, metric, screenshot, train_steps_on_page, wait_for_app

pytestmark = pytest.mark.browser


def test_autoencoders_train_then_click_the_latent_plane(server, page):
    train_steps_on_page(page, server + "/autoencoders?ae_steps=100", "Train the networks first", "ae_start", 100)
    assert float(metric(page, "Held-out MSE, upsample")) > 0
    page.get_by_text("5-nearest-neighbour vote").wait_for()
    assert page.locator("[data-testid='stImage']").count() >= 6
    before = page.locator(".st-key-ae_z1 input").input_value()
    chart = page.locator(".st-key-ae_latent")
    chart.scroll_into_view_if_needed()
    drag = chart.locator(".nsewdrag").first
    box = drag.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    page.wait_for_timeout(300)
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    page.wait_for_function("(b) => document.querySelector('.st-key-ae_z1 input').value !== b", arg=before,
                           timeout=60_000)
    wait_for_app(page)
    assert_no_exception(page)
    screenshot(page, "autoencoders-trained")
