"""vision_core.classic: Viola–Jones, template matching, SIFT + RANSAC, mosaics, bag of visual words."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from vision_core import classic
from vision_core.io.samples import load_sample

ASTRONAUT_FACE_CENTRE = (223, 113)


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[2], b[2]), min(a[3], b[3])
    inter = max(0, x1 - x0) * max(0, y1 - y0)
    area = lambda r: (r[2] - r[0]) * (r[3] - r[1])  # noqa: E731
    return inter / (area(a) + area(b) - inter)


@pytest.fixture(scope="module")
def astronaut() -> np.ndarray:
    return load_sample("astronaut")


# --- Viola–Jones ------------------------------------------------------------------------------


def test_haar_finds_exactly_one_face_on_astronaut(astronaut):
    boxes = classic.haar_detect(astronaut)
    assert boxes.shape == (1, 4) and boxes.dtype == np.int64
    x0, y0, x1, y1 = boxes[0]
    assert x0 < ASTRONAUT_FACE_CENTRE[0] < x1 and y0 < ASTRONAUT_FACE_CENTRE[1] < y1
    assert 70 <= x1 - x0 <= 120, "a face about 95 px wide"


def test_haar_box_contains_mtcnn_face_centre(astronaut):
    pose = pytest.importorskip("vision_core.pose", reason="vision_core.pose (MTCNN) is not written yet")
    faces = pose.detect_faces(astronaut)
    assert len(faces) >= 1
    boxes = np.array([faces[0].box], dtype=np.float64)
    cx, cy = (boxes[0, 0] + boxes[0, 2]) / 2, (boxes[0, 1] + boxes[0, 3]) / 2
    x0, y0, x1, y1 = classic.haar_detect(astronaut)[0]
    assert x0 <= cx <= x1 and y0 <= cy <= y1


def test_haar_eyes_are_inside_the_face(astronaut):
    face = classic.haar_detect(astronaut)[0]
    eyes = classic.haar_detect(astronaut, "eye", min_size=(20, 20))
    assert len(eyes) == 2
    for e in eyes:
        assert face[0] <= e[0] and e[2] <= face[2] and face[1] <= e[1] and e[3] <= face[3]


@pytest.mark.parametrize("kwargs", [{"cascade": "dog"}, {"scale_factor": 1.0}, {"min_neighbors": -1}, {"min_size": (0, 3)}])
def test_haar_rejects_bad_settings_with_a_sentence(astronaut, kwargs):
    with pytest.raises(ValueError, match=r"\w+ \w+"):
        classic.haar_detect(astronaut, **kwargs)


def test_integral_image_gives_rectangle_sums_in_four_lookups():
    rng = np.random.default_rng(0)
    g = rng.integers(0, 256, size=(31, 47), dtype=np.uint8)
    ii = classic.integral_image(g)
    assert ii.shape == (32, 48) and ii[-1, -1] == int(g.sum())
    assert classic._rect_sum(ii, 5, 7, 11, 13) == int(g[7:20, 5:16].sum())


def test_haar_feature_values_are_white_minus_black():
    g = np.zeros((24, 24), np.uint8)
    g[:, :12] = 200
    ii = classic.integral_image(g)
    assert classic.haar_feature_value(ii, "edge_horizontal", 0, 0, 24, 24) == 200 * 12 * 24
    assert classic.haar_feature_value(ii, "edge_vertical", 0, 0, 24, 24) == 0
    rng = np.random.default_rng(1)
    p = rng.integers(0, 256, size=(24, 24)).astype(np.int64)
    ii = classic.integral_image(p)
    expect = p[0:6, 2:20].sum() - p[6:12, 2:20].sum() + p[12:18, 2:20].sum()
    assert classic.haar_feature_value(ii, "line_vertical", 2, 0, 18, 18) == expect
    expect4 = p[0:4, 0:4].sum() - p[0:4, 4:8].sum() - p[4:8, 0:4].sum() + p[4:8, 4:8].sum()
    assert classic.haar_feature_value(ii, "four_rectangle", 0, 0, 8, 8) == expect4
    with pytest.raises(ValueError, match="divisible"):
        classic.haar_feature_value(ii, "line_horizontal", 0, 0, 8, 8)


def test_frontalface_default_xml_structure():
    m = classic.load_cascade("frontalface_default")
    assert m.window == (24, 24) and m.n_stages == 25
    assert m.weak_counts[:3] == [9, 16, 27] and sum(m.weak_counts) == 2913
    assert m.stage_thresholds[0] == pytest.approx(-5.0425500869750977)
    assert classic.upright_stages("frontalface_default") == 25
    assert classic.upright_stages("upperbody") == 0


def test_own_cascade_evaluation_keeps_only_windows_on_the_face(astronaut):
    counts = classic.cascade_stage_survivors(astronaut, "frontalface_default")
    s = counts.survivors
    assert len(s) == 25 and counts.windows > 100_000
    assert all(a >= b for a, b in zip(s, s[1:])), "a window rejected by a stage never comes back"
    assert s[0] < 0.6 * counts.windows, "the first 9-feature stage already rejects most windows"
    assert 1 <= s[-1] <= 60
    face = classic.haar_detect(astronaut)[0]
    centred = [face[0] <= (b[0] + b[2]) / 2 <= face[2] and face[1] <= (b[1] + b[3]) / 2 <= face[3] for b in counts.final_boxes]
    assert np.mean(centred) >= 0.75, counts.final_boxes
    assert max(_iou(b, face) for b in counts.final_boxes) > 0.8


def test_adaboost_picks_weak_classifiers_and_training_error_falls():
    r = classic.adaboost_haar(rounds=8, n_features=800, seed=0)
    assert len(r.weak) == 8 and r.n_train == 150 and r.n_test == 50
    assert all(0 < w.error < 0.5 and w.alpha > 0 for w in r.weak)
    assert r.weak[0].error < 0.15, "one Haar feature alone already separates faces fairly well"
    assert r.train_error[-1] <= r.train_error[0] and r.train_error[-1] <= 0.05
    assert r.test_error[-1] < 0.2
    grid = classic.weak_classifier_grid(r, 4, zoom=4)
    assert grid.shape == (100, 4 * 100 + 3 * 4, 3)


# --- template matching --------------------------------------------------------------------------


def test_template_crop_found_at_its_exact_place(astronaut):
    crop = np.ascontiguousarray(astronaut[140:220, 300:370])
    scores, best = classic.match_template(astronaut, crop)
    assert best.tolist() == [300, 140, 370, 220]
    assert scores.shape == (512 - 80 + 1, 512 - 70 + 1)
    assert scores.max() > 0.99
    _, best_sq = classic.match_template(astronaut, crop, "sqdiff_normed")
    assert best_sq.tolist() == [300, 140, 370, 220]
    expect = cv2.matchTemplate(classic.to_gray(astronaut), classic.to_gray(crop), cv2.TM_CCORR_NORMED)
    np.testing.assert_allclose(classic.match_template(astronaut, crop, "ccorr_normed")[0], expect)


def test_template_errors(astronaut):
    with pytest.raises(ValueError, match="larger than the image"):
        classic.match_template(astronaut[:50, :50].copy(), astronaut[:60, :60].copy())
    with pytest.raises(ValueError, match="Unknown method"):
        classic.match_template(astronaut, astronaut[:20, :20].copy(), "sad")


def test_peak_collapses_with_rotation_and_occlusion(astronaut):
    box = (180, 70, 270, 160)
    rot = classic.degradation_curve(astronaut, box, "rotation", [0, 10, 45, 90])
    assert rot.peak[0] > 0.99 and rot.found[0]
    assert rot.at_truth[2] < 0.5 and rot.at_truth[3] < 0.3, "the lecture's point: a rotated object is no longer found"
    occ = classic.degradation_curve(astronaut, box, "occlusion", [0, 0.5])
    assert occ.at_truth[1] < 0.8
    top = classic.top_matches(classic.match_template(astronaut, astronaut[70:160, 180:270].copy())[0], (90, 90), 3)
    assert top[0][0].tolist() == [180, 70, 270, 160] and top[0][1] > top[1][1]


# --- SIFT, RANSAC, mosaics -----------------------------------------------------------------------


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


def test_drawings_have_the_right_shapes(astronaut):
    view, _ = classic.synthetic_view(astronaut, seed=0)
    m = classic.match_features(astronaut, view)
    assert classic.draw_matches(astronaut, view, m).shape == (512, 1024, 3)
    kp = classic.draw_keypoints(astronaut, m.keypoints1)
    assert kp.shape == astronaut.shape and (kp != astronaut).any()
    boxed = classic.draw_boxes(astronaut, classic.haar_detect(astronaut), labels=["face"])
    assert (boxed != astronaut).any()


# --- bag of visual words -------------------------------------------------------------------------


def test_bag_of_words_beats_chance_clearly(astronaut):
    model = classic.train_bovw(k=32, seed=0)
    assert model.n_train == 150 and model.n_test == 50 and model.chance == 0.5
    assert model.test_accuracy >= model.chance + 0.25
    hist, p = classic.bovw_histogram(model, astronaut)
    assert hist.shape == (32,) and hist.sum() == pytest.approx(1.0) and 0 <= p <= 1
    grid = classic.word_patch_grid(model, [0, 1, 2])
    assert grid.shape == (3 * 50, 8 * 50, 3)
    with pytest.raises(ValueError, match="between 4 and 256"):
        classic.train_bovw(k=2)


def test_haar_max_side_searches_a_smaller_copy_and_maps_boxes_back(astronaut):
    big = cv2.resize(astronaut, (1024, 1024), interpolation=cv2.INTER_LINEAR)
    boxes = classic.haar_detect(big, max_side=512)
    assert boxes.shape == (1, 4)
    np.testing.assert_allclose(boxes[0], classic.haar_detect(astronaut)[0] * 2, atol=6)
    with pytest.raises(ValueError, match="max_side"):
        classic.haar_detect(big, max_side=10)


def test_deeper_trees_give_the_same_survivors_as_the_equivalent_stumps(astronaut, monkeypatch):
    real = classic.load_cascade("frontalface_default")

    def as_tree(nodes: np.ndarray, leaves: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        _, _, f, t = nodes[0]
        deeper = np.array([[1, -2, f, t], [0, -1, f, 1e30]])
        return deeper, np.array([leaves[0], 999.0, leaves[1]])

    stages = tuple(tuple(as_tree(n, lv) for n, lv in stage) for stage in real.stages)
    treed = classic.CascadeModel(real.name, real.window, real.stage_thresholds, stages, real.rects, real.weights, real.tilted)
    small = classic.working_copy(astronaut, 256)
    expect = classic.cascade_stage_survivors(small, n_stages=4)
    monkeypatch.setattr(classic, "load_cascade", lambda name: treed)
    got = classic.cascade_stage_survivors(small, n_stages=4)
    assert got.survivors == expect.survivors and got.windows == expect.windows


def test_template_box_helpers(astronaut):
    assert classic.clamp_box(-5, 500, 3, 100, astronaut.shape) == (0, 412, 8, 100)
    assert classic.clamp_box(10, 10, 900, 20, (50, 60, 3)) == (0, 10, 60, 20)
    x, y, w, h = classic.default_template_box(astronaut)
    assert (x, y, x + w, y + h) == tuple(classic.haar_detect(astronaut)[0])
    probe = classic.probe_template(astronaut, (x, y, x + w, y + h), rotation=0)
    assert probe.found and probe.at_truth > 0.99 and len(probe.top) == 3
    turned = classic.probe_template(astronaut, (x, y, x + w, y + h), rotation=90)
    assert turned.at_truth < 0.5
