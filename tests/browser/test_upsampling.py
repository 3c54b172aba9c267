"""The upsampling lab's show-your-work in a real browser: a link opens one cell of an operator on the photo, typing
another cell updates the arithmetic, each operator draws its grids."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from tests.browser.conftest import assert_no_exception, screenshot, wait_for_app
from vision_core.io.samples import load_sample
from vision_core.ops.upsampling import photo_grey_map

pytestmark = pytest.mark.browser

SUCCESS = "[data-testid='stAlertContentSuccess']"


def _set_number(page, label: str, value: int) -> None:
    box = page.locator(f"input[aria-label='{label}']").first
    box.fill(str(value))
    box.press("Enter")
    wait_for_app(page)


def test_show_your_work_on_the_photo(server, page):
    grey = torch.tensor(photo_grey_map(load_sample("chelsea"), 12))[None, None]
    pooled, idx = F.max_pool2d(grey, 2, return_indices=True)
    page.set_viewport_size({"width": 1280, "height": 2400})
    page.goto(f"{server}/upsampling?up_wop=max+pool&up_wrow=2&up_wcol=4")
    wait_for_app(page)
    success = page.locator(SUCCESS).filter(has_text="Output (row 2, column 4) = max(").first
    success.wait_for()
    assert f"= {pooled[0, 0, 2, 4].item():g}, found at input" in success.inner_text()
    _set_number(page, "Output column", 5)
    page.locator(SUCCESS).filter(has_text="Output (row 2, column 5) = max(").first.wait_for()
    assert f"switch {int(idx[0, 0, 2, 5]) // 12}·12 + {int(idx[0, 0, 2, 5]) % 12} = {int(idx[0, 0, 2, 5])}" in \
        page.locator(SUCCESS).filter(has_text="Output (row 2, column 5)").first.inner_text()
    for op, words in (("average pool", "/ 4 ="), ("max unpool", "lies in the window of pooled cell"),
                      ("transposed conv", "of the uncropped canvas")):
        page.locator("[data-testid='stButtonGroup']").get_by_text(op, exact=True).click()
        wait_for_app(page)
        page.locator(SUCCESS).filter(has_text=words).first.wait_for()
        assert page.locator("[data-testid='stPlotlyChart']").count() >= 6
        assert_no_exception(page)
    out = F.conv_transpose2d(pooled, torch.arange(1, 10, dtype=torch.float64).reshape(1, 1, 3, 3), stride=2,
                             padding=1, output_padding=1)[0, 0]
    assert f"= {out[2, 5].item():.6g}" in page.locator(SUCCESS).filter(has_text="uncropped").first.inner_text()
    screenshot(page, "upsampling-show-your-work")
