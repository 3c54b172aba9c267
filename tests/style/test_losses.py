"""vision_core.style.losses: Gram matrices and losses by hand, the differentiable input recipes against Caffe's
preprocess and torchvision's normalize, VGG layer names, and VGG-19 offline then through a stubbed download."""

from __future__ import annotations

import io

import pytest
import torch
import torchvision

from tests.conftest import StubResponse
from vision_core.errors import BadInput
from vision_core.models import WeightsMissing, download_weights, get_model, get_spec, missing_requirements
from vision_core.models.vgg16 import preprocess
from vision_core.style import content_loss, gram_matrix, style_loss, to_network_input, vgg_layer_names
from vision_core.style.losses import output_index, style_weights


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
    with pytest.raises(BadInput, match="one image"):
        gram_matrix(torch.zeros(2, 3, 4, 4))
    assert content_loss(torch.zeros(3, 2, 2), torch.ones(3, 2, 2)).item() == pytest.approx(0.25)
    assert style_loss(torch.zeros(4, 4), 2 * torch.ones(4, 4)).item() == pytest.approx(1.0)


def test_differentiable_preprocessing_equals_caffe_preprocess(cat64):
    x = torch.from_numpy(cat64.transpose(2, 0, 1).copy()).float()[None] / 255.0
    torch.testing.assert_close(to_network_input(x, "vgg16"), preprocess(cat64), atol=1e-4, rtol=0)
    ref = torchvision.transforms.functional.normalize(x, (0.485, 0.456, 0.406), (0.229, 0.224, 0.225))
    torch.testing.assert_close(to_network_input(x, "vgg19"), ref)
    with pytest.raises(BadInput, match="Choose one of: vgg16, vgg19"):
        to_network_input(x, "resnet")


def test_layer_names_and_indices_match_torchvision():
    """conv names only; blockB_convN's activation is the ReLU after it, as in Keras."""
    assert len(vgg_layer_names("vgg19")) == 16 and len(vgg_layer_names("vgg16")) == 13
    assert len(vgg_layer_names("vgg19", convs_only=False)) == len(torchvision.models.vgg19(weights=None).features)
    feats = torchvision.models.vgg19(weights=None).features
    i = output_index("vgg19", "block4_conv4")
    assert isinstance(feats[i], torch.nn.ReLU) and isinstance(feats[i - 1], torch.nn.Conv2d)
    assert feats[i - 1].out_channels == 512 and output_index("vgg19", "block5_pool") == 36
    assert output_index("vgg16", "block1_conv1") == 1 and output_index("vgg16", "block4_conv2") == 20
    with pytest.raises(BadInput, match="no layer 'block6_conv1'"):
        output_index("vgg16", "block6_conv1")


def test_style_weights():
    assert style_weights(None) == {f"block{b}_conv1": 0.2 for b in range(1, 6)}
    assert style_weights(["block1_conv1", "block2_conv1"]) == {"block1_conv1": 0.5, "block2_conv1": 0.5}
    with pytest.raises(BadInput, match="at least one style layer"):
        style_weights([])


def test_vgg19_offline_then_stubbed_download(hub, relaxed_hash):
    spec = get_spec("vgg19_features")
    lines = missing_requirements(spec)
    assert len(lines) == 1 and "VGG19_Weights.IMAGENET1K_V1" in lines[0] and "548 MB" in lines[0]
    with pytest.raises(WeightsMissing):
        get_model("vgg19_features", "cpu")
    torch.manual_seed(0)
    reference = torchvision.models.vgg19(weights=None).features.eval()
    buf = io.BytesIO()
    torch.save({f"features.{k}": v for k, v in reference.state_dict().items()}, buf)
    path = download_weights("vgg19_features", opener=lambda url: StubResponse(buf.getvalue()))
    assert path.name == "vgg19-dcbb9e9d.pth"
    model = get_model("vgg19_features", "cpu")
    x = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(model(x), reference(x))
