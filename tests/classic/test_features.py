"""vision_core.classic.features: SIFT matching, RANSAC homographies against known ones, mosaics."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core import classic
from vision_core.errors import BadInput
from vision_core.io.samples import load_sample


@pytest.mark.parametrize("name,seed", [("astronaut", 1), ("chelsea", 2), ("coffee", 3)])
def test_match_features_recovers_a_known_homography(name, seed):
    img = load_sample(name)
    view, H_true = classic.synthetic_view(img, rotation=20, scale=0.85, perspective=0.08, brightness=0.8, seed=seed)
    m = classic.match_features(img, view)
    assert m.homography is not None and m.homography.shape == (3, 3)
    assert classic.corner_error(m.homography, H_true, img.shape) < 2.0
    assert m.n_tentative >= 50 and m.inlier_fraction >= 0.5
    assert m.inliers.shape == (m.n_tentative,)


def test_unrelated_images_give_few_inliers():
    m = classic.match_features(load_sample("astronaut"), load_sample("brick"))
    assert m.n_inliers < 20
    blank = np.full((64, 64, 3), 128, np.uint8)
    nothing = classic.match_features(blank, blank)
    assert nothing.n_tentative == 0 and nothing.homography is None and nothing.inlier_fraction == 0.0


def test_orb_matches_too_and_bad_settings_are_refused(astronaut):
    view, H_true = classic.synthetic_view(astronaut, rotation=10, scale=1.0, perspective=0.02, brightness=1.0, seed=0)
    m = classic.match_features(astronaut, view, detector="orb")
    assert classic.corner_error(m.homography, H_true, astronaut.shape) < 5.0
    with pytest.raises(BadInput, match="Unknown detector 'surf'. Choose one of: sift, orb"):
        classic.match_features(astronaut, view, detector="surf")
    with pytest.raises(BadInput, match="ratio"):
        classic.match_features(astronaut, view, ratio=0)
    with pytest.raises(BadInput, match="perspective must be between 0 and 0.3"):
        classic.random_homography(astronaut.shape, perspective=0.5)


def test_homography_helpers_on_hand_made_cases():
    H = classic.random_homography((100, 200, 3), rotation=0, scale=1, perspective=0, seed=0)
    np.testing.assert_allclose(H, np.eye(3), atol=1e-9)
    shift = np.array([[1, 0, 3], [0, 1, 4], [0, 0, 1]], np.float64)
    assert classic.corner_error(shift, np.eye(3), (10, 10)) == pytest.approx(5.0), "a 3-4-5 shift of every corner"
    assert classic.corner_error(None, np.eye(3), (10, 10)) == float("inf")


def test_panorama_of_two_overlapping_views_rebuilds_the_photo():
    china = load_sample("china")
    left, right, H_true = classic.overlapping_views(china, overlap=0.4, perspective=0.06, seed=0)
    m = classic.match_features(left, right)
    assert classic.corner_error(m.homography, H_true, left.shape) < 2.0
    mosaic = classic.stitch(left, right, m.homography)
    h, w = china.shape[:2]
    assert abs(mosaic.image.shape[1] - w) <= 40 and abs(mosaic.image.shape[0] - h) <= 40
    ox, oy = mosaic.offset
    assert ox == 0, "the left view is the mosaic's left edge"
    rebuilt = mosaic.image[oy + 40:oy + h - 40, w - 200:w - 40].astype(int)
    assert np.abs(rebuilt - china[40:h - 40, w - 200:w - 40].astype(int)).mean() < 12, "the right view lands where it belongs"
    plain = classic.stitch(left, right, m.homography, blend=False).image
    assert np.array_equal(plain[oy:oy + h, :left.shape[1]], left), "without blending the left view is pasted as is"
    with pytest.raises(BadInput, match="invertible"):
        classic.stitch(left, right, np.zeros((3, 3)))


def test_drawings_have_the_right_shapes(astronaut):
    view, _ = classic.synthetic_view(astronaut, seed=0)
    m = classic.match_features(astronaut, view)
    lines = classic.draw_matches(astronaut, view, m)
    assert lines.shape == (512, 1024, 3)
    assert np.array_equal(classic.draw_matches(astronaut, view, m, "inliers", max_lines=0)[:, :512], astronaut)
    inliers_only = classic.draw_matches(astronaut, view, m, "inliers")
    assert not ((inliers_only == (230, 40, 40)).all(axis=2)).any(), "no red outlier line when only inliers are drawn"
    kp = classic.draw_keypoints(astronaut, m.keypoints1)
    assert kp.shape == astronaut.shape and (kp != astronaut).any()
    with pytest.raises(BadInput, match="Choose one of: all, inliers, outliers"):
        classic.draw_matches(astronaut, view, m, "some")
