"""conv2d / explain_cell against torch.nn.functional.conv2d, the lecture's numbers, kernel parsing."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from vision_core.ops.conv import (
    LECTURE_5X5,
    LECTURE_RGB,
    LECTURE_X,
    PRESETS,
    canvas_to_grid,
    conv2d,
    explain_cell,
    normalise_kernel,
    parse_kernel,
    pool2d,
    to_display,
    x_feature_maps,
)


def _torch_conv(x: np.ndarray, k: np.ndarray, stride: int, padding, dilation: int, bias: float, mode: str = "zeros") -> np.ndarray:
    """Reference: (H, W, C) image and (C, kh, kw) kernel through F.conv2d → (H', W')."""
    xt = torch.tensor(x, dtype=torch.float64).permute(2, 0, 1)[None]
    kt = torch.tensor(k, dtype=torch.float64)[None]
    if mode != "zeros" and padding:
        xt = F.pad(xt, (padding,) * 4, mode=mode)
        padding = 0
    return F.conv2d(xt, kt, torch.tensor([bias], dtype=torch.float64), stride=stride, padding=padding,
                    dilation=dilation)[0, 0].numpy()


@st.composite
def conv_case(draw):
    c = draw(st.integers(1, 4))
    kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    dil = draw(st.integers(1, 3))
    pad = draw(st.integers(0, 3))
    h = draw(st.integers(max(1, dil * (kh - 1) + 1 - 2 * pad), 16))
    w = draw(st.integers(max(1, dil * (kw - 1) + 1 - 2 * pad), 16))
    stride = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    return rng.normal(size=(h, w, c)), rng.normal(size=(c, kh, kw)), stride, pad, dil, float(rng.normal())


@settings(max_examples=150, deadline=None)
@given(conv_case())
def test_conv2d_equals_torch(case):
    x, k, stride, pad, dil, bias = case
    ours = conv2d(x, k, stride=stride, padding=pad, dilation=dil, bias=bias)
    ref = _torch_conv(x, k, stride, pad, dil, bias)
    assert ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, atol=1e-4, rtol=1e-4)


@settings(max_examples=60, deadline=None)
@given(conv_case(), st.sampled_from(["reflect", "replicate"]))
def test_conv2d_padding_modes_equal_torch(case, mode):
    x, k, stride, pad, dil, bias = case
    if mode == "reflect" and pad >= min(x.shape[:2]):
        with pytest.raises(ValueError, match="Reflect padding"):
            conv2d(x, k, stride=stride, padding=pad, dilation=dil, padding_mode=mode)
        return
    ours = conv2d(x, k, stride=stride, padding=pad, dilation=dil, bias=bias, padding_mode=mode)
    np.testing.assert_allclose(ours, _torch_conv(x, k, stride, pad, dil, bias, mode), atol=1e-4, rtol=1e-4)


@settings(max_examples=60, deadline=None)
@given(conv_case(), st.booleans())
def test_explain_cell_matches_conv2d_and_torch(case, flip):
    x, k, stride, pad, dil, bias = case
    out = conv2d(x, k, stride=stride, padding=pad, dilation=dil, bias=bias, flip=flip)
    kk = k[:, ::-1, ::-1].copy() if flip else k
    ref = _torch_conv(x, kk, stride, pad, dil, bias)
    np.testing.assert_allclose(out, ref, atol=1e-4, rtol=1e-4)
    r, c = out.shape[0] - 1, out.shape[1] // 2
    e = explain_cell(x, k, r, c, stride=stride, padding=pad, dilation=dil, bias=bias, flip=flip)
    assert e.value == pytest.approx(ref[r, c], abs=1e-6)
    np.testing.assert_allclose(e.products, e.patches * e.kernel)
    assert e.channel_sums.sum() + bias == pytest.approx(e.value)


def test_2d_kernel_on_colour_photo_is_per_channel_and_float32(chelsea):
    k = PRESETS["Sobel x"]
    out = conv2d(chelsea, k, stride=2, padding=1)
    assert out.dtype == np.float32 and out.shape == (150, 226, 3)
    xt = torch.tensor(chelsea, dtype=torch.float32).permute(2, 0, 1)[:, None]
    ref = F.conv2d(xt, torch.tensor(k, dtype=torch.float32)[None, None], stride=2, padding=1)[:, 0].permute(1, 2, 0).numpy()
    np.testing.assert_allclose(out, ref, atol=1e-3)
    e = explain_cell(chelsea, k, 40, 70, stride=2, padding=1, channel=2)
    assert e.value == pytest.approx(float(out[40, 70, 2]), abs=1e-3)


def test_same_padding_keeps_size_and_matches_opencv_blur(coffee):
    grey = cv2.cvtColor(coffee, cv2.COLOR_RGB2GRAY)
    out = conv2d(grey, PRESETS["box blur 1/9"], padding="same", padding_mode="reflect")
    assert out.shape == grey.shape
    ref = cv2.blur(grey.astype(np.float32), (3, 3), borderType=cv2.BORDER_REFLECT_101)
    np.testing.assert_allclose(out, ref, atol=1e-3)
    even = conv2d(grey, np.ones((4, 4)), padding="same")
    assert even.shape == grey.shape


def test_flip_is_true_convolution():
    k = np.arange(9, dtype=np.float64).reshape(3, 3)
    x = np.zeros((5, 5))
    x[2, 2] = 1
    np.testing.assert_array_equal(conv2d(x, k, flip=True), k)
    np.testing.assert_array_equal(conv2d(x, k), k[::-1, ::-1])


def test_lecture_rgb_example_reproduces_308_minus498_164_and_minus25():
    L = LECTURE_RGB
    e = explain_cell(L["image"], L["kernel"], 0, 0, padding=L["padding"], bias=L["bias"])
    assert e.channel_sums.tolist() == [308.0, -498.0, 164.0]
    assert e.value == -25.0
    assert e.patches[0].tolist() == [[0, 0, 0], [0, 156, 155], [0, 153, 154]]
    assert e.rows.tolist() == [-1, 0, 1]
    out = conv2d(L["image"], L["kernel"], padding=1, bias=1)
    assert out.shape == (5, 5) and out[0, 0] == -25.0


def test_lecture_5x5_feature_map():
    out = conv2d(LECTURE_5X5["image"], LECTURE_5X5["kernel"])
    assert out.tolist() == [[4, 3, 4], [2, 4, 3], [2, 3, 4]]
    e = explain_cell(LECTURE_5X5["image"], LECTURE_5X5["kernel"], 1, 2)
    assert e.value == 3 and e.patches[0].tolist() == [[1, 1, 0], [1, 1, 1], [1, 1, 0]]


def test_x_filters_on_lecture_x():
    maps = x_feature_maps(LECTURE_X)
    diag = maps["X diagonal ╲"]
    assert diag.shape == (7, 7)
    assert [diag[i, i] for i in (1, 2, 4, 5)] == [1.0, 1.0, 1.0, 1.0]
    assert diag[0, 0] == pytest.approx(7 / 9)
    assert diag[0, 1] == pytest.approx(-1 / 9)
    assert maps["X centre ✕"][3, 3] == pytest.approx(1.0)
    assert maps["X diagonal ╱"][1, 5] == pytest.approx(1.0)


def test_canvas_to_grid_reads_ink():
    rgba = np.zeros((180, 180, 4), dtype=np.uint8)
    for i in range(180):
        rgba[i, max(0, i - 8):i + 8, 3] = 255
    grid = canvas_to_grid(rgba, 9)
    assert grid.shape == (9, 9)
    assert all(grid[i, i] == 1 for i in range(9)) and grid[0, 8] == -1


@pytest.mark.parametrize("cell,message", [
    ("", "is empty"), (None, "is empty"), ("abc", "not a number"), ("nan", "NaN"), (float("nan"), "NaN"),
    ("inf", "infinite"), ("-inf", "infinite"), ("1e300", "limited"), ("1/0", "not a number"),
])
def test_parse_kernel_rejects_bad_cells(cell, message):
    with pytest.raises(ValueError, match=message) as err:
        parse_kernel([["1", "2"], ["3", cell]])
    assert "Row 2, column 2" in str(err.value)


def test_parse_kernel_accepts_fractions_and_unicode_minus():
    k = parse_kernel([["1/9", "−1"], [0.5, "2,5"]])
    np.testing.assert_allclose(k, [[1 / 9, -1], [0.5, 2.5]])
    with pytest.raises(ValueError, match="at most 7×7"):
        parse_kernel([["1"] * 8])


def test_bad_stride_dilation_and_oversized_kernel():
    x = np.zeros((5, 5))
    with pytest.raises(ValueError, match="Stride"):
        conv2d(x, np.ones((3, 3)), stride=0)
    with pytest.raises(ValueError, match="Stride"):
        conv2d(x, np.ones((3, 3)), stride=-2)
    with pytest.raises(ValueError, match="does not fit"):
        conv2d(x, np.ones((7, 7)))
    with pytest.raises(ValueError, match="NaN"):
        conv2d(x, np.array([[np.nan]]))
    with pytest.raises(ValueError, match="outside"):
        explain_cell(x, np.ones((3, 3)), 3, 0)


def test_pool2d_equals_torch():
    x = np.random.default_rng(0).normal(size=(9, 11, 2))
    xt = torch.tensor(x).permute(2, 0, 1)[None]
    for size, stride in ((2, 2), (3, 2), (3, 3)):
        np.testing.assert_allclose(pool2d(x, size, stride, "max"), F.max_pool2d(xt, size, stride)[0].permute(1, 2, 0).numpy())
        np.testing.assert_allclose(pool2d(x, size, stride, "average"), F.avg_pool2d(xt, size, stride)[0].permute(1, 2, 0).numpy())


def test_normalise_and_display():
    np.testing.assert_allclose(normalise_kernel(np.ones((3, 3))), PRESETS["box blur 1/9"])
    with pytest.raises(ValueError, match="add up to 0"):
        normalise_kernel(PRESETS["Sobel x"])
    img, text = to_display(np.array([[-10.0, 100.0], [300.0, 0.0]]), "clip")
    assert img.tolist() == [[0, 100], [255, 0]] and "below 0" in text
    img, text = to_display(np.array([[-10.0, 100.0], [300.0, 0.0]]), "stretch")
    assert img.tolist() == [[0, 90], [255, 8]] and "-10" in text
    img, _ = to_display(np.array([[-10.0, 100.0]]), "abs")
    assert img.tolist() == [[10, 100]]


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate"])
@pytest.mark.parametrize("size", [3, 5, 7])
def test_uint8_photo_same_padding_fast_path_equals_torch(astronaut, mode, size):
    crop = astronaut[100:164, 200:280]
    k = np.random.default_rng(size).normal(size=(size, size))
    ours = conv2d(crop, k, padding="same", padding_mode=mode)
    xt = torch.tensor(crop, dtype=torch.float64).permute(2, 0, 1)[:, None]
    p = size // 2
    ref = F.conv2d(F.pad(xt, (p, p, p, p), mode={"zeros": "constant"}.get(mode, mode)), torch.tensor(k)[None, None])
    np.testing.assert_allclose(ours, ref[:, 0].permute(1, 2, 0).numpy(), atol=2e-3)
