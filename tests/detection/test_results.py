"""Detections: filtering by class, the best n, the table, drawing boxes on the photo."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core import detection as D
from vision_core.io.samples import load_sample


def test_only_filters_raw_and_kept(scene_det):
    cats = scene_det.only(["cat"])
    assert cats.labels == ["cat"] and set(cats.raw_labels) == {"cat"}
    assert [cats.raw_labels[k] for k in cats.keep] == ["cat"]
    assert cats.table()[0]["label"] == "cat" and cats.table()[0]["x1"] == pytest.approx(float(cats.boxes[0, 0]), abs=0.1)
    assert len(scene_det.only([])) == 0 and scene_det.only([]).raw_labels == []


def test_top_keeps_the_best(scene_det):
    one = scene_det.top(1)
    assert one.labels == ["cat"] and one.boxes.shape == (1, 4) and list(one.keep) == [0]
    assert one.raw_labels == scene_det.raw_labels, "the candidates before NMS stay"
    assert scene_det.top(10).labels == ["cat", "person"]
    with pytest.raises(ValueError, match="whole number"):
        scene_det.top(1.5)


def test_table_rows_are_pixels(scene_det):
    row = scene_det.table()[1]
    b = scene_det.boxes[1]
    assert row["label"] == "person" and row["score"] == round(float(scene_det.scores[1]), 3)
    assert row["width"] == pytest.approx(float(b[2] - b[0]), abs=0.1)
    assert row["height"] == pytest.approx(float(b[3] - b[1]), abs=0.1)


def test_drawing(scene, scene_det):
    out = D.draw_detections(scene, scene_det)
    assert out.shape == scene.shape and out.dtype == np.uint8
    x1, y1 = scene_det.boxes[0, :2].astype(int)
    assert not np.array_equal(out[y1 + 30, x1 + 1], scene[y1 + 30, x1 + 1]), "the box edge is drawn"
    assert np.array_equal(out[470, 630], scene[470, 630])
    with pytest.raises(ValueError, match="another size"):
        D.draw_detections(load_sample("coffee"), scene_det)
