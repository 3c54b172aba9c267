"""vision_core.models.efficientnet_lite: the embedded state_dict loads strictly, TF "SAME" padding, and
activations read by a plain forward pass equal the full network's."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from vision_core.assets import asset_path
from vision_core.models import get_model
from vision_core.models.efficientnet_lite import Conv2dSame, EfficientNetLite0, activation_names, activations


@pytest.fixture(scope="module")
def lite0() -> torch.nn.Module:
    return get_model("efficientnet_lite0", "cpu")


def test_state_dict_loads_strictly_and_has_lite0_size(lite0):
    state = torch.load(asset_path("efficientnet_lite0"), weights_only=True)
    fresh = EfficientNetLite0()
    missing, unexpected = fresh.load_state_dict(state, strict=True)
    assert not missing and not unexpected and len(state) == 296
    assert sum(p.numel() for p in lite0.parameters()) == 4_652_008  # EfficientNet-Lite0 as published (4.65 M)
    assert lite0._bn0.eps == pytest.approx(1e-3)
    assert not lite0.training and not any(p.requires_grad for p in lite0.parameters())


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


def test_activations_stop_early_and_equal_the_full_forward(lite0):
    torch.manual_seed(0)
    x = torch.randn(1, 3, 224, 224)
    names = activation_names(lite0)
    assert names[0] == "_act_stem" and names[-1] == "_act_head" and len(names) == 18
    out = activations(lite0, x, ("_act_stem", "_blocks.3", "_act_head"))
    assert tuple(out["_act_stem"].shape) == (1, 32, 112, 112)
    assert tuple(out["_blocks.3"].shape) == (1, 40, 28, 28)
    assert tuple(out["_act_head"].shape) == (1, 1280, 7, 7)
    with torch.no_grad():
        pooled = lite0.forward_features(x)
    torch.testing.assert_close(out["_act_head"].mean(dim=(2, 3)), pooled)
    assert set(activations(lite0, x, "_blocks.0")) == {"_blocks.0"}
    with pytest.raises(ValueError, match="no layer '_blocks.99'"):
        activations(lite0, x, "_blocks.99")
