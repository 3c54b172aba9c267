"""The architecture explorer in a real browser: networks open, the table and the block diagram follow the
chosen network, the bottleneck calculator recomputes, and an edit in the what-if table recomputes the network."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, metric, open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_network_view_switches_network_and_draws_diagram(server, page):
    open_page(page, server + "/architectures")
    assert metric(page, "Parameters") == "61.7k"
    page.get_by_text("Ideas the lecture lists for LeNet").wait_for()

    page.goto(server + "/architectures?arch_net=resnet18")
    wait_for_app(page)
    assert metric(page, "Parameters") == "11.7M"
    assert metric(page, "Multiply-adds") == "1.81G"
    page.get_by_role("tab", name="Block diagram").click()
    diagram = page.get_by_role("tabpanel", name="Block diagram")
    diagram.locator(".js-plotly-plot").wait_for()
    diagram.get_by_text("layer4.1 · BasicBlock").first.wait_for()
    diagram.get_by_text("512×7×7").first.wait_for()
    assert_no_exception(page)
    screenshot(page, "architectures-resnet18-diagram")

    page.locator("[data-testid='stSelectbox']").filter(has_text="Network").first.click()
    page.keyboard.type("densenet121")
    page.get_by_role("option", name="densenet121", exact=True).click()
    wait_for_app(page)
    assert "arch_net=densenet121" in page.url
    assert metric(page, "Parameters") == "7.98M"
    assert_no_exception(page)


def test_bottleneck_preset_and_edit(server, page):
    page.goto(server + "/architectures?arch_view=Bottleneck")
    wait_for_app(page)
    assert metric(page, "Direct: multiplications") == "120.4 M"
    assert metric(page, "With the 1×1 reduction") == "12.4 M"
    box = page.get_by_label("1×1 reduces to")
    box.fill("32")
    box.press("Enter")
    wait_for_app(page)
    assert metric(page, "With the 1×1 reduction") == "24.9 M"
    assert "arch_bn_r=32" in page.url
    assert_no_exception(page)


def test_whatif_edit_in_table_recomputes(server, page):
    page.goto(server + "/architectures?arch_view=What-if&arch_edit_base=lenet5")
    wait_for_app(page)
    assert metric(page, "Parameters") == "61.7k"
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.wait_for()
    cell_editor = page.locator("#portal input")
    for _ in range(5):  # the grid is a canvas: double-click row 3 (conv2), column "kernel" until its editor opens
        page.wait_for_timeout(1000)
        box = grid.bounding_box()
        page.mouse.dblclick(box["x"] + 257, box["y"] + 35 * 4 + 17)
        try:
            cell_editor.wait_for(timeout=3000)
            break
        except Exception:
            continue
    assert cell_editor.input_value() == "5"
    cell_editor.fill("3")
    cell_editor.press("Enter")
    wait_for_app(page)
    # conv2 5×5 → 3×3: 16×12×12 → pool 16×6×6 → fc1 sees 576 features: 61,706 − 2,416 + 880 − 48,120 + 69,240.
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
                           ".some(e => e.innerText === '81.3k')", timeout=30_000)
    assert_no_exception(page)
    screenshot(page, "architectures-whatif")
    page.wait_for_url("**arch_layers=conv.6.5.1.0.0.0.1.1_relu_avgpool.0.2.2_conv.16.3.**", timeout=15_000)
    shared = page.context.browser.new_page()
    try:
        shared.goto(page.url)
        wait_for_app(shared)
        assert metric(shared, "Parameters") == "81.3k", "the shared link reopens the edited network"
        assert_no_exception(shared)
    finally:
        shared.close()
    # Pattern base: four groups of pooling on 32×32 still fits; eight groups do not.
    page.goto(server + "/architectures?arch_view=What-if&arch_edit_base=pattern&arch_pm=6")
    wait_for_app(page)
    page.get_by_text("pool6: the 1×1 input").first.wait_for()
    assert_no_exception(page)
