"""Face detectors compared: one-to-one IoU agreement counted by hand, and the three detectors on the astronaut."""

from __future__ import annotations

import math

import numpy as np
import pytest

from vision_core import pose as P
from vision_core.errors import BadInput


def test_agreement_by_hand():
    a = P.DetectorRun.of("A", [[0, 0, 10, 10], [20, 20, 30, 30], [50, 50, 60, 60]], 0.010, [0.9, 0.8, 0.7])
    b = P.DetectorRun.of("B", [[0, 0, 10, 5], [21, 20, 31, 30]], 0.002)
    g = P.agreement(a, b, 0.5)
    # IoU([0,0,10,10], [0,0,10,5]) = 50 / 100 = 0.5; IoU([20,20,30,30], [21,20,31,30]) = 90 / 110
    assert [(i, j) for i, j, _ in g.matches] == [(0, 0), (1, 1)]
    assert [iou for *_, iou in g.matches] == pytest.approx([0.5, 90 / 110])
    assert g.only_a == (2,) and g.only_b == ()
    assert g.mean_iou == pytest.approx((0.5 + 90 / 110) / 2)
    strict = P.agreement(a, b, 0.6)
    assert len(strict.matches) == 1 and strict.only_a == (0, 2) and strict.only_b == (0,)
    row, = P.agreement_table([a, b], 0.5)
    assert (row["first"], row["second"], row["both found"], row["only the first"], row["only the second"]) == \
        ("A", "B", 2, 1, 0)
    runs = P.runs_table([a, b])
    assert runs[0] == {"detector": "A", "faces": 3, "time (ms)": 10.0, "best score": 0.9}
    assert runs[1]["best score"] is None


def test_empty_runs_agree_on_nothing_and_bad_runs_are_refused():
    empty = P.DetectorRun.of("none", np.zeros((0, 4)), 0.0)
    one = P.DetectorRun.of("one", [[0, 0, 5, 5]], 0.0)
    g = P.agreement(empty, one)
    assert g.matches == () and g.only_b == (0,) and math.isnan(g.mean_iou)
    with pytest.raises(BadInput, match="1 boxes but 2 scores"):
        P.DetectorRun.of("x", [[0, 0, 5, 5]], 0.1, [0.5, 0.6])
    with pytest.raises(BadInput, match="time"):
        P.DetectorRun.of("x", [[0, 0, 5, 5]], -1.0)


def test_drawing_colours_each_detector(astronaut):
    a = P.DetectorRun.of("A", [[10, 10, 100, 100]], 0.0)
    b = P.DetectorRun.of("B", [[200, 200, 300, 300]], 0.0)
    out = P.draw_detector_boxes(astronaut, [a, b])
    assert out.shape == astronaut.shape and not np.array_equal(out, astronaut)
    assert tuple(out[55, 10]) == P.DETECTOR_COLOURS[0] and tuple(out[250, 300]) == P.DETECTOR_COLOURS[1]
