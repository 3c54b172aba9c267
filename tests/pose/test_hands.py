"""MediaPipe hands on real input: the palm detector and the 21-landmark net on the app's drawn hand (fingertips
known) turned three ways, nothing on photos without hands, and the hand region's geometry by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from vision_core import pose as P
from vision_core.errors import BadInput
from vision_core.io.samples import load_sample
from vision_core.models import get_model

TIPS = [4, 8, 12, 16, 20]
PALM_TO_LANDMARK = [(0, 0), (1, 5), (2, 9), (3, 13), (4, 17)]
"""Palm keypoint → the hand landmark at the same joint (wrist, the four finger MCPs)."""


@pytest.fixture(scope="module")
def hands_net():
    return get_model("hands", "cpu")


def _palm(box, wrist, middle) -> P.Palm:
    kps = np.zeros((7, 2), np.float32)
    kps[0], kps[2] = wrist, middle
    return P.Palm(box, 0.9, kps)


def test_hand_region_by_hand():
    # box 100 wide, 80 high, centre (150, 140); fingers up: no rotation, half a palm height (40 px) up
    up = P.hand_roi(_palm((100, 100, 200, 180), (150, 180), (150, 100)))
    assert (up.cx, up.cy, up.angle) == pytest.approx((150, 100, 0.0)) and up.side == pytest.approx(260)
    np.testing.assert_allclose(up.corners(), [[20, -30], [280, -30], [280, 230], [20, 230]], atol=1e-4)
    # fingers to the right: rotated 90°, shifted 40 px to the right
    right = P.hand_roi(_palm((100, 100, 200, 180), (100, 140), (180, 140)))
    assert (right.cx, right.cy, right.angle) == pytest.approx((190, 140, math.pi / 2)) and right.side == pytest.approx(260)


@pytest.mark.parametrize("angle", [0, 90, 180])
def test_drawn_hand_21_landmarks_on_the_drawn_fingers(hands_net, angle):
    drawing = P.drawn_hand(512, angle)
    hands = P.find_hands(drawing.image, hands_net)
    assert len(hands) == 1
    hand = hands[0]
    print(f"angle {angle}: palm {hand.palm.score:.3f}, presence {hand.presence:.3f}, "
          f"tip errors {np.linalg.norm(hand.xy()[TIPS] - drawing.tips, axis=1).round(1)} px")
    assert hand.palm.score > 0.9 and hand.presence > 0.8
    assert hand.landmarks.shape == (21, 3)
    # the fingertips land on the drawn fingertips (the round finger ends have radii of 15–18 px)
    assert np.linalg.norm(hand.xy()[TIPS] - drawing.tips, axis=1).max() < 12
    # the palm detector turned the crop the right way: the region's angle is the drawing's, to 10°
    turned = math.degrees(hand.roi.angle) + angle
    assert abs((turned + 180) % 360 - 180) < 10
    # every point inside the square the landmark net saw; the palm box holds the wrist and the drawn palm centre
    inv = np.linalg.inv(np.r_[hand.roi.matrix(1), [[0, 0, 1]]])
    uv = (np.c_[hand.xy(), np.ones(21)] @ inv.T)[:, :2]
    assert uv.min() > 0 and uv.max() < 1
    x0, y0, x1, y1 = hand.palm.box
    for x, y in (hand.xy()[0], drawing.palm):
        assert x0 <= x <= x1 and y0 <= y <= y1
    # the two networks agree: palm keypoints lie near the same joints of the landmark net (within ¼ palm)
    side = max(x1 - x0, y1 - y0)
    for k, j in PALM_TO_LANDMARK:
        assert np.linalg.norm(hand.palm.keypoints[k] - hand.xy()[j]) < 0.25 * side


@pytest.mark.parametrize("name", ["astronaut", "coffee", "chelsea"])
def test_no_hands_where_there_are_none(hands_net, name):
    image = load_sample(name)
    assert P.detect_palms(image, hands_net) == []
    assert P.find_hands(image, hands_net) == []


def test_hands_table_and_bad_settings(hands_net):
    drawing = P.drawn_hand(256)
    rows = P.hands_table(P.find_hands(drawing.image, hands_net))
    assert len(rows) == 1 and rows[0]["hand"] == 1 and "index_tip" in rows[0]
    with pytest.raises(BadInput, match="number of hands"):
        P.find_hands(drawing.image, hands_net, max_hands=0)
    with pytest.raises(BadInput, match="palm score"):
        P.detect_palms(drawing.image, hands_net, min_score=1.5)
    with pytest.raises(BadInput, match="angle"):
        P.drawn_hand(256, 400)


def test_drawing_is_reproducible_and_turns_its_tips():
    a, b = P.drawn_hand(512), P.drawn_hand(512)
    np.testing.assert_array_equal(a.image, b.image)
    turned = P.drawn_hand(512, 90)
    # 90° counter-clockwise about the centre (256, 256): (x, y) → (y, 512 − x)
    np.testing.assert_allclose(turned.tips, np.c_[a.tips[:, 1], 512 - a.tips[:, 0]], atol=1e-3)


def test_drawing_the_hand(hands_net):
    drawing = P.drawn_hand(512)
    hand, = P.find_hands(drawing.image, hands_net)
    out = P.draw_hands(drawing.image, [hand])
    assert out.shape == drawing.image.shape and not np.array_equal(out, drawing.image)
    x, y = np.round(hand.xy()[8]).astype(int)
    from vision_core.pose.draw import HAND_COLOUR
    assert tuple(out[y, x]) == HAND_COLOUR, "the index fingertip is drawn as a point"
    np.testing.assert_array_equal(P.draw_hands(drawing.image, []), drawing.image)
