"""vision_core.style.fast: fast style keeps the input's size and equals the bare onnxruntime call; blends are
normalised; arbitrary style's strength moves the result between the photo and the style."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
from PIL import Image

from vision_core.assets import asset_path
from vision_core.io.samples import load_sample
from vision_core.models import get_model
from vision_core.style import arbitrary_stylize, blend_weights, fast_stylize, style_thumbnails, style_vector


def test_fast_style_has_input_size_and_changes_it(sess26):
    img = np.ascontiguousarray(load_sample("astronaut")[100:201, 150:217])  # 101×67: not a multiple of 4
    out = fast_stylize(img, 7, session=sess26)
    assert out.image.shape == img.shape and out.image.dtype == np.uint8
    assert np.abs(out.image.astype(int) - img).mean() > 20
    assert out.seconds > 0 and out.provider == "CPUExecutionProvider"


def test_one_hot_blend_equals_the_single_style(sess26, coffee):
    img = np.asarray(Image.fromarray(coffee).resize((128, 84)))  # padded to 128×84 → multiple of 4 already
    single = fast_stylize(img, 3, session=sess26).image
    one_hot = fast_stylize(img, {3: 1.0, 12: 0.0}, session=sess26).image
    assert np.array_equal(single, one_hot)
    scaled = fast_stylize(img, {3: 5.0}, session=sess26).image
    assert np.array_equal(single, scaled), "weights are normalised to sum 1"
    x = (img.astype(np.float32) / 255.0).transpose(2, 0, 1)[None]
    w = np.zeros(26, np.float32)
    w[3] = 1.0
    raw = ort.InferenceSession(str(asset_path("style_multistyle26")), providers=["CPUExecutionProvider"])
    ref = raw.run(None, {"image": x, "style_weights": w})[0][0].transpose(1, 2, 0)
    assert np.abs(single.astype(float) - np.clip(ref, 0, 1) * 255).max() <= 0.51
    other = fast_stylize(img, 12, session=sess26).image
    half = fast_stylize(img, {3: 0.5, 12: 0.5}, session=sess26).image
    d = lambda a, b: np.abs(a.astype(int) - b).mean()  # noqa: E731
    assert d(half, single) > 5 and d(half, other) > 5 and d(half, single) < d(single, other)


def test_blend_weights_validation():
    w = blend_weights({1: 1.0, 2: 3.0})
    assert w.shape == (26,) and w.sum() == pytest.approx(1.0) and w[2] == pytest.approx(0.75)
    with pytest.raises(ValueError, match="0 to 25"):
        blend_weights({26: 1.0})
    with pytest.raises(ValueError, match="above zero"):
        blend_weights({1: 0.0})
    with pytest.raises(ValueError, match="zero or positive"):
        blend_weights({1: -1.0, 2: 2.0})
    with pytest.raises(ValueError, match="26 weights"):
        blend_weights([1.0, 2.0])


def test_thumbnails(sess26):
    thumbs = style_thumbnails(sess26, side=32)
    assert len(thumbs) == 26 and thumbs[0].shape == (32, 32, 3)
    assert len({t.tobytes() for t in thumbs}) == 26


def test_arbitrary_style_strength(hubble):
    pred = get_model("style_arbitrary_predict", "cpu")
    trans = get_model("style_arbitrary_transform", "cpu")
    img = np.asarray(Image.fromarray(load_sample("chelsea")).resize((200, 133)))
    vec = style_vector(hubble, session=pred)
    assert vec.shape == (1, 1, 1, 100) and np.isfinite(vec).all()
    full = arbitrary_stylize(img, hubble, 1.0, predictor=pred, transformer=trans)
    none = arbitrary_stylize(img, hubble, 0.0, predictor=pred, transformer=trans)
    assert full.image.shape == none.image.shape == img.shape
    d = lambda a: np.abs(a.astype(int) - img).mean()  # noqa: E731
    assert d(none.image) < 25 < d(full.image), (d(none.image), d(full.image))
    with pytest.raises(ValueError, match="between 0 and 1"):
        arbitrary_stylize(img, hubble, 1.5, predictor=pred, transformer=trans)
