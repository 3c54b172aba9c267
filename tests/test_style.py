"""vision_core.style: Gram matrices, Gatys optimisation on the embedded VGG-16, fast and arbitrary ONNX style."""

from __future__ import annotations

import io

import numpy as np
import onnxruntime as ort
import pytest
import torch
import torchvision
from PIL import Image
from skimage.metrics import structural_similarity

from vision_core.models import _api as models
from vision_core.assets import asset_path
from vision_core.models import download_weights, get_model, get_spec, missing_requirements
from vision_core.io.samples import load_sample
from vision_core.style import (
    STYLE_CHOICES,
    arbitrary_stylize,
    blend_weights,
    content_loss,
    explain_layer,
    fast_stylize,
    gatys,
    gram_matrix,
    layer_names,
    style_image,
    style_loss,
    style_thumbnails,
    style_vector,
    to_network_input,
)
from vision_core.models.vgg16 import preprocess


@pytest.fixture(scope="module")
def vgg() -> torch.nn.Module:
    return get_model("vgg16_features", "cpu")


@pytest.fixture(scope="module")
def cat64() -> np.ndarray:
    """Chelsea's face, a 64×64 square."""
    crop = load_sample("chelsea")[0:300, 80:380]
    return np.asarray(Image.fromarray(crop).resize((64, 64), Image.Resampling.LANCZOS))


@pytest.fixture(scope="module")
def hubble() -> np.ndarray:
    return load_sample("hubble_deep_field")


@pytest.fixture(scope="module")
def sess26():
    return get_model("style_multistyle26", "cpu")


def test_gram_matrix_golden():
    f = torch.tensor([[[1.0, 2.0], [3.0, 4.0]], [[0.0, 1.0], [0.0, 1.0]]])  # (C=2, H=2, W=2)
    g = gram_matrix(f)
    # channel 0 = (1, 2, 3, 4), channel 1 = (0, 1, 0, 1): sums of products / 4 positions
    expected = torch.tensor([[30 / 4, 6 / 4], [6 / 4, 2 / 4]])
    torch.testing.assert_close(g, expected)
    torch.testing.assert_close(gram_matrix(f[None]), expected)
    big = torch.randn(8, 5, 7)
    flat = big.reshape(8, 35)
    torch.testing.assert_close(gram_matrix(big), torch.einsum("ik,jk->ij", flat, flat) / 35)
    with pytest.raises(ValueError, match="one image"):
        gram_matrix(torch.zeros(2, 3, 4, 4))
    assert content_loss(torch.zeros(3, 2, 2), torch.ones(3, 2, 2)).item() == pytest.approx(0.25)
    assert style_loss(torch.zeros(4, 4), 2 * torch.ones(4, 4)).item() == pytest.approx(1.0)


def test_differentiable_preprocessing_equals_caffe_preprocess(cat64):
    x = torch.from_numpy(cat64.transpose(2, 0, 1).copy()).float()[None] / 255.0
    torch.testing.assert_close(to_network_input(x, "vgg16"), preprocess(cat64), atol=1e-4, rtol=0)
    ref = torchvision.transforms.functional.normalize(x, (0.485, 0.456, 0.406), (0.229, 0.224, 0.225))
    torch.testing.assert_close(to_network_input(x, "vgg19"), ref)


def test_gatys_from_noise_halves_the_loss(vgg, cat64, hubble):
    before = [p.clone() for p in vgg.parameters()]
    run = list(gatys(cat64, hubble, steps=20, size=64, init="noise", optimizer="adam", seed=0, every=10, model=vgg,
                     threads=1))
    assert [s.step for s in run] == list(range(21))
    assert [s.step for s in run if s.image is not None] == [0, 10, 20]
    assert run[-1].image.shape == (64, 64, 3) and run[-1].image.dtype == np.uint8
    first, last = run[0].losses, run[-1].losses
    assert last.total <= 0.5 * first.total, (first, last)
    assert last.style <= (2 / 3) * first.style, "the Gram distance to the style drops by at least a third"
    assert [n for n, _ in first.per_layer] == [f"block{b}_conv1" for b in range(1, 6)]
    assert first.total == pytest.approx(first.content + 1e-5 * first.style, rel=1e-5)
    assert all(torch.equal(a, b) for a, b in zip(before, vgg.parameters())), "the shared model is never changed"
    assert not any(p.requires_grad for p in vgg.parameters())
    again = next(gatys(cat64, hubble, steps=20, size=64, seed=0, model=vgg))
    other = next(gatys(cat64, hubble, steps=20, size=64, seed=1, model=vgg))
    assert np.array_equal(again.image, run[0].image) and not np.array_equal(other.image, run[0].image)


def test_content_init_keeps_the_content(vgg, cat64, hubble):
    run = list(gatys(cat64, hubble, steps=20, size=64, init="content", seed=0, every=20, model=vgg, threads=1))
    assert run[0].losses.content == pytest.approx(0.0, abs=1e-6)
    final = run[-1].image
    ssim = structural_similarity(cat64, final, channel_axis=2, data_range=255)
    assert ssim > 0.5, ssim
    assert not np.array_equal(final, cat64)


def test_lbfgs_and_style_init(vgg, cat64, hubble):
    run = list(gatys(cat64, hubble, steps=3, size=64, init="style", optimizer="lbfgs", model=vgg, every=3,
                     threads=1))
    assert run[-1].losses.total < run[0].losses.total
    assert run[0].image.shape == (64, 64, 3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"content_layer": "block6_conv1"}, "no layer"),
        ({"init": "zeros"}, "Initialisation"),
        ({"optimizer": "sgd"}, "Optimiser"),
        ({"style_layers": {"block1_conv1": 0.0}}, "λ above zero"),
        ({"style_layers": {"block1_conv1": -1.0}}, "zero or positive"),
        ({"steps": 0}, "Iterations"),
        ({"size": 4000}, "output size"),
        ({"alpha": 0.0, "beta": 0.0}, "not both zero"),
        ({"threads": 0}, "threads"),
    ],
)
def test_gatys_refuses_bad_settings_at_the_call(vgg, cat64, kwargs, message):
    with pytest.raises(ValueError, match=message):
        gatys(cat64, cat64, model=vgg, **kwargs)


def test_threads_setting_is_restored(vgg, cat64, hubble):
    before = torch.get_num_threads()
    seen = [torch.get_num_threads() for _ in gatys(cat64, hubble, steps=1, size=32, threads=1, model=vgg)]
    assert seen == [1, 1] and torch.get_num_threads() == before


def test_inplace_relu_network_is_used_unchanged(cat64, hubble):
    """torchvision's VGG-19 features use ReLU(inplace=True); gatys never changes the shared modules."""
    torch.manual_seed(0)
    feats = torchvision.models.vgg19(weights=None).features.eval().requires_grad_(False)
    run = list(gatys(cat64, hubble, steps=2, size=32, network="vgg19", content_layer="block4_conv4", model=feats))
    assert np.isfinite(run[-1].losses.total)
    assert all(m.inplace for m in feats if isinstance(m, torch.nn.ReLU))
    assert len(layer_names("vgg19")) == 16 and len(layer_names("vgg16")) == 13


def test_explain_layer(vgg, cat64, hubble):
    view = explain_layer(cat64, hubble, hubble, "block1_conv1", size=64, channels=16, maps=4, model=vgg)
    assert view.shape[0] == 64 and view.gram_style.shape == (16, 16)
    assert view.style_distance == pytest.approx(0.0, abs=1e-6), "G = S has S's Gram matrix"
    np.testing.assert_allclose(view.gram_style, view.gram_style.T, rtol=1e-5)
    assert view.maps_content.shape[0] == 4 and view.maps_content.max() == pytest.approx(1.0)
    same = explain_layer(cat64, hubble, cat64, "block4_conv2", size=64, model=vgg)
    assert same.content_distance == pytest.approx(0.0, abs=1e-6)
    assert same.style_distance > 0


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


def test_thumbnails_and_offline_style_images(sess26):
    thumbs = style_thumbnails(sess26, side=32)
    assert len(thumbs) == 26 and thumbs[0].shape == (32, 32, 3)
    assert len({t.tobytes() for t in thumbs}) == 26
    assert style_image("brick").shape == (512, 512, 3)
    painted = style_image("painted_3", session=sess26, side=96)
    assert painted.shape == (64, 96, 3)
    assert "hubble_deep_field" in STYLE_CHOICES
    with pytest.raises(ValueError, match="Unknown style image"):
        style_image("painted_99")


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


# ----------------------------------------------------------------- VGG-19 from torchvision (offline + stubbed download)


class _Response(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.headers = {"Content-Length": str(len(data))}


def test_vgg19_offline_then_stubbed_download(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    spec = get_spec("vgg19_features")
    lines = missing_requirements(spec)
    assert len(lines) == 1 and "VGG19_Weights.IMAGENET1K_V1" in lines[0] and "548 MB" in lines[0]
    with pytest.raises(models.WeightsMissing):
        get_model("vgg19_features", "cpu")
    torch.manual_seed(0)
    reference = torchvision.models.vgg19(weights=None).features.eval()
    buf = io.BytesIO()
    torch.save({f"features.{k}": v for k, v in reference.state_dict().items()}, buf)
    monkeypatch.setattr(models, "_HASH_IN_NAME", models.re.compile(r"^\b$"))
    path = download_weights("vgg19_features", opener=lambda url: _Response(buf.getvalue()))
    assert path.name == "vgg19-dcbb9e9d.pth"
    model = get_model("vgg19_features", "cpu")
    x = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(model(x), reference(x))
