"""Classroom mode in Chromium on the real server: a teacher creates a class, two students join in two browser
contexts, solve and fail challenges on different pages, and the teacher's table shows exactly their best scores."""

from __future__ import annotations

import pytest

from tests.browser.classroom_steps import (EDGES_TITLE, KEEP_28, KEEP_28_TITLE, SOBEL, best_scores, context_page,
                                           create_class, join, submit)
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_a_class_from_creation_to_the_teachers_table(server, browser):
    teacher_ctx, teacher = context_page(browser)
    code, key, number = create_class(teacher, server, "Browser class")
    assert len(code) >= 6 and len(key) >= 20 and key not in teacher.url

    ana_ctx, ana, ana_token = join(browser, server, code, "Ana", "Browser class")
    bo_ctx, bo, bo_token = join(browser, server, code, "Bo", "Browser class")
    # Ana fails, then solves "keep 28×28"; Bo solves the vertical-edge kernel and fails "keep 28×28"
    submit(ana, server, "output_size", {**KEEP_28, "os_p": "0"}, ana_token, "86")
    submit(ana, server, "output_size", {**KEEP_28, "os_p": "2"}, ana_token, "100")
    submit(bo, server, "convolution", {"challenge": "conv-vertical-edges", "conv_preset": "custom", "conv_ksize": "3",
                                       "conv_k": SOBEL}, bo_token, "100")
    submit(bo, server, "output_size", {**KEEP_28, "os_p": "1"}, bo_token, "93")
    screenshot(bo, "classroom-student")

    cells = best_scores(teacher, server, number, key)
    assert set(cells) == {"Ana", "Bo"}
    assert cells["Ana"][KEEP_28_TITLE] == "100 %" and cells["Ana"][EDGES_TITLE] == "—"
    assert cells["Bo"][KEEP_28_TITLE] == "93 %" and cells["Bo"][EDGES_TITLE] == "100 %"
    assert key not in teacher.url and key not in ana.url and key not in bo.url
    screenshot(teacher, "classroom-teacher")
    for ctx in (ana_ctx, bo_ctx, teacher_ctx):
        ctx.close()
