"""AppTest for the four image/convolution pages: lecture numbers on screen, bad input explained, results kept."""

from __future__ import annotations

from tests.app.util import errors, run_page
from vision_core.ops.conv import explain_cell
from vision_core.ops.kernels import apply_layer, preset_kernel
from vision_core.io.images import resize_max_side
from vision_core.io.samples import load_sample


def _texts(at) -> str:
    images = [img.caption for el in at.get("image") for img in el.proto.imgs]
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.success] + images)


def test_digital_images_matrix_and_bad_pixel():
    at = run_page("digital_images.py")
    assert not at.exception, errors(at)
    chelsea = load_sample("chelsea")
    at.number_input(key="di_row").set_value(3).run()
    at.number_input(key="di_col").set_value(7).run()
    r, g, b = chelsea[3, 7]
    assert f"Pixel (row 3, column 7) = R {r}, G {g}, B {b}" in _texts(at)
    at.slider(key="di_bits").set_value(2).run()
    assert "2 bits → 4 grey levels" in _texts(at)
    at.number_input(key="di_row").set_value(5000).run()
    assert not at.exception, errors(at)
    assert any("outside the 451×300 photo" in e.value for e in at.error)


def test_convolution_lecture_example_and_bad_stride_keeps_last_result():
    at = run_page("convolution.py")
    assert not at.exception, errors(at)
    assert "Output = (308) + (-498) + (164) + bias 1 = **-25**" in [s.value for s in at.success]
    photo = resize_max_side(load_sample("chelsea"), 512)
    expected = apply_layer(photo, preset_kernel("edge (−1 … 8 … −1)"), padding="same", display="stretch")
    line = f"range from **{expected.low:.4g}** to **{expected.high:.4g}**"
    assert line in _texts(at)
    at.number_input(key="conv_stride").set_value(0).run()
    assert not at.exception, errors(at)
    assert any("Stride must be" in e.value and "last good result" in e.value for e in at.error)
    assert line in _texts(at), "the last good result stays on screen"
    assert "OUTPUT: 451×300" in _texts(at)
    at.number_input(key="conv_stride").set_value(2).run()
    at.selectbox(key="conv_preset").set_value("Sobel x").run()
    at.selectbox(key="conv_pad").set_value("0").run()
    sobel = apply_layer(photo, preset_kernel("Sobel x"), stride=2, padding=0, display="stretch")
    assert f"range from **{sobel.low:.4g}** to **{sobel.high:.4g}**" in _texts(at)
    at.segmented_control(key="conv_work_src").set_value("your photo").run()
    at.number_input(key="conv_row").set_value(40).run()
    at.number_input(key="conv_col").set_value(70).run()
    cell = explain_cell(sobel.input, preset_kernel("Sobel x"), 40, 70, stride=2)
    assert any(f"**{cell.value:.6g}**" in s.value for s in at.success)
    at.selectbox(key="conv_pad").set_value("3").run()
    assert any("Padding 3 is larger" in e.value for e in at.error)


def test_convolution_5x5_stepper():
    at = run_page("convolution.py", query={"conv_work_src": "lecture: 5×5 ⊛ 3×3"})
    at.segmented_control(key="conv_work_src").set_value("lecture: 5×5 ⊛ 3×3").run()
    for step, value in ((1, 4), (6, 3), (7, 2)):
        at.slider(key="conv_step").set_value(step).run()
        assert f"bias 0 = **{value}**" in " ".join(s.value for s in at.success)
    assert not at.exception, errors(at)


def test_output_size_lecture_presets():
    at = run_page("output_size.py")
    expected = {
        "7×7, 3×3 filter, stride 1 → 5×5": ("5×5×1", "10"),
        "7×7, 3×3 filter, stride 2 → 3×3": ("3×3×1", "10"),
        "7×7, 3×3 filter, stride 3 → does not fit": ("2×2×1", "10"),
        "7×7, pad 1, 3×3 filter, stride 1 → 7×7": ("7×7×1", "10"),
        "32×32×3, ten 5×5 filters, stride 1, pad 2 → 32×32×10, 760 params": ("32×32×10", "760"),
    }
    for preset, (shape, params) in expected.items():
        at.selectbox(key="os_preset").set_value(preset).run()
        assert not at.exception, errors(at)
        assert [m.value for m in at.metric][:2] == [shape, params], preset
        if "does not fit" in preset:
            assert any("2.33" in w.value and "floors it to 2" in w.value for w in at.warning)
        else:
            assert not at.warning
    assert "Width: **32 → 28 → 24**" in _texts(at)
    at.number_input(key="os_s").set_value(-1).run()
    assert any("Stride must be at least 1" in e.value for e in at.error)
    assert not at.exception


def test_upsampling_page():
    at = run_page("upsampling.py")
    assert not at.exception, errors(at)
    assert at.code[0].value == "a·x   a·y   a·z + b·x   b·y   b·z"
    at.number_input(key="up_opad").set_value(2).run()
    assert any("Output padding must be smaller than the stride" in e.value for e in at.error)
    at.number_input(key="up_stride").set_value(0).run()
    assert any("Stride must be at least 1" in e.value for e in at.error)
    at.select_slider(key="up_factor").set_value(2).run()
    assert not at.exception, errors(at)


def test_convolution_runs_once_per_change_and_reruns_recompute_nothing(monkeypatch):
    """Issue 17: in 'your photo' mode a change of the layer runs the convolution once (the page used to rerun
    itself from its fragment and run it twice); show-your-work and warm reruns run it not at all, and a rerun
    that changed nothing builds no figure."""
    import ui.conv_views
    import ui.figures

    calls = []
    real = ui.conv_views.apply_layer
    monkeypatch.setattr(ui.conv_views, "apply_layer", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = run_page("convolution.py", query={"conv_work_src": "your photo"})
    assert not at.exception, errors(at)
    assert len(calls) == 1
    at.number_input(key="conv_stride").set_value(2).run()
    assert len(calls) == 2, "one convolution for one change"
    at.number_input(key="conv_row").set_value(10).run()
    at.run()
    at.run()
    assert len(calls) == 2, "explaining another cell and plain reruns reuse the result"
    built = ui.figures._SHARED.built
    at.run()
    assert ui.figures._SHARED.built == built, "a rerun that changed nothing builds no figure"
    assert any("Your photo, conv output cell (row 10" in m.value for m in at.markdown)


def test_kernel_challenges_score_the_typed_kernel_and_the_kernel_travels_in_the_link():
    from tests.app.util import image_captions

    sobel = "1~0~-1_2~0~-2_1~0~-1"
    at = run_page("convolution.py", query={"challenge": "conv-vertical-edges", "conv_preset": "custom", "conv_ksize": "3",
                                           "conv_k": sobel})
    assert not at.exception, [e.value for e in at.exception]
    texts = [p.proto.text for p in at.get("progress")]
    assert any(t.startswith("Score 100 %") and "vertical edges only" in t for t in texts), texts
    assert at.query_params["conv_k"] == sobel
    at = run_page("convolution.py", query={"challenge": "conv-which-kernel", "conv_preset": "custom", "conv_ksize": "3"})
    assert not at.exception
    assert "The hidden kernel's output on your photo" in image_captions(at)
    texts = [p.proto.text for p in at.get("progress")]
    assert any("correlation with the hidden output" in t for t in texts) and not any(t.startswith("Score 100") for t in texts)
