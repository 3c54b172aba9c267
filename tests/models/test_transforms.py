"""vision_core.models.transforms: each executable recipe computes what its sentence says (hand-checked values)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from vision_core.models.transforms import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    CaffeBGR,
    ImagePyramid,
    ImagenetRGB,
    Letterboxed,
    Pipeline,
    ResizeCropNormalize,
    RotatedCrop,
    ShorterSideNormalize,
    Stretch,
    ToUnitTensor,
    UnitRange,
    imagenet_normalize,
)


def _image(h: int = 40, w: int = 60, value: int = 200) -> np.ndarray:
    return np.full((h, w, 3), value, np.uint8)


def test_caffe_bgr_subtracts_the_means_in_bgr_order():
    img = _image()
    img[..., 0] = 10  # red
    x = CaffeBGR()(img)
    assert tuple(x.shape) == (1, 3, 40, 60)
    assert x[0, 2, 0, 0].item() == pytest.approx(10 - 123.68)  # red is the last BGR channel
    assert x[0, 0, 0, 0].item() == pytest.approx(200 - 103.939)
    torch.testing.assert_close(CaffeBGR().from_unit(torch.from_numpy(img).permute(2, 0, 1)[None].float() / 255), x)
    assert CaffeBGR().text == "BGR, 0–255, minus (103.939, 116.779, 123.68)"


def test_imagenet_normalisation_once():
    x = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1).expand(1, 3, 2, 2).clone()
    assert imagenet_normalize(x).abs().max().item() < 1e-6
    one = imagenet_normalize(torch.ones(1, 3, 1, 1))[0, :, 0, 0]
    np.testing.assert_allclose(one.numpy(), [(1 - m) / s for m, s in zip(IMAGENET_MEAN, IMAGENET_STD)], rtol=1e-6)
    torch.testing.assert_close(ImagenetRGB().from_unit(torch.ones(1, 3, 1, 1)), imagenet_normalize(torch.ones(1, 3, 1, 1)))


def test_resize_crop_normalize_geometry_and_text():
    r = ResizeCropNormalize(64, 48, (127.0,) * 3, (128.0,) * 3)
    p = r(_image(100, 200, 255))
    assert p.resized.shape == (64, 128, 3) and p.crop.shape == (48, 48, 3) and (p.left, p.top) == (40, 8)
    assert p.tensor.shape == (1, 3, 48, 48) and p.tensor.max().item() == pytest.approx(1.0)
    assert r.text == "shorter side → 64, centre crop 48, (x − 127) / 128"
    assert ResizeCropNormalize.imagenet(232).text.endswith("(x/255 − (0.485, 0.456, 0.406)) / (0.229, 0.224, 0.225)")


def test_letterboxed_range_and_layout():
    t = Letterboxed(32, fill=0.0, low=-1.0, high=1.0, chw=False)
    x, box = t(_image(16, 32, 255))
    assert x.shape == (32, 32, 3) and box.dy == 8
    assert x[0, 0, 0] == pytest.approx(-1.0) and x[16, 16, 0] == pytest.approx(1.0)
    assert t.text == "letterbox to 32×32 (aspect kept, black 0 borders), RGB scaled to [-1, 1]"
    y, _ = Letterboxed(32)(_image(16, 32, 255))
    assert y.shape == (3, 32, 32) and y[0, 0, 0] == pytest.approx(0.5)


def test_stretch_unit_tensor_and_shorter_side():
    s = Stretch(8, 4)(_image(40, 60, 51))
    assert s.shape == (4, 8, 3) and s.max() == pytest.approx(0.2)
    assert Stretch(256, 144).text == "RGB stretched to 256 wide × 144 high, values in [0, 1]"
    u = ToUnitTensor()(_image(10, 20, 255))
    assert tuple(u.shape) == (3, 10, 20) and u.max().item() == 1.0
    v = ShorterSideNormalize(20)(_image(40, 60, 124))
    assert tuple(v.shape) == (1, 3, 20, 30)
    assert v[0, 0, 5, 5].item() == pytest.approx((124 / 255 - 0.485) / 0.229, abs=1e-5)
    assert UnitRange(-1, 1)(np.array([0, 255], np.uint8)).tolist() == [-1.0, 1.0]


def test_pyramid_scales_are_mtcnns():
    p = ImagePyramid()
    scales = p.scales(300, min_face=20)
    assert scales[0] == pytest.approx(0.6) and scales[1] == pytest.approx(0.6 * 0.709)
    assert 300 * scales[-1] >= 12 > 300 * scales[-1] * 0.709
    assert p.normalise(np.array([0, 255])).tolist() == pytest.approx([-127.5 / 128, 127.5 / 128])
    assert Pipeline((("a", RotatedCrop(256, 1.25)), ("b", UnitRange()))).text == (
        "a: rotated 256×256 crop, 1.25× the box, [0, 1]; b: RGB scaled to [0, 1]")
