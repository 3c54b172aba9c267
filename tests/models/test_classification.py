"""vision_core.models.classification: the four ImageNet classifiers, their executable preprocessing against
torchvision's own transforms, and the torchvision ones offline / with a stubbed download."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torchvision
from PIL import Image
from torchvision.transforms import v2

from tests.conftest import StubResponse, state_dict_bytes
from vision_core.classify import classify, prepare
from vision_core.models import WeightsMissing, download_weights, get_model, get_spec, list_models, missing_requirements
from vision_core.models.classification import CAM_LAYERS, IMAGENET_CLASSES


def test_labels_are_torchvisions_imagenet_classes():
    assert len(IMAGENET_CLASSES) == 1000
    assert IMAGENET_CLASSES[281:286] == ("tabby", "tiger cat", "Persian cat", "Siamese cat", "Egyptian cat")
    assert IMAGENET_CLASSES[967] == "espresso" and IMAGENET_CLASSES[968] == "cup"


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


def test_preprocessing_text_is_derived_from_the_numbers_that_run():
    assert get_spec("efficientnet_lite0").preprocessing_text == "shorter side → 256, centre crop 224, (x − 127) / 128"
    assert get_spec("resnet50").preprocessing_text == (
        "shorter side → 232, centre crop 224, (x/255 − (0.485, 0.456, 0.406)) / (0.229, 0.224, 0.225)")
    assert get_spec("vgg16").preprocessing.resize == 256 and get_spec("mobilenet_v3_large").preprocessing.resize == 232
    for name in ("resnet50", "vgg16", "mobilenet_v3_large"):
        t = get_spec(name).weights.resolve().transforms()
        assert (t.resize_size[0], t.crop_size[0]) == (get_spec(name).preprocessing.resize, get_spec(name).preprocessing.crop)


def test_torchvision_classifiers_are_registered_and_offline_says_what_is_missing(hub):
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
    assert {s.name for s in list_models("classification")} >= {"efficientnet_lite0", *expected}
    assert get_spec("efficientnet_lite0").embedded and not missing_requirements(get_spec("efficientnet_lite0"))


def test_mobilenet_v3_with_stubbed_download_classifies(hub, relaxed_hash, coffee):
    """weights=None network saved as the download (hash check relaxed); then the real classify path runs on it."""
    torch.manual_seed(0)
    reference = torchvision.models.mobilenet_v3_large(weights=None).eval()
    path = download_weights("mobilenet_v3_large", opener=lambda url: StubResponse(state_dict_bytes(reference)))
    assert path.name == "mobilenet_v3_large-5c1a4163.pth"
    net = get_model("mobilenet_v3_large", "cpu")
    top = classify(coffee, "mobilenet_v3_large", top_k=3, net=net)
    p = prepare(coffee, "mobilenet_v3_large")
    with torch.no_grad():
        probs = torch.softmax(reference(p.tensor), 1)[0]
    idx = probs.topk(3).indices.tolist()
    assert [label for label, _ in top] == [IMAGENET_CLASSES[i] for i in idx]
    assert [v for _, v in top] == pytest.approx(probs[idx].tolist(), abs=1e-5)
    assert CAM_LAYERS["mobilenet_v3_large"] in dict(net.named_modules())
