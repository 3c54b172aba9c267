"""vision_core.see.attributions on real weights: Captum's occlusion / Grad-CAM / saliency against hand computations,
and where the maps peak on chelsea.

The cat region: scikit-image's chelsea (451×300) is a close-up of a cat's face that fills the frame
except the right edge and the top-right corner (background room). Looking at the photo, the face —
both eyes (about (170, 115) and (318, 137)), the nose (about (262, 245)), cheeks and forehead — lies in
the box x 40–365, y 0–300, used here as the generous cat box. Because the cat fills most of the centre
crop, a second check pastes the cat into a brick wall where the cat covers a small part of the crop.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.see.conftest import CAT_BOX, TIGER_CAT, _inside, _untouched
from vision_core.classify import prepare
from vision_core.see import CLASS_OPTIONS, grad_cam, occlusion_map, occlusion_passes, option_target, saliency_map


def test_gradcam_peaks_inside_the_cat(chelsea, lite0):
    a = grad_cam(chelsea, net=lite0)
    assert a.heat.shape == (224, 224) and a.heat.dtype == np.float32 and a.heat.min() >= 0
    assert a.label in {"tabby", "tiger cat", "Egyptian cat"}
    assert _inside(a.peak_in_original(), CAT_BOX), a.peak_in_original()
    assert _untouched(lite0)


def test_gradcam_finds_the_cat_pasted_on_bricks(cat_on_bricks, lite0):
    image, box = cat_on_bricks
    a = grad_cam(image, net=lite0, target=TIGER_CAT)
    assert _inside(a.peak_in_original(), box), a.peak_in_original()
    inside = np.zeros((224, 224), bool)
    p = a.prepared
    x0, y0 = int(box[0] * p.scale - p.left), int(box[1] * p.scale - p.top)
    x1, y1 = int(box[2] * p.scale - p.left), int(box[3] * p.scale - p.top)
    inside[max(y0, 0) : y1, max(x0, 0) : x1] = True
    assert a.heat[inside].mean() > 2 * a.heat[~inside].mean()


def test_gradcam_equals_the_hand_computation(coffee, lite0):
    """Grad-CAM: ReLU(Σ_k mean(∂y_c/∂A_k) · A_k) on the 7×7 head, then bilinear upsampling."""
    x = prepare(coffee).tensor
    feats = lite0._act_head(lite0._bn1(lite0._conv_head(_trunk(lite0, x)))).detach().requires_grad_(True)
    score = lite0._fc(lite0._avg_pooling(feats).flatten(1))[0, 967]
    (grad,) = torch.autograd.grad(score, feats)
    cam = torch.relu((grad.mean(dim=(2, 3), keepdim=True) * feats).sum(1, keepdim=True)).detach()
    up = torch.nn.functional.interpolate(cam, size=(224, 224), mode="bilinear")[0, 0].numpy()
    got = grad_cam(coffee, net=lite0, target=967)
    np.testing.assert_allclose(got.heat, up, rtol=1e-3, atol=1e-5 * float(up.max()))


def _trunk(net: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        y = net._act_stem(net._bn0(net._conv_stem(x)))
        for block in net._blocks:
            y = block(y)
    return y


def test_saliency_equals_the_input_gradient(coffee, lite0):
    x = prepare(coffee).tensor.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(lite0(x)[0, 967], x)
    got = saliency_map(coffee, net=lite0, target=967)
    np.testing.assert_allclose(got.heat, grad[0].abs().amax(0).numpy(), rtol=1e-4, atol=1e-7)
    assert got.label == "espresso" and got.prob > 0.9


def test_occlusion_of_the_whole_crop_is_the_drop_to_a_grey_image(coffee, lite0):
    a = occlusion_map(coffee, net=lite0, patch=224, stride=224)
    with torch.no_grad():
        p_grey = torch.softmax(lite0(torch.zeros(1, 3, 224, 224)), 1)[0, 967].item()
    assert a.target == 967
    np.testing.assert_allclose(a.heat, a.prob - p_grey, rtol=1e-4, atol=1e-6)


def test_occlusion_peaks_inside_the_cat(chelsea, lite0):
    a = occlusion_map(chelsea, net=lite0, patch=48, stride=24)
    assert a.heat.shape == (224, 224)
    assert a.heat.max() > 0.05, "covering part of the face lowers the cat probability"
    assert _inside(a.peak_in_original(), CAT_BOX), a.peak_in_original()
    assert _untouched(lite0)


def test_occlusion_arguments_are_checked(chelsea, lite0):
    with pytest.raises(ValueError, match="stride"):
        occlusion_map(chelsea, net=lite0, patch=16, stride=32)
    with pytest.raises(ValueError, match="patch size"):
        occlusion_map(chelsea, net=lite0, patch=2)
    assert occlusion_passes(32, 16) == 169 and occlusion_passes(224, 224) == 1


def test_occlusion_reports_progress(coffee, lite0):
    seen: list[tuple[float, str]] = []
    occlusion_map(coffee, net=lite0, patch=112, stride=56, progress=lambda f, m: seen.append((f, m)))
    assert len(seen) >= 3 and seen[-1][1] == "9 of 9 occluded copies"
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and 0 < fractions[-1] <= 1


def test_gradcam_never_hooks_the_shared_network(coffee, lite0):
    """Captum's hooks go on a per-call view; the shared network has none before, during or after."""
    before = [dict(m._forward_hooks) for m in lite0.modules()]
    grad_cam(coffee, net=lite0)
    assert [dict(m._forward_hooks) for m in lite0.modules()] == before and _untouched(lite0)


def test_class_options_parse():
    assert option_target(CLASS_OPTIONS[0]) is None and option_target(CLASS_OPTIONS[283]) == 282
    assert CLASS_OPTIONS[283] == "282 tiger cat" and len(set(CLASS_OPTIONS)) == 1001
    with pytest.raises(ValueError, match="ImageNet"):
        option_target("cat")


def test_one_grey_square_over_the_whole_crop_equals_a_grey_input(coffee, lite0):
    from vision_core.see import occluded_prediction

    o = occluded_prediction(coffee, net=lite0, x=0, y=0, side=224)
    with torch.no_grad():
        probs = torch.softmax(lite0(torch.zeros(1, 3, 224, 224)), 1)[0]
    assert o.before[0] == "espresso" and o.after[1] == pytest.approx(float(probs.max()), abs=1e-5)
    assert (o.crop == 127).all(), "EfficientNet-Lite0's mean colour is 127"
    small = occluded_prediction(coffee, net=lite0, x=0, y=0, side=8)
    assert not small.flipped and small.box == (0, 0, 8, 8), "a corner square leaves the espresso an espresso"
    with pytest.raises(ValueError, match="left edge must be between 0 and 24"):
        occluded_prediction(coffee, net=lite0, x=100, y=0, side=200)
