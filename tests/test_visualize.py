"""vision_core.see on real weights: filters, feature maps against manual forward passes, Captum's
occlusion / Grad-CAM / saliency against hand computations, and where the maps peak on chelsea.

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
from PIL import Image

from vision_core.classify import prepare
from vision_core.models import get_model
from vision_core.io.samples import load_sample
from vision_core.see import (
    CLASS_OPTIONS,
    channel_image,
    feature_grid,
    feature_layers,
    feature_maps,
    first_layer_filters,
    grad_cam,
    occlusion_map,
    occlusion_passes,
    option_target,
    overlay_heatmap,
    saliency_map,
    tile_grid,
)

CAT_BOX = (40, 0, 365, 300)
TIGER_CAT = 282


@pytest.fixture(scope="module")
def lite0() -> torch.nn.Module:
    return get_model("efficientnet_lite0", "cpu")


@pytest.fixture(scope="module")
def vgg() -> torch.nn.Module:
    return get_model("vgg16_features", "cpu")


@pytest.fixture(scope="module")
def cat_on_bricks() -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A 512×512 brick wall with chelsea shrunk to 240×160 pasted at x 60–300, y 250–410."""
    canvas = load_sample("brick")[:512, :512].copy()
    canvas[250:410, 60:300] = np.asarray(Image.fromarray(load_sample("chelsea")).resize((240, 160)))
    return canvas, (60, 250, 300, 410)


def _inside(point: tuple[float, float], box: tuple[int, int, int, int]) -> bool:
    x, y = point
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _untouched(net: torch.nn.Module) -> bool:
    return all(not m._forward_hooks and not m._forward_pre_hooks and not m._backward_hooks for m in net.modules()) and \
        not any(p.requires_grad for p in net.parameters()) and not net.training


def test_first_layer_filters(lite0, vgg):
    f = first_layer_filters("efficientnet_lite0", net=lite0)
    assert f.weights.shape == (32, 3, 3, 3)
    np.testing.assert_array_equal(f.weights, lite0._conv_stem.weight.numpy())
    assert f.grid.image.shape == (4 * 39 - 3, 8 * 39 - 3, 3)
    v = first_layer_filters("vgg16_features", net=vgg)
    assert v.weights.shape == (64, 3, 3, 3) and v.grid.image.shape == (8 * 39 - 3, 8 * 39 - 3, 3)
    np.testing.assert_array_equal(v.weights[:, 0], vgg[0].weight[:, 2].numpy())  # BGR → RGB
    w = v.weights[5]
    tile = v.grid.image[0:36, 5 * 39 : 5 * 39 + 36]
    expected_centre = np.rint(127.5 + 127.5 * w[:, 1, 1] / np.abs(w).max())
    np.testing.assert_array_equal(tile[18, 18], expected_centre.astype(np.uint8))
    with pytest.raises(ValueError, match="Filters are shown"):
        first_layer_filters("resnet50")


def test_grid_click_maps_to_tile():
    tiles = np.zeros((10, 4, 4, 3), np.uint8)
    grid = tile_grid(tiles, cols=4, cell=20, gap=2)
    assert grid.image.shape == (3 * 22 - 2, 4 * 22 - 2, 3)
    assert grid.index_at(5, 5) == 0
    assert grid.index_at(22 + 3, 22 + 3) == 5
    assert grid.index_at(21, 5) is None, "the white gap"
    assert grid.index_at(3 * 22 + 5, 2 * 22 + 5) is None, "no 12th tile"


def test_feature_map_shapes_follow_the_architecture(chelsea, lite0, vgg):
    keys = [c.key for c in feature_layers("efficientnet_lite0")]
    assert keys[0] == "stem" and keys[-1] == "head" and len(keys) == 18
    expected = {"stem": (32, 112, 112), "block0": (16, 112, 112), "block3": (40, 28, 28), "block10": (112, 14, 14),
                "block15": (320, 7, 7), "head": (1280, 7, 7)}
    for key, shape in expected.items():
        assert feature_maps(chelsea, "efficientnet_lite0", key, net=lite0).maps.shape == shape
    for key, shape in {"block1_conv1": (64, 224, 224), "block3_conv3": (256, 56, 56), "block5_pool": (512, 7, 7)}.items():
        assert feature_maps(chelsea, "vgg16_features", key, net=vgg).maps.shape == shape
    with pytest.raises(ValueError, match="no layer"):
        feature_maps(chelsea, "vgg16_features", "block9_conv1", net=vgg)


def test_feature_maps_equal_a_manual_forward_and_leave_the_model_alone(chelsea, lite0, vgg):
    from vision_core.models.vgg16 import preprocess

    x = prepare(chelsea).tensor
    with torch.no_grad():
        y = lite0._act_stem(lite0._bn0(lite0._conv_stem(x)))
        for block in lite0._blocks[:5]:
            y = block(y)
    got = feature_maps(chelsea, "efficientnet_lite0", "block4", net=lite0)
    assert lite0._blocks[4].skip, "block 4 has a residual connection; its output is the sum"
    np.testing.assert_allclose(got.maps, y[0].numpy(), rtol=1e-4, atol=1e-4)
    with torch.no_grad():
        v = vgg[:16](preprocess(prepare(chelsea).crop))
    np.testing.assert_allclose(feature_maps(chelsea, "vgg16_features", "block3_conv3", net=vgg).maps, v[0].numpy(), rtol=1e-4, atol=1e-3)
    assert _untouched(lite0) and _untouched(vgg)


def test_feature_grid_and_enlarged_channel(chelsea, lite0):
    fm = feature_maps(chelsea, "efficientnet_lite0", "stem", net=lite0)
    order = fm.ranked()
    means = fm.maps.reshape(32, -1).mean(1)
    assert means[order[0]] == means.max() and means[order[-1]] == means.min()
    grid = feature_grid(fm)
    assert grid.count == 32 and grid.image.shape == (4 * 74 - 2, 8 * 74 - 2, 3)
    big = channel_image(fm, int(order[0]), size=336)
    assert big.shape == (336, 336, 3) and big.dtype == np.uint8
    with pytest.raises(ValueError, match="channels"):
        channel_image(fm, 32)


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


def test_overlay_blends_and_class_options_parse(chelsea):
    crop = prepare(chelsea).crop
    heat = np.zeros((7, 7), np.float32)
    heat[3, 3] = 1.0
    np.testing.assert_array_equal(overlay_heatmap(crop, heat, 0.0), crop)
    full = overlay_heatmap(crop, heat, 1.0)
    assert full.shape == crop.shape
    assert full[112, 112].tolist() == [253, 231, 37], "viridis yellow at the maximum"
    with pytest.raises(ValueError, match="Opacity"):
        overlay_heatmap(crop, heat, 1.5)
    assert option_target(CLASS_OPTIONS[0]) is None and option_target(CLASS_OPTIONS[283]) == 282
    assert CLASS_OPTIONS[283] == "282 tiger cat" and len(set(CLASS_OPTIONS)) == 1001
    with pytest.raises(ValueError, match="ImageNet"):
        option_target("cat")
