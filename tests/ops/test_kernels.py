"""vision_core.ops.kernels: typed kernels (every bad cell named), presets, normalising, display mappings,
and one conv → ReLU → pool layer on a photo checked against torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from vision_core.errors import BadInput
from vision_core.ops.kernels import (
    KERNEL_PRESETS,
    apply_layer,
    normalise_kernel,
    parse_kernel,
    preset_kernel,
    start_kernel,
    to_display,
)

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




def test_normalise_and_display():
    np.testing.assert_allclose(normalise_kernel(np.ones((3, 3))), KERNEL_PRESETS["box blur 1/9"])
    with pytest.raises(ValueError, match="add up to 0"):
        normalise_kernel(KERNEL_PRESETS["Sobel x"])
    img, text = to_display(np.array([[-10.0, 100.0], [300.0, 0.0]]), "clip")
    assert img.tolist() == [[0, 100], [255, 0]] and "below 0" in text
    img, text = to_display(np.array([[-10.0, 100.0], [300.0, 0.0]]), "stretch")
    assert img.tolist() == [[0, 90], [255, 8]] and "-10" in text
    img, _ = to_display(np.array([[-10.0, 100.0]]), "abs")
    assert img.tolist() == [[10, 100]]


def test_presets_and_start_kernels():
    k = preset_kernel("Sobel x")
    assert k.tolist() == [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    k[0, 0] = 99
    assert KERNEL_PRESETS["Sobel x"][0, 0] == -1, "a copy: editing it leaves the preset alone"
    assert KERNEL_PRESETS["Gaussian 5×5"].sum() == pytest.approx(1.0) and KERNEL_PRESETS["Gaussian 5×5"][2, 2] == 36 / 256
    with pytest.raises(BadInput, match="Unknown kernel preset 'Sobel z'. Choose one of: identity"):
        preset_kernel("Sobel z")
    assert start_kernel("custom", 5).tolist() == np.pad([[1.0]], 2).tolist()
    assert start_kernel("custom", 1).tolist() == [[1.0]]
    assert np.array_equal(start_kernel("sharpen"), KERNEL_PRESETS["sharpen"])
    with pytest.raises(BadInput, match="1 to 7"):
        start_kernel("custom", 8)


def test_apply_layer_is_grey_conv_relu_pool(chelsea):
    k = KERNEL_PRESETS["edge (−1 … 8 … −1)"]
    out = apply_layer(chelsea, k, grey=True, stride=1, padding=1, bias=-10.0, relu=True, pool="max", pool_size=2,
                      pool_stride=2, display="stretch")
    grey = torch.tensor(out.input, dtype=torch.float32)[None, None]
    ref = F.max_pool2d(torch.relu(F.conv2d(grey, torch.tensor(k, dtype=torch.float32)[None, None], padding=1) - 10), 2)
    assert out.input.shape == chelsea.shape[:2] and out.raw.shape == chelsea.shape[:2]
    np.testing.assert_allclose(out.output, ref[0, 0].numpy(), atol=1e-3)
    assert out.low == pytest.approx(float(ref.min()), abs=1e-3) and out.low >= 0
    assert out.display.dtype == np.uint8 and out.display.max() == 255 and out.display.min() == 0
    assert out.mapping.startswith("minimum")
    rgb = apply_layer(chelsea, k, grey=False, padding="same")
    assert rgb.raw.shape == chelsea.shape and rgb.display.shape == chelsea.shape


def test_a_kernel_travels_in_the_link_and_back():
    from vision_core.ops.kernels import kernel_from_text, kernel_to_text

    sobel = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], float)
    assert kernel_to_text(sobel) == "1~0~-1_2~0~-2_1~0~-1"
    np.testing.assert_array_equal(kernel_from_text("1~0~-1_2~0~-2_1~0~-1"), sobel)
    np.testing.assert_allclose(kernel_from_text(kernel_to_text(np.full((3, 3), 1 / 9))), np.full((3, 3), 1 / 9), rtol=1e-6)
    for bad in ("", "1~2_3", "1~x_1~1", "1~nan", "_".join(["1~1"] * 9)):
        with pytest.raises(ValueError):
            kernel_from_text(bad)
