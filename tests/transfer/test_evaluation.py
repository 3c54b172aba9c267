"""vision_core.transfer.evaluation: hand-made vs CNN features on faces and digits (real accuracies), the
misclassified images with their neighbours, hand-computed neighbours, and projections (PCA against the SVD)."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.transfer import (
    Evaluation,
    cnn_features,
    evaluate_features,
    experiment_dataset,
    handmade_features,
    nearest_neighbours,
    point_labels,
    project,
)


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


def test_evaluation_helpers_name_predictions_and_errors():
    ev = Evaluation(accuracy=0.5, train_idx=np.array([0, 1]), test_idx=np.array([2, 3]), predicted=np.array([1, 0]),
                    misclassified=np.array([3]), neighbours=np.array([[0, 1, 2, 4]]), chance=0.5)
    assert ev.prediction_of(2) == 1 and ev.prediction_of(3) == 0 and ev.prediction_of(0) is None
    (i, pred, nbrs), = ev.errors()
    assert (i, pred, nbrs.tolist()) == (3, 0, [0, 1, 2, 4]) and ev.errors(limit=0) == []
    labels = point_labels(np.array([0, 1, 0, 1]), ["cat", "dog"], ev)
    assert labels == ["#0 · cat (training)", "#1 · dog (training)", "#2 · cat (held out, predicted dog)",
                      "#3 · dog (held out, predicted cat)"]
