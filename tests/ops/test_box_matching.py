"""One-to-one box matching by IoU (greedy, highest first), checked by hand."""

from __future__ import annotations

import pytest

from vision_core.errors import BadInput
from vision_core.ops.boxes import match_boxes


def test_greedy_takes_the_best_pair_first():
    a = [[0, 0, 10, 10], [5, 0, 15, 10]]
    b = [[4, 0, 14, 10]]
    # IoU(a0, b0) = 60 / 140, IoU(a1, b0) = 90 / 110: b0 goes to a1, a0 stays unmatched
    assert match_boxes(a, b, 0.3) == [(1, 0, pytest.approx(90 / 110))]


def test_threshold_empty_sets_and_bad_threshold():
    assert match_boxes([[0, 0, 10, 10]], [[0, 0, 10, 5]], 0.5) == [(0, 0, pytest.approx(0.5))]
    assert match_boxes([[0, 0, 10, 10]], [[0, 0, 10, 4]], 0.5) == []
    assert match_boxes([], [[0, 0, 1, 1]]) == []
    with pytest.raises(BadInput, match="IoU threshold"):
        match_boxes([[0, 0, 1, 1]], [[0, 0, 1, 1]], 2.0)
