"""vision_core.classify: EfficientNet-Lite0 from the embedded weights on bundled photos, the preprocessing
against torchvision's transforms, TF "SAME" padding, and the torchvision classifiers offline / with a stubbed download."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from torchvision.transforms import v2

from vision_core.models import _api as models
from vision_core.classify import (
    CLASSIFIERS,
    IMAGENET_CLASSES,
    Conv2dSame,
    EfficientNetLite0,
    classify,
    classify_prepared,
    prepare,
    preprocessing_steps,
)
from vision_core.models import WeightsMissing, download_weights, get_model, get_spec, missing_requirements

CATS = {"tabby", "tiger cat", "Egyptian cat"}


@pytest.fixture(scope="module")
def lite0() -> torch.nn.Module:
    return get_model("efficientnet_lite0", "cpu")


def test_labels_are_torchvisions_imagenet_classes():
    assert len(IMAGENET_CLASSES) == 1000
    assert IMAGENET_CLASSES[281:286] == ("tabby", "tiger cat", "Persian cat", "Siamese cat", "Egyptian cat")
    assert IMAGENET_CLASSES[967] == "espresso" and IMAGENET_CLASSES[968] == "cup"


def test_state_dict_loads_strictly_and_has_lite0_size(lite0):
    from vision_core.assets import asset_path

    state = torch.load(asset_path("efficientnet_lite0"), weights_only=True)
    fresh = EfficientNetLite0()
    missing, unexpected = fresh.load_state_dict(state, strict=True)
    assert not missing and not unexpected and len(state) == 296
    assert sum(p.numel() for p in lite0.parameters()) == 4_652_008  # EfficientNet-Lite0 as published (4.65 M)
    assert lite0._bn0.eps == pytest.approx(1e-3)
    assert not lite0.training and not any(p.requires_grad for p in lite0.parameters())


def test_chelsea_is_a_cat(chelsea, lite0):
    top5 = classify(chelsea, net=lite0)
    labels = [label for label, _ in top5]
    assert CATS & set(labels[:3]), top5
    probs = [p for _, p in top5]
    assert probs == sorted(probs, reverse=True) and 0.9 < sum(probs) <= 1.0 + 1e-6


def test_coffee_is_espresso(coffee, lite0):
    top5 = classify(coffee, net=lite0)
    assert {"espresso", "cup"} & {label for label, _ in top5}
    assert top5[0][0] == "espresso" and top5[0][1] > 0.9  # ASSETS.md: espresso 0.95


def test_classify_builds_the_default_model_itself(coffee):
    assert classify(coffee, top_k=1)[0][0] == "espresso"


def test_bad_arguments_are_explained(chelsea, lite0):
    with pytest.raises(ValueError, match="top_k"):
        classify(chelsea, top_k=0, net=lite0)
    with pytest.raises(ValueError, match="Unknown classifier"):
        classify(chelsea, model="alexnet", net=lite0)
    with pytest.raises(ValueError, match=r"\(H, W, 3\)"):
        classify(np.zeros((10, 10), np.uint8), net=lite0)


def test_tf_same_padding_is_asymmetric_for_stride_2():
    torch.manual_seed(0)
    for k, size, pads in [(3, 224, (0, 1, 0, 1)), (5, 112, (1, 2, 1, 2)), (3, 225, (1, 1, 1, 1)), (5, 28, (1, 2, 1, 2))]:
        conv = Conv2dSame(4, 6, k, stride=2, bias=False)
        x = torch.randn(1, 4, size, size)
        expected = F.conv2d(F.pad(x, pads), conv.weight, stride=2)
        got = conv(x)
        assert got.shape[-1] == -(-size // 2)
        torch.testing.assert_close(got, expected)
    conv = Conv2dSame(4, 4, 5, stride=1, groups=4, bias=False)
    x = torch.randn(2, 4, 14, 14)
    torch.testing.assert_close(conv(x), F.conv2d(F.pad(x, (2, 2, 2, 2)), conv.weight, groups=4))


def test_preprocessing_matches_torchvision_transforms(chelsea):
    p = prepare(chelsea)
    pipeline = v2.Compose([
        v2.PILToTensor(), v2.Resize(256, antialias=True), v2.CenterCrop(224), v2.ToDtype(torch.float32, scale=True),
        v2.Normalize([127 / 255] * 3, [128 / 255] * 3),
    ])
    reference = torchvision.transforms.functional.pil_to_tensor(Image.fromarray(chelsea))
    expected = pipeline(Image.fromarray(chelsea))[None]
    assert reference.shape == (3, 300, 451)
    assert p.tensor.shape == (1, 3, 224, 224) and p.resized.shape == (256, 384, 3)
    assert (p.left, p.top) == (80, 16)
    assert (p.tensor - expected).abs().max() < 2 / 128 + 1e-6  # PIL vs torch antialiased bilinear: ≤ 2 grey levels
    assert (p.tensor - expected).abs().mean() < 0.2 / 128
    x0, y0 = p.to_original(0, 0)
    assert x0 == pytest.approx(80 * 451 / 384) and y0 == pytest.approx(16 * 300 / 256, rel=1e-2)


def test_normalisation_is_x_minus_127_over_128(coffee):
    p = prepare(coffee)
    np.testing.assert_allclose(p.tensor[0].permute(1, 2, 0).numpy(), (p.crop.astype(np.float32) - 127) / 128, atol=1e-6)
    tv = prepare(coffee, "resnet50")
    assert tv.resized.shape[0] == 232
    np.testing.assert_allclose(
        tv.tensor[0, 0].numpy(), (tv.crop[..., 0].astype(np.float32) / 255 - 0.485) / 0.229, atol=1e-5
    )


def test_preprocessing_steps_are_images(chelsea):
    steps = preprocessing_steps(chelsea)
    assert [s.title for s in steps] == ["Your photo", "Resize", "Centre crop", "Normalise"]
    assert [s.image.shape for s in steps] == [(300, 451, 3), (256, 384, 3), (224, 224, 3), (224, 3 * 224 + 12, 3)]
    assert all(s.image.dtype == np.uint8 for s in steps)
    assert "384×256" in steps[1].caption and "(1, 3, 224, 224)" in steps[3].caption


def test_torchvision_classifiers_are_registered_and_offline_says_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    expected = {"resnet50": "resnet50-11ad3fa6.pth", "vgg16": "vgg16-397923af.pth",
                "mobilenet_v3_large": "mobilenet_v3_large-5c1a4163.pth"}
    for name, filename in expected.items():
        spec = get_spec(name)
        assert spec.task == "classification" and spec.weights.filename == filename
        assert spec.classes == IMAGENET_CLASSES
        lines = missing_requirements(spec)
        assert len(lines) == 1 and "download.pytorch.org" in lines[0]
        with pytest.raises(WeightsMissing, match="download button"):
            get_model(name)
    assert {s.name for s in models.list_models("classification")} >= {"efficientnet_lite0", *expected}
    assert get_spec("efficientnet_lite0").embedded and not missing_requirements(get_spec("efficientnet_lite0"))


class _Response(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.headers = {"Content-Length": str(len(data))}


def test_mobilenet_v3_with_stubbed_download_classifies(tmp_path, monkeypatch, coffee):
    """weights=None network saved as the download (hash check relaxed); then the real classify path runs on it."""
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    monkeypatch.setattr(models, "_HASH_IN_NAME", models.re.compile(r"^\b$"))
    torch.manual_seed(0)
    reference = torchvision.models.mobilenet_v3_large(weights=None).eval()
    buf = io.BytesIO()
    torch.save(reference.state_dict(), buf)
    path = download_weights("mobilenet_v3_large", opener=lambda url: _Response(buf.getvalue()))
    assert path.name == "mobilenet_v3_large-5c1a4163.pth"
    net = get_model("mobilenet_v3_large", "cpu")
    top = classify(coffee, "mobilenet_v3_large", top_k=3, net=net)
    p = prepare(coffee, "mobilenet_v3_large")
    with torch.no_grad():
        probs = torch.softmax(reference(p.tensor), 1)[0]
    idx = probs.topk(3).indices.tolist()
    assert [label for label, _ in top] == [IMAGENET_CLASSES[i] for i in idx]
    assert [v for _, v in top] == pytest.approx(probs[idx].tolist(), abs=1e-5)
    assert CLASSIFIERS["mobilenet_v3_large"].cam_layer in dict(net.named_modules())


def test_classify_prepared_matches_manual_softmax(coffee, lite0):
    p = prepare(coffee)
    with torch.no_grad():
        probs = torch.softmax(lite0(p.tensor), 1)[0]
    top = classify_prepared(p, lite0, 2)
    assert top[0] == ("espresso", pytest.approx(float(probs[967]), abs=1e-6))
