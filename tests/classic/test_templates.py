"""vision_core.classic.templates: template matching, the degraded search image and where matching breaks."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from vision_core import classic
from vision_core.errors import BadInput
from vision_core.io.images import to_gray


def test_template_crop_found_at_its_exact_place(astronaut):
    crop = np.ascontiguousarray(astronaut[140:220, 300:370])
    scores, best = classic.match_template(astronaut, crop)
    assert best.tolist() == [300, 140, 370, 220]
    assert scores.shape == (512 - 80 + 1, 512 - 70 + 1)
    assert scores.max() > 0.99
    _, best_sq = classic.match_template(astronaut, crop, "sqdiff_normed")
    assert best_sq.tolist() == [300, 140, 370, 220]
    expect = cv2.matchTemplate(to_gray(astronaut), to_gray(crop), cv2.TM_CCORR_NORMED)
    np.testing.assert_allclose(classic.match_template(astronaut, crop, "ccorr_normed")[0], expect)


def test_template_errors(astronaut):
    with pytest.raises(BadInput, match="larger than the image"):
        classic.match_template(astronaut[:50, :50].copy(), astronaut[:60, :60].copy())
    with pytest.raises(BadInput, match="Unknown method 'sad'. Choose one of: ccoeff_normed"):
        classic.match_template(astronaut, astronaut[:20, :20].copy(), "sad")
    with pytest.raises(BadInput, match="Choose one of: rotation, scale, shadow, occlusion"):
        classic.degradation_curve(astronaut, (0, 0, 50, 50), "blur", [1])
    with pytest.raises(BadInput, match="at least 8×8"):
        classic.probe_template(astronaut, (0, 0, 5, 50))


def test_peak_collapses_with_rotation_and_occlusion(astronaut):
    box = (180, 70, 270, 160)
    rot = classic.degradation_curve(astronaut, box, "rotation", [0, 10, 45, 90])
    assert rot.peak[0] > 0.99 and rot.found[0]
    assert rot.at_truth[2] < 0.5 and rot.at_truth[3] < 0.3, "the lecture's point: a rotated object is no longer found"
    occ = classic.degradation_curve(astronaut, box, "occlusion", [0, 0.5])
    assert occ.at_truth[1] < 0.8
    top = classic.top_matches(classic.match_template(astronaut, astronaut[70:160, 180:270].copy())[0], (90, 90), 3)
    assert top[0][0].tolist() == [180, 70, 270, 160] and top[0][1] > top[1][1]


def test_degrade_search_image_changes_only_what_it_says(astronaut):
    box = (100, 100, 200, 200)
    same = classic.degrade_search_image(astronaut, box)
    assert np.array_equal(same, astronaut)
    hidden = classic.degrade_search_image(astronaut, box, occlusion=0.5)
    assert (hidden[100:200, 150:200] == 128).all() and np.array_equal(hidden[100:200, 100:150], astronaut[100:200, 100:150])
    shaded = classic.degrade_search_image(astronaut, box, shadow=1.0)
    assert np.array_equal(shaded[:, :100], astronaut[:, :100]) and (shaded[:, 200:] == 0).all()
    with pytest.raises(BadInput, match="shadow must be between 0 and 1"):
        classic.degrade_search_image(astronaut, box, shadow=1.5)


def test_score_heatmap_paints_the_best_match_red():
    scores = np.array([[0.0, 0.5], [1.0, 0.25]], np.float32)
    heat = classic.score_heatmap(scores)
    assert heat.shape == (2, 2, 3) and heat.dtype == np.uint8
    assert heat[1, 0, 0] > heat[1, 0, 2], "turbo's top is red"
    assert np.array_equal(classic.score_heatmap(-scores, "sqdiff"), heat), "for sqdiff the minimum is best"


def test_template_box_helpers(astronaut, astronaut_face):
    assert classic.clamp_box(-5, 500, 3, 100, astronaut.shape) == (0, 412, 8, 100)
    assert classic.clamp_box(10, 10, 900, 20, (50, 60, 3)) == (0, 10, 60, 20)
    x, y, w, h = classic.default_template_box(astronaut, astronaut_face[None])
    assert (x, y, x + w, y + h) == tuple(astronaut_face)
    assert classic.default_template_box(astronaut) == (204, 204, 103, 103), "no face: the central fifth"
    assert classic.default_template_box(np.zeros((12, 10, 3), np.uint8)) == (2, 4, 8, 8), "at least 8×8"
    probe = classic.probe_template(astronaut, (x, y, x + w, y + h), rotation=0)
    assert probe.found and probe.at_truth > 0.99 and len(probe.top) == 3
    turned = classic.probe_template(astronaut, (x, y, x + w, y + h), rotation=90)
    assert turned.at_truth < 0.5


def test_draw_probe_marks_best_in_green_and_truth_in_blue(astronaut):
    box = (180, 70, 270, 160)
    probe = classic.probe_template(astronaut, box, rotation=0)
    assert probe.top[0][0].tolist() == list(box), "unchanged: the best match is the true place"
    drawn = classic.draw_probe(probe)
    assert drawn.shape == astronaut.shape
    assert tuple(drawn[120, 180]) == (0, 230, 0), "the best match is drawn last, in green, over the blue truth"
    turned = classic.probe_template(astronaut, box, rotation=90)
    assert not turned.found and turned.top[0][0].tolist() == [108, 381, 198, 471], "lost: the best match is far below"
    lost = classic.draw_probe(turned)
    assert tuple(lost[115, 180]) == (80, 160, 255), "the true place, left edge, in blue"
    assert tuple(lost[420, 108]) == (0, 230, 0), "the best match, left edge, in green"
    assert tuple(lost[430, 194]) == (255, 160, 0), "the next best, left edge, in orange"
