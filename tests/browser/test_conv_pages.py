"""The image and convolution pages in a real browser: kernel edits, bad cells, the drawing canvas, presets."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser

RANGE_JS = ("() => { const e = [...document.querySelectorAll('[data-testid=stMarkdownContainer] p')]"
            ".find(x => x.innerText.startsWith('Output values')); return e ? e.innerText : ''; }")
CHANGED_JS = ("(old) => { const e = [...document.querySelectorAll('[data-testid=stMarkdownContainer] p')]"
              ".find(x => x.innerText.startsWith('Output values')); return e && e.innerText !== old; }")


def _edit_cell(page, row: int, col: int, text: str) -> None:
    """Type into cell (row, col) (0-based, below the header) of the first data editor on the page."""
    editor = page.locator("[data-testid='stDataFrame']").first
    editor.scroll_into_view_if_needed()
    page.wait_for_timeout(700)
    box = editor.bounding_box()
    cell_w = box["width"] / 3
    page.mouse.dblclick(box["x"] + cell_w * (col + 0.5), box["y"] + 35 * (row + 1) + 17)
    overlay = page.locator("textarea.gdg-input, input.gdg-input").first
    overlay.wait_for(timeout=15_000)
    overlay.fill(text)
    overlay.press("Enter")


def _set_number(page, label: str, value: int) -> None:
    box = page.locator(f"input[aria-label='{label}']").first
    box.fill(str(value))
    box.press("Enter")
    wait_for_app(page)


@pytest.mark.parametrize("path", ["digital_images", "convolution", "output_size", "upsampling"])
def test_page_opens(server, page, path):
    page.set_viewport_size({"width": 1280, "height": 2400})
    open_page(page, f"{server}/{path}")
    page.locator("h1").first.wait_for()
    page.wait_for_function("() => !document.querySelector('[data-testid=stSkeleton]')", timeout=90_000)
    page.wait_for_timeout(1000)
    assert_no_exception(page)
    screenshot(page, f"conv-pages-{path}")


def test_kernel_edit_updates_output_and_bad_cell_keeps_it(server, page):
    open_page(page, f"{server}/convolution")
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    page.wait_for_function("() => !document.querySelector('[data-testid=stSkeleton]')", timeout=90_000)
    page.wait_for_timeout(1000)
    before = page.evaluate(RANGE_JS)
    assert before.startswith("Output values range from -431 to 712")
    for attempt in range(3):
        _edit_cell(page, 1, 1, "4")
        try:
            page.wait_for_function(CHANGED_JS, arg=before, timeout=20_000)
            break
        except Exception:
            screenshot(page, f"conv-edit-miss-{attempt}")
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            wait_for_app(page)
            page.wait_for_timeout(1000)
    wait_for_app(page)
    edited = page.evaluate(RANGE_JS)
    assert edited.startswith("Output values range from -776 to 136"), edited
    page.wait_for_timeout(800)
    _edit_cell(page, 0, 0, "abc")
    page.get_by_text("Row 1, column 1 holds 'abc', which is not a number").wait_for()
    wait_for_app(page)
    assert page.evaluate(RANGE_JS) == edited, "the last good result stays"
    assert_no_exception(page)
    screenshot(page, "conv-bad-cell")


def test_drawing_an_x_feeds_the_filters(server, page):
    open_page(page, f"{server}/convolution?conv_xsrc=my+drawing")
    hint = page.get_by_text("Draw with the mouse")
    hint.wait_for()
    canvas = page.locator("canvas.upper-canvas").first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    for x0, y0, x1, y1 in ((30, 30, 240, 240), (240, 30, 30, 240)):
        page.mouse.move(box["x"] + x0, box["y"] + y0)
        page.mouse.down()
        for k in range(1, 16):
            page.mouse.move(box["x"] + x0 + (x1 - x0) * k / 15, box["y"] + y0 + (y1 - y0) * k / 15)
        page.mouse.up()
    hint.wait_for(state="detached")
    wait_for_app(page)
    assert_no_exception(page)
    screenshot(page, "conv-canvas")


def test_output_size_preset_and_stride_that_does_not_fit(server, page):
    open_page(page, f"{server}/output_size")
    page.locator("[data-testid='stSelectbox']").filter(has_text="Lecture example").click()
    page.get_by_role("option", name="32×32×3, ten 5×5 filters, stride 1, pad 2 → 32×32×10, 760 params").click()
    wait_for_app(page)
    metrics = page.locator("[data-testid='stMetricValue']")
    metrics.first.wait_for()
    assert metrics.nth(0).inner_text() == "32×32×10" and metrics.nth(1).inner_text() == "760"
    assert "os_k=10" in page.url
    _set_number(page, "Input width W₁", 7)
    _set_number(page, "Input height H₁", 7)
    _set_number(page, "Padding P", 0)
    _set_number(page, "Filter size F", 3)
    _set_number(page, "Stride S", 3)
    page.get_by_text("= 2.33, not a whole number").first.wait_for()
    assert metrics.nth(0).inner_text() == "2×2×10"
    assert_no_exception(page)
    screenshot(page, "conv-output-size-does-not-fit")


def test_upsampling_stride_changes_output(server, page):
    open_page(page, f"{server}/upsampling")
    page.get_by_text("INPUT 2×2 → OUTPUT 4×4").first.wait_for()
    _set_number(page, "Stride", 3)
    page.get_by_text("INPUT 2×2 → OUTPUT 5×5").first.wait_for()
    assert_no_exception(page)


def test_show_your_work_follows_kernel_edits(server, page):
    open_page(page, f"{server}/convolution?conv_work_src=your+photo")
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    page.wait_for_function("() => !document.querySelector('[data-testid=stSkeleton]')", timeout=90_000)
    success = page.locator("[data-testid='stAlertContentSuccess']").first
    before = success.inner_text()
    assert before.startswith("Output = (")
    _edit_cell(page, 1, 1, "9")
    page.wait_for_function(
        "(old) => { const e = document.querySelector('[data-testid=stAlertContentSuccess]'); return e && e.innerText !== old; }",
        arg=before, timeout=60_000)
    assert_no_exception(page)
