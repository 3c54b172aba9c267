"""Transfer learning and Train a CNN in a real browser: accuracies update with the data set; LeNet-5 trains
live with curves, then reads a digit drawn with the mouse on the canvas."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    ARTIFACTS, assert_no_exception, draw_stroke, metric, open_page, screenshot, train_on_page, wait_for_app,
)

pytestmark = pytest.mark.browser


def test_transfer_learning_switches_data_set(server, page):
    open_page(page, server + "/transfer_learning?tl_layer=block3_pool&tl_size=32", timeout=180_000)
    assert metric(page, "Chance") == "50%"
    assert metric(page, "Accuracy, hand-made").endswith("%")
    page.get_by_text("Click a point to see its image").wait_for()
    page.locator("[data-testid='stSelectbox']").filter(has_text="Data set").locator("input").click()
    page.get_by_role("option", name="digits").click()
    wait_for_app(page, timeout=180_000)
    page.wait_for_function("() => document.body.innerText.includes('MNIST digits (40 of each')", timeout=180_000)
    wait_for_app(page, timeout=180_000)
    assert metric(page, "Chance") == "10%"
    assert "tl_data=digits" in page.url
    assert_no_exception(page)
    screenshot(page, "transfer-learning-digits")


def test_train_cnn_live_then_draw(server, page):
    open_page(page, server + "/train_cnn?tc_epochs=1&tc_batch=128")
    page.get_by_text("Train the network first").wait_for()
    train_on_page(page, "tc_start", "Finished.")  # ~20 s on an idle machine
    assert page.locator("[data-testid='stPlotlyChart']").count() >= 1
    draw_stroke(page, 0.5, 0.15, 0.7)
    page.get_by_text("It says").wait_for(timeout=60_000)
    wait_for_app(page)
    assert_no_exception(page)
    screenshot(page, "train-cnn-drawn")


def test_own_classes_from_uploads(server, page, tmp_path):
    from PIL import Image

    from vision_core.transfer import demo_classes

    demo = demo_classes(3, seed=1)
    page.goto(server + "/transfer_learning?tl_data=faces&tl_layer=block2_pool&tl_size=32&tl_name0=kitty&tl_name1=mug")
    wait_for_app(page, timeout=180_000)
    uploads = page.locator("[data-testid='stFileUploader'] input[type='file']")
    for slot, cls in enumerate(("cat", "coffee")):
        paths = []
        for k, img in enumerate(demo[cls]):
            path = tmp_path / f"{cls}-{k}.png"
            Image.fromarray(img).save(path)
            paths.append(str(path))
        uploads.nth(slot).set_input_files(paths)
        wait_for_app(page)
    page.get_by_text("3 photo(s)").first.wait_for()
    page.get_by_role("button", name="Extract features and train").click()
    page.get_by_text("cross-validated accuracy").wait_for(timeout=180_000)
    wait_for_app(page)
    page.get_by_text("Looks like kitty").wait_for()
    assert "kitty" in page.url and "cat-0" not in page.url, "class names are in the link, uploads never"
    assert_no_exception(page)
    page.get_by_text("Looks like kitty").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "transfer-own-classes.png"))
