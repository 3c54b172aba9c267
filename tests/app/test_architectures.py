"""AppTest: the architecture explorer's views open, widgets change the figures, bad input is explained."""

from __future__ import annotations

from tests.app.util import errors, run_page


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _markdown(at) -> str:
    return " ".join(m.value for m in at.markdown)


def test_default_view_is_lenet5_with_the_keras_variant():
    at = run_page("architectures.py")
    assert not at.exception, errors(at)
    assert _metrics(at)["Parameters"] == "61.7k"
    assert _metrics(at)["Multiply-adds"] == "416.5k"
    assert "Keras variant" in _markdown(at)
    assert len(at.dataframe) >= 4, "reference table, two LeNet tables, layer table"


def test_choosing_a_network_recomputes_and_lists_the_lecture_ideas():
    at = run_page("architectures.py")
    at.selectbox(key="arch_net").set_value("resnet50").run()
    assert not at.exception, errors(at)
    m = _metrics(at)
    assert m["Parameters"] == "25.6M" and m["Multiply-adds"] == "4.09G"
    assert m["acc@1 (ImageNet-1K)"] == "80.86"
    assert "Learn the residual" in _markdown(at)
    ref = at.dataframe[0].value
    assert "25,557,032" in ref["exact"].tolist()
    assert any("25.5M parameters" in s for s in ref["source"])
    at.selectbox(key="arch_block").set_value("layer1.0").run()
    assert not at.exception, errors(at)


def test_too_small_input_is_an_error_message_not_a_traceback():
    at = run_page("architectures.py", query={"arch_net": "alexnet", "arch_hw": "32"})
    assert not at.exception, errors(at)
    assert at.error and "cannot run on a 3×32×32 input" in at.error[0].value


def test_bottleneck_calculator_preset_and_edit():
    at = run_page("architectures.py", query={"arch_view": "Bottleneck"})
    assert not at.exception, errors(at)
    m = _metrics(at)
    assert m["Direct: multiplications"] == "120.4 M" and m["With the 1×1 reduction"] == "12.4 M"
    assert "**120,422,400**" in _markdown(at) and "**12,443,648**" in _markdown(at)
    at.number_input(key="arch_bn_r").set_value(32).run()
    assert _metrics(at)["With the 1×1 reduction"] == "24.9 M"
    at.number_input(key="arch_bn_k").set_value(4).run()
    assert at.error and "odd kernel" in at.error[0].value


def test_whatif_pattern_recomputes_and_explains_a_broken_network():
    at = run_page("architectures.py", query={"arch_view": "What-if", "arch_edit_base": "pattern"})
    assert not at.exception, errors(at)
    assert _metrics(at)["Parameters"] == "591.3k"
    at.number_input(key="arch_pm").set_value(6).run()
    assert not at.exception, errors(at)
    assert at.error and "pool6" in at.error[0].value and "smaller than the 2×2 window" in at.error[0].value
    at.number_input(key="arch_pm").set_value(3).run()
    assert not at.error
    assert "Parameters" in _metrics(at)


def test_whatif_preset_matches_torchvision_and_exports_code():
    at = run_page("architectures.py", query={"arch_view": "What-if", "arch_edit_base": "vgg16"})
    assert not at.exception, errors(at)
    assert _metrics(at)["Parameters"] == "138.4M"
    assert any("nn.Conv2d(3, 64, 3, stride=1, padding=1)" in c.value for c in at.code)


def test_whatif_starts_from_googlenet_with_inception_modules():
    at = run_page("architectures.py", query={"arch_view": "What-if", "arch_edit_base": "googlenet"})
    assert not at.exception, errors(at)
    assert _metrics(at)["Parameters"] == "7.00M"
    assert _metrics(at)["Multiply-adds"] == "1.58G"
    assert any("InceptionBlock(192, 64, 96, 128, 16, 32, 32)" in c.value for c in at.code)
    table = next(d.value for d in at.dataframe if "receptive field" in d.value.columns)
    assert list(table.loc[table["kind"] == "inception", "out"])[:2] == ["256×28×28", "480×28×28"]


def test_whatif_reopens_a_shared_edited_network():
    from dataclasses import replace

    from vision_core import architectures as arch

    size, lenet = arch.preset("lenet5")
    edited = [replace(lenet[0], out=12), *lenet[1:]]
    expected = arch.evaluate(edited, size)
    text = arch.edit_to_text(edited)
    at = run_page("architectures.py", query={"arch_view": "What-if", "arch_edit_base": "lenet5", "arch_layers": text})
    assert not at.exception, errors(at)
    assert _metrics(at)["Parameters"] == f"{expected.summary.total_params / 1e3:.1f}k"
    assert at.query_params["arch_layers"] == text
    assert any("address bar now holds this edited network" in c.value for c in at.caption)
    assert any("nn.Conv2d(1, 12, 5" in c.value for c in at.code)

    at = run_page("architectures.py", query={"arch_view": "What-if", "arch_edit_base": "lenet5",
                                             "arch_layers": "conv.6.x_relu"})
    assert not at.exception, errors(at)
    assert at.warning and "not a whole number" in at.warning[0].value and "Starting from lenet5" in at.warning[0].value
    assert _metrics(at)["Parameters"] == "61.7k"
    assert "arch_layers" not in at.query_params


def test_compare_and_accuracy_views():
    at = run_page("architectures.py", query={"arch_view": "Compare", "arch_a": "alexnet", "arch_b": "googlenet"})
    assert not at.exception, errors(at)
    values = [m.value for m in at.metric if m.label == "Parameters"]
    assert values == ["61.1M", "6.62M"]
    at = run_page("architectures.py", query={"arch_view": "Accuracy", "arch_x": "GMACs"})
    assert not at.exception, errors(at)
    assert len(at.get("plotly_chart")) == 1


def test_reruns_and_display_changes_summarise_nothing_again(monkeypatch):
    """Issue 17: a network is summarised once per input size; a warm rerun, another row level or another block
    runs no summary and builds no figure."""
    import ui.arch_views
    import ui.figures
    from vision_core import architectures as arch

    ui.arch_views.cached_summary.clear()

    calls: list[str] = []
    real = arch.summarize
    monkeypatch.setattr(arch, "summarize", lambda model, *a, **k: calls.append(str(model)[:20]) or real(model, *a, **k))
    at = run_page("architectures.py", query={"arch_net": "resnet34", "arch_hw": "160"})
    assert not at.exception, errors(at)
    assert calls.count("resnet34") == 1
    built = ui.figures._SHARED.built
    at.run()
    at.segmented_control(key="arch_rows").set_value("all").run()
    at.selectbox(key="arch_block").set_value("layer3.0").run()
    assert not at.exception, errors(at)
    assert calls.count("resnet34") == 1, "display-only changes reuse the summary"
    assert ui.figures._SHARED.built == built, "and the figures built for it"
    assert _metrics(at)["Parameters"] == "21.8M"
