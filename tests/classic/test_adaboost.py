"""vision_core.classic.adaboost: the lecture's discrete AdaBoost on Haar features of lfw_subset."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core import classic
from vision_core.errors import BadInput


@pytest.fixture(scope="module")
def boosted() -> classic.AdaBoostResult:
    return classic.adaboost_haar(rounds=8, n_features=800, seed=0)


def test_adaboost_picks_weak_classifiers_and_training_error_falls(boosted):
    r = boosted
    assert len(r.weak) == 8 and r.n_train == 150 and r.n_test == 50 and r.n_features == 800
    assert all(0 < w.error < 0.5 and w.alpha > 0 for w in r.weak)
    assert r.weak[0].error < 0.15, "one Haar feature alone already separates faces fairly well"
    assert r.train_error[-1] <= r.train_error[0] and r.train_error[-1] <= 0.05
    assert r.test_error[-1] < 0.2
    for w in r.weak:
        assert w.alpha == pytest.approx(np.log((1 - w.error) / w.error)), "αₜ = log 1/βₜ, βₜ = εₜ / (1 − εₜ)"


def test_adaboost_is_reproducible_and_checks_its_settings(boosted):
    again = classic.adaboost_haar(rounds=8, n_features=800, seed=0)
    assert again.weak == boosted.weak and again.test_error == boosted.test_error
    with pytest.raises(BadInput, match="rounds must be between 1 and 100"):
        classic.adaboost_haar(rounds=0)
    with pytest.raises(BadInput, match="n_features must be between 10 and 20000"):
        classic.adaboost_haar(n_features=5)


def test_weak_classifier_grid_lays_the_features_side_by_side(boosted):
    grid = classic.weak_classifier_grid(boosted, 4, zoom=4)
    assert grid.shape == (100, 4 * 100 + 3 * 4, 3)
    assert (grid[:, 100:104] == 255).all(), "4 white pixels between two features"
    first = boosted.weak[0]
    tile = classic.draw_haar_feature(boosted.mean_face, first.kind, first.x, first.y, first.w, first.h, 4)
    assert np.array_equal(grid[:, :100], tile)
    assert boosted.mean_face.shape == (25, 25) and boosted.mean_face.dtype == np.uint8
