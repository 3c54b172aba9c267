"""The classroom steps the browser tests share: a teacher creates a class, a student joins with its code, a student
submits a challenge from its link, the teacher reads the best-scores table (all through the real pages)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlparse

from tests.browser.conftest import assert_no_exception, wait_for_app

SOBEL = "1~0~-1_2~0~-2_1~0~-1"
KEEP_28 = {"challenge": "size-keep-28", "os_w": "28", "os_h": "28", "os_f": "5", "os_s": "1"}
KEEP_28_TITLE = "Keep 28×28 through a 5×5 filter"
EDGES_TITLE = "A vertical-edge detector"


def context_page(browser, height: int = 1400):
    context = browser.new_context(viewport={"width": 1280, "height": height})
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def open_classroom_page(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.locator("h1").first.wait_for()
    assert_no_exception(page)


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_for_app(page)


def create_class(page, server: str, name: str) -> tuple[str, str, str]:
    """The teacher's tab: create a class; returns (join code, teacher key, class number)."""
    open_classroom_page(page, f"{server}/classroom")
    tab(page, "Teacher")
    page.get_by_label("Class name").fill(name)
    page.get_by_role("button", name="Create").click()
    wait_for_app(page)
    code = page.locator("code", has_text=re.compile(r"classroom\?join=")).first.inner_text().rsplit("=", 1)[1].strip()
    key = page.locator("[data-testid='stCode'] code").nth(1).inner_text().strip()
    number = re.search(r"Class number (\d+)", page.locator("body").inner_text()).group(1)
    return code, key, number


def join(browser, server: str, code: str, name: str, class_name: str):
    """A fresh browser joins the class; returns (context, page, the student's key from ``?me=``)."""
    context, page = context_page(browser)
    open_classroom_page(page, f"{server}/classroom?join={code}")
    page.get_by_label("Your display name").fill(name)
    page.get_by_role("button", name="Join the class").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('me')", timeout=60_000)
    wait_for_app(page)
    page.get_by_text(f"{name} · {class_name}").first.wait_for()
    token = parse_qs(urlparse(page.url).query)["me"][0]
    return context, page, token


def submit(page, server: str, path: str, params: dict[str, str], token: str, expect: str) -> None:
    """Open a challenge's link on its page and press Submit (its label shows the score ``expect`` %)."""
    open_classroom_page(page, f"{server}/{path}?{urlencode({**params, 'me': token})}")
    button = page.get_by_role("button", name=re.compile(rf"^Submit {expect} %"))
    button.wait_for()
    button.click()
    page.get_by_text(re.compile(r"[Ss]aved")).first.wait_for(timeout=60_000)
    assert_no_exception(page)


def best_scores(page, server: str, number: str, key: str) -> dict[str, dict[str, str]]:
    """The teacher's best-scores table of class ``number``, read with the teacher key: {student: {column: cell}}."""
    open_classroom_page(page, f"{server}/classroom?cls_tclass={number}")
    tab(page, "Teacher")
    box = page.get_by_label("Teacher key")
    box.fill(key)
    box.press("Enter")
    wait_for_app(page)
    table = page.locator("[data-testid='stTable'] table").first
    table.wait_for()
    headers = [h.inner_text().strip() for h in table.locator("thead th").all()]
    cells = {}
    for row in table.locator("tbody tr").all():
        values = [c.inner_text().strip() for c in row.locator("th, td").all()][-len(headers):]
        cells[values[headers.index("student")]] = dict(zip(headers, values))
    return cells
