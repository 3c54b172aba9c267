"""Classroom mode in Chromium on the real server: a teacher creates a class, two students join in two browser
contexts, solve and fail challenges on different pages, and the teacher's table shows exactly their best scores."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from tests.browser.conftest import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.browser

SOBEL = "1~0~-1_2~0~-2_1~0~-1"
KEEP_28 = {"challenge": "size-keep-28", "os_w": "28", "os_h": "28", "os_f": "5", "os_s": "1"}


def _context_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.locator("h1").first.wait_for()
    assert_no_exception(page)


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_for_app(page)


def _join(browser, server: str, code: str, name: str):
    context, page = _context_page(browser)
    _open(page, f"{server}/classroom?join={code}")
    page.get_by_label("Your display name").fill(name)
    page.get_by_role("button", name="Join the class").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('me')", timeout=60_000)
    wait_for_app(page)
    page.get_by_text(f"{name} · Browser class").first.wait_for()
    token = parse_qs(urlparse(page.url).query)["me"][0]
    return context, page, token


def _submit(page, server: str, path: str, params: dict[str, str], token: str, expect: str) -> None:
    _open(page, f"{server}/{path}?{urlencode({**params, 'me': token})}")
    button = page.get_by_role("button", name=re.compile(rf"^Submit {expect} %"))
    button.wait_for()
    button.click()
    page.get_by_text(re.compile(r"[Ss]aved")).first.wait_for(timeout=60_000)
    assert_no_exception(page)


def test_a_class_from_creation_to_the_teachers_table(server, browser):
    teacher_ctx, teacher = _context_page(browser)
    _open(teacher, f"{server}/classroom")
    _tab(teacher, "Teacher")
    teacher.get_by_label("Class name").fill("Browser class")
    teacher.get_by_role("button", name="Create").click()
    wait_for_app(teacher)
    code = teacher.locator("code", has_text=re.compile(r"classroom\?join=")).first.inner_text().rsplit("=", 1)[1].strip()
    key = teacher.locator("[data-testid='stCode'] code").nth(1).inner_text().strip()
    number = re.search(r"Class number (\d+)", teacher.locator("body").inner_text()).group(1)
    assert len(code) >= 6 and len(key) >= 20 and key not in teacher.url

    ana_ctx, ana, ana_token = _join(browser, server, code, "Ana")
    bo_ctx, bo, bo_token = _join(browser, server, code, "Bo")
    # Ana fails, then solves "keep 28×28"; Bo solves the vertical-edge kernel and fails "keep 28×28"
    _submit(ana, server, "output_size", {**KEEP_28, "os_p": "0"}, ana_token, "86")
    _submit(ana, server, "output_size", {**KEEP_28, "os_p": "2"}, ana_token, "100")
    _submit(bo, server, "convolution", {"challenge": "conv-vertical-edges", "conv_preset": "custom", "conv_ksize": "3",
                                        "conv_k": SOBEL}, bo_token, "100")
    _submit(bo, server, "output_size", {**KEEP_28, "os_p": "1"}, bo_token, "93")
    screenshot(bo, "classroom-student")

    _open(teacher, f"{server}/classroom?cls_tclass={number}")
    _tab(teacher, "Teacher")
    box = teacher.get_by_label("Teacher key")
    box.fill(key)
    box.press("Enter")
    wait_for_app(teacher)
    table = teacher.locator("[data-testid='stTable'] table").first
    table.wait_for()
    headers = [h.inner_text().strip() for h in table.locator("thead th").all()]
    cells = {}
    for row in table.locator("tbody tr").all():
        values = [c.inner_text().strip() for c in row.locator("th, td").all()]
        cells[values[-len(headers):][headers.index("student")]] = dict(zip(headers, values[-len(headers):]))
    assert set(cells) == {"Ana", "Bo"}
    keep, edges = "Keep 28×28 through a 5×5 filter", "A vertical-edge detector"
    assert cells["Ana"][keep] == "100 %" and cells["Ana"][edges] == "—"
    assert cells["Bo"][keep] == "93 %" and cells["Bo"][edges] == "100 %"
    assert key not in teacher.url and key not in ana.url and key not in bo.url
    screenshot(teacher, "classroom-teacher")
    for ctx in (ana_ctx, bo_ctx, teacher_ctx):
        ctx.close()
