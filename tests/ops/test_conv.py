"""vision_core.ops.conv: conv2d / explain_cell / pool2d against torch.nn.functional and OpenCV, the lecture's
numbers (the RGB example's −25, the 5×5 feature map), and the X-or-X filters as on the slides."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from scipy.signal import correlate2d

from vision_core.ops.conv import (
    LECTURE_5X5,
    LECTURE_RGB,
    LECTURE_X,
    X_FILTER_NAMES,
    X_FILTERS,
    conv2d,
    draw_x,
    explain_cell,
    pool2d,
    x_picture,
    x_responses,
)
from vision_core.ops.kernels import KERNEL_PRESETS

SLIDES_X = np.array([
    [-1, -1, -1, -1, -1, -1, -1, -1, -1],
    [-1, 1, -1, -1, -1, -1, -1, 1, -1],
    [-1, -1, 1, -1, -1, -1, 1, -1, -1],
    [-1, -1, -1, 1, -1, 1, -1, -1, -1],
    [-1, -1, -1, -1, 1, -1, -1, -1, -1],
    [-1, -1, -1, 1, -1, 1, -1, -1, -1],
    [-1, -1, 1, -1, -1, -1, 1, -1, -1],
    [-1, 1, -1, -1, -1, -1, -1, 1, -1],
    [-1, -1, -1, -1, -1, -1, -1, -1, -1],
])
"""The lecture's X, typed from the slide."""


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
    k = KERNEL_PRESETS["Sobel x"]
    out = conv2d(chelsea, k, stride=2, padding=1)
    assert out.dtype == np.float32 and out.shape == (150, 226, 3)
    xt = torch.tensor(chelsea, dtype=torch.float32).permute(2, 0, 1)[:, None]
    ref = F.conv2d(xt, torch.tensor(k, dtype=torch.float32)[None, None], stride=2, padding=1)[:, 0].permute(1, 2, 0).numpy()
    np.testing.assert_allclose(out, ref, atol=1e-3)
    e = explain_cell(chelsea, k, 40, 70, stride=2, padding=1, channel=2)
    assert e.value == pytest.approx(float(out[40, 70, 2]), abs=1e-3)


def test_same_padding_keeps_size_and_matches_opencv_blur(coffee):
    grey = cv2.cvtColor(coffee, cv2.COLOR_RGB2GRAY)
    out = conv2d(grey, KERNEL_PRESETS["box blur 1/9"], padding="same", padding_mode="reflect")
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
    assert np.array_equal(LECTURE_X, SLIDES_X) and X_FILTER_NAMES == ("diagonal ╲", "crossing ✕", "diagonal ╱")
    maps = x_responses(LECTURE_X).maps
    diag = maps[0]
    assert diag.shape == (7, 7)
    assert [diag[i, i] for i in (1, 2, 4, 5)] == [1.0, 1.0, 1.0, 1.0]
    assert diag[0, 0] == pytest.approx(7 / 9)
    assert diag[0, 1] == pytest.approx(-1 / 9)
    assert maps[1][3, 3] == pytest.approx(1.0)
    assert maps[2][1, 5] == pytest.approx(1.0)
    for name, k in zip(("X diagonal ╲", "X centre ✕", "X diagonal ╱"), X_FILTERS):
        assert np.array_equal(KERNEL_PRESETS[name], k), "the presets are the lecture's filters"


def test_x_or_x_as_on_the_slides():
    x = draw_x(9)
    assert np.array_equal(x, SLIDES_X)
    r = x_responses(x)
    assert r.maps.shape == (3, 7, 7)
    for f in range(3):
        assert np.allclose(r.maps[f], correlate2d(x, X_FILTERS[f], mode="valid") / 9)
    assert r.maps[0, 1, 1] == 1.0 and r.maps[1, 3, 3] == 1.0 and r.maps[2, 1, 5] == 1.0
    assert r.maps[0, 0, 0] == pytest.approx(7 / 9)
    assert r.perfect.tolist() == [4, 1, 4] and r.pixel_agreement == 1.0
    shifted = x_responses(draw_x(9, shift=(1, 0)))
    assert shifted.pixel_agreement == pytest.approx(55 / 81)
    assert shifted.peak.tolist() == [1.0, 1.0, 1.0]
    turned = x_responses(draw_x(9, rotation=45))
    assert turned.perfect.tolist() == [0, 0, 0] and turned.peak.max() < 0.5
    assert turned.pixel_agreement == pytest.approx(53 / 81)
    both = x_responses(draw_x(9, shift=(1, 0), rotation=45))
    assert both.pixel_agreement == pytest.approx(58 / 81) and both.peak * 9 == pytest.approx([3, 1, 3])
    small = x_responses(draw_x(9, scale=0.5))
    assert small.peak.tolist() == [1.0, 1.0, 1.0] and small.perfect.tolist() == [2, 1, 2]
    with pytest.raises(ValueError):
        draw_x(3)
    with pytest.raises(ValueError, match="2-D grid"):
        x_responses(np.ones((2, 5)))


def test_x_picture_frames_the_grid():
    pic = x_picture(SLIDES_X, 198)
    assert pic.shape == (198, 198) and pic.dtype == np.uint8
    cell = 198 // 11
    assert pic[0, 0] == 127, "the frame (0) is mid-grey"
    assert pic[cell + 1, cell + 1] == 0, "grid cell (0, 0) is −1 background: black"
    assert pic[2 * cell + 1, 2 * cell + 1] == 255, "grid cell (1, 1) is +1 ink: white"
    assert pic[-1, -1] == 127 and pic[cell * 5 + 1, cell * 5 + 1] == 255, "frame at the far corner, ink at the centre"


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
