"""The classic-CV page in a real browser: every tab opens, a rectangle drawn on the photo becomes the template."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, metric, open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("tab", ["Viola-Jones", "SIFT and mosaics", "Bag of words"])
def test_tab_opens_without_exception(server, page, tab):
    open_page(page, f"{server}/classic_cv?sample=astronaut&cv_tab={tab.replace(' ', '+')}&cv_stages=5&cv_rounds=5")
    page.locator("h1").first.wait_for()
    assert page.get_by_role("tab", name=tab).get_attribute("aria-selected") == "true"
    page.locator("[data-testid='stMetric']").first.wait_for()
    assert_no_exception(page)
    screenshot(page, f"classic-cv-{tab.split()[0].lower()}")


def test_drawn_rectangle_becomes_the_template_and_rotation_loses_it(server, page):
    open_page(page, f"{server}/classic_cv?sample=astronaut&cv_tab=Template+matching")
    canvas = page.locator("canvas.upper-canvas").first
    canvas.wait_for()
    page.wait_for_timeout(500)
    assert page.get_by_label("width").input_value() == "88", "the default template is the Viola–Jones face"
    bb = canvas.bounding_box()
    page.mouse.move(bb["x"] + 300, bb["y"] + 150)
    page.mouse.down()
    page.mouse.move(bb["x"] + 340, bb["y"] + 190, steps=8)
    page.mouse.move(bb["x"] + 360, bb["y"] + 210, steps=4)
    page.mouse.up()
    wait_for_app(page)
    page.wait_for_function("() => [...document.querySelectorAll('input')].some(i => i.getAttribute('aria-label') === 'width' && i.value === '60')")
    assert page.get_by_label("x", exact=True).input_value() == "300"
    assert float(metric(page, "Best score")) > 0.99
    assert_no_exception(page)
    screenshot(page, "classic-cv-template-drawn")
    open_page(page, f"{server}/classic_cv?sample=astronaut&cv_tab=Template+matching&cv_rot=90")
    page.locator("[data-testid='stMetric']").first.wait_for()
    assert float(metric(page, "Score at the true place")) < 0.5
    assert_no_exception(page)


def test_sift_matches_an_uploaded_second_view_and_refuses_a_bad_file(server, page, tmp_path):
    from PIL import Image

    from vision_core.io.samples import load_sample

    view = tmp_path / "astronaut-turned.png"
    Image.fromarray(load_sample("astronaut")).rotate(30, resample=Image.Resampling.BILINEAR).save(view)
    open_page(page, f"{server}/classic_cv?sample=astronaut&cv_tab=SIFT+and+mosaics&cv_second=Upload")
    page.locator("input[type='file']").set_input_files(str(view))
    wait_for_app(page)
    page.locator("[data-testid='stMetric']").filter(has_text="RANSAC inliers").wait_for()
    assert int(metric(page, "RANSAC inliers").split()[0]) > 100
    assert_no_exception(page)
    screenshot(page, "classic-cv-sift-upload")
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"not a picture")
    page.locator("input[type='file']").set_input_files(str(bad))
    wait_for_app(page)
    page.get_by_text("not an image we can read").wait_for()
    assert_no_exception(page)


def test_clicking_a_tab_runs_only_that_tab_and_goes_into_the_link(server, page):
    open_page(page, f"{server}/classic_cv?sample=coffee&cv_tab=Template+matching")
    page.locator("[data-testid='stMetric']").filter(has_text="Best score").wait_for()
    page.get_by_role("tab", name="SIFT and mosaics").click()
    wait_for_app(page)
    page.locator("[data-testid='stMetric']").filter(has_text="Tentative matches").wait_for()
    assert page.locator("[data-testid='stMetric']").filter(has_text="Best score").count() == 0
    assert "cv_tab=SIFT" in page.url
    assert_no_exception(page)
