"""vision_core.transfer: the lecture's morphology measures on shapes with known answers, VGG-16 features,
hand-made vs CNN features on faces and digits (real accuracies), neighbours, projections, own classes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from vision_core.models import get_model
from vision_core.io.samples import load_sample
from vision_core.transfer import (
    classify_photo,
    cnn_features,
    demo_classes,
    evaluate_features,
    experiment_dataset,
    handmade_features,
    morphology,
    nearest_neighbours,
    project,
    thumbnail,
    to_rgb,
    train_custom_head,
)
from vision_core.models.vgg16 import preprocess


@pytest.fixture(scope="module")
def vgg():
    return get_model("vgg16_features", "cpu")


def _radial(profile, size: int = 201) -> np.ndarray:
    ys, xs = np.mgrid[0:size, 0:size]
    r = np.hypot(ys - size // 2, xs - size // 2)
    return np.clip(np.rint(255 * profile(r)), 0, 255).astype(np.uint8)


def test_concentration_golden_values():
    # uniform disk: light within r grows as r², so C = 5·log10(√0.8 / √0.2) = 5·log10(2) = 1.505
    disk = morphology(_radial(lambda r: (r <= 60).astype(float)))
    assert disk.concentration == pytest.approx(5 * np.log10(2), abs=0.03)
    # Gaussian: r_f = σ·√(−2 ln(1−f)), so C = 5·log10(√(ln 5 / ln 1.25)) = 2.145
    gauss = morphology(_radial(lambda r: np.exp(-(r**2) / (2 * 15**2))))
    assert gauss.concentration == pytest.approx(5 * np.log10(np.sqrt(np.log(5) / np.log(1.25))), abs=0.05)
    assert disk.asymmetry == pytest.approx(0.0, abs=1e-6)


def test_asymmetry_smoothness_entropy():
    half = np.zeros((40, 40), np.uint8)
    half[:, :20] = 200
    m = morphology(half)
    assert m.asymmetry == pytest.approx(1.0)
    assert m.entropy == pytest.approx(1.0)
    flat = morphology(np.full((32, 32), 128, np.uint8))
    assert flat.smoothness == pytest.approx(0.0, abs=1e-6) and flat.entropy == 0.0
    noisy = morphology(np.random.default_rng(0).integers(0, 256, (32, 32)).astype(np.uint8))
    assert noisy.smoothness > 0.3 and noisy.entropy > 4.9
    assert morphology(np.zeros((8, 8), np.uint8)).concentration == 0.0


def test_handmade_features_and_resizing():
    faces = experiment_dataset("faces")
    h = handmade_features(faces.images[:5])
    assert h.shape == (5, 12 + 324) and np.isfinite(h).all()
    assert np.allclose(h[:, 9], h[:, 10])  # grey: the three colour means are equal
    rgb = to_rgb(faces.images[0], 48)
    assert rgb.shape == (48, 48, 3) and (rgb[..., 0] == rgb[..., 2]).all()
    assert thumbnail(faces.images[0], 75).shape == (75, 75, 3)
    with pytest.raises(ValueError):
        handmade_features(np.zeros((3, 8, 8), np.float32))
    with pytest.raises(ValueError):
        experiment_dataset("galaxies")


def test_cnn_features_are_pooled_vgg_blocks(vgg):
    imgs = experiment_dataset("faces").images[:3]
    f5 = cnn_features(imgs, vgg, "block5_pool", 64, batch=2)
    assert f5.shape == (3, 512)
    full = torch.cat([vgg(preprocess(to_rgb(i, 64))) for i in imgs]).mean(dim=(2, 3)).detach().numpy()
    assert np.allclose(f5, full, rtol=1e-4, atol=1e-4)
    assert cnn_features(imgs, vgg, "block3_pool", 32).shape == (3, 256)
    with pytest.raises(ValueError):
        cnn_features(imgs, vgg, "block1_conv1", 32)


@pytest.mark.parametrize("name, layer, size", [("faces", "block4_pool", 48), ("digits", "block3_pool", 32)])
def test_handmade_versus_cnn_features(vgg, name, layer, size, record_property):
    data = experiment_dataset(name)
    hand = evaluate_features(handmade_features(data.images), data.labels)
    cnn = evaluate_features(cnn_features(data.images, vgg, layer, size), data.labels)
    chance = cnn.chance
    assert hand.accuracy > chance + 0.35 and cnn.accuracy > chance + 0.35, (hand.accuracy, cnn.accuracy)
    better = "CNN" if cnn.accuracy > hand.accuracy else "hand-made" if hand.accuracy > cnn.accuracy else "tie"
    record_property("accuracies", f"{name}: hand-made {hand.accuracy:.3f}, CNN {cnn.accuracy:.3f}, better: {better}")
    print(f"{name}: hand-made {hand.accuracy:.3f} vs CNN ({layer} at {size}) {cnn.accuracy:.3f} → {better}")
    for ev in (hand, cnn):
        assert ev.neighbours.shape == (len(ev.misclassified), 4)
        assert all(i not in row for i, row in zip(ev.misclassified, ev.neighbours))
        assert len(ev.test_idx) == len(ev.predicted) == round(len(data.labels) * 0.25)


def test_nearest_neighbours_and_projections():
    feats = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [30.0]], np.float32)
    assert nearest_neighbours(feats, np.array([0, 3]), 2).tolist() == [[1, 2], [4, 2]]
    rng = np.random.default_rng(0)
    t = rng.normal(size=(60, 1))
    pts = np.hstack([t, 2 * t, -t]) + 0.01 * rng.normal(size=(60, 3))
    p = project(pts, "pca")
    assert p.shape == (60, 2) and np.var(p[:, 0]) > 100 * np.var(p[:, 1])
    z = (pts - pts.mean(0)) / pts.std(0)
    assert abs(np.corrcoef(p[:, 0], z @ np.linalg.svd(z)[2][0])[0, 1]) > 0.999
    assert project(pts, "tsne").shape == (60, 2)
    with pytest.raises(ValueError):
        project(pts, "umap")


def test_own_classes_head_classifies_the_cat(vgg):
    classes = demo_classes(5)
    names = list(classes)
    stack = [img for k in names for img in classes[k]]
    labels = np.repeat(np.arange(len(names)), 5)
    feats = cnn_features(stack, vgg, "block5_pool", 128)
    head = train_custom_head(feats, labels, names)
    assert head.cv_folds == 5 and head.cv_accuracy >= 0.8, head.cv_accuracy
    ranked = classify_photo(head, cnn_features([load_sample("chelsea")], vgg, "block5_pool", 128)[0])
    assert ranked[0][0] == "cat" and abs(sum(p for _, p in ranked) - 1) < 1e-6
    with pytest.raises(ValueError, match="at least 2 photos"):
        train_custom_head(feats[:6], np.array([0, 0, 0, 0, 0, 1]), ["a", "b"])
    with pytest.raises(ValueError, match="2 to 5"):
        train_custom_head(feats[:4], np.zeros(4, np.int64), ["a"])
    with pytest.raises(ValueError, match="names must differ"):
        train_custom_head(feats[:4], np.array([0, 0, 1, 1]), ["a", "a"])
