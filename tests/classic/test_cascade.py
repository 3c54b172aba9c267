"""vision_core.classic.cascade: OpenCV's cascade XML read and evaluated stage by stage with NumPy."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core import classic
from vision_core.errors import BadInput
from vision_core.ops.boxes import box_iou


def test_frontalface_default_xml_structure(face_model):
    m = face_model
    assert m.name == "frontalface_default"
    assert m.window == (24, 24) and m.n_stages == 25
    assert m.weak_counts[:3] == [9, 16, 27] and sum(m.weak_counts) == 2913
    assert m.stage_thresholds[0] == pytest.approx(-5.0425500869750977)
    assert classic.upright_stages(m) == 25
    assert classic.upright_stages(classic.load_cascade("upperbody")) == 0


def test_own_cascade_evaluation_keeps_only_windows_on_the_face(astronaut, face_model, astronaut_face):
    counts = classic.cascade_stage_survivors(astronaut, face_model)
    s = counts.survivors
    assert counts.cascade == "frontalface_default" and counts.n_stages_total == 25
    assert len(s) == 25 and counts.windows > 100_000
    assert all(a >= b for a, b in zip(s, s[1:])), "a window rejected by a stage never comes back"
    assert s[0] < 0.6 * counts.windows, "the first 9-feature stage already rejects most windows"
    assert 1 <= s[-1] <= 60
    face = astronaut_face
    centred = [face[0] <= (b[0] + b[2]) / 2 <= face[2] and face[1] <= (b[1] + b[3]) / 2 <= face[3] for b in counts.final_boxes]
    assert np.mean(centred) >= 0.75, counts.final_boxes
    assert box_iou(counts.final_boxes, face[None]).max() > 0.8


def test_deeper_trees_give_the_same_survivors_as_the_equivalent_stumps(astronaut, face_model):
    real = face_model

    def as_tree(nodes: np.ndarray, leaves: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        _, _, f, t = nodes[0]
        deeper = np.array([[1, -2, f, t], [0, -1, f, 1e30]])
        return deeper, np.array([leaves[0], 999.0, leaves[1]])

    stages = tuple(tuple(as_tree(n, lv) for n, lv in stage) for stage in real.stages)
    treed = classic.CascadeModel(real.name, real.window, real.stage_thresholds, stages, real.rects, real.weights, real.tilted)
    small = classic.working_copy(astronaut, 256)
    expect = classic.cascade_stage_survivors(small, real, n_stages=4)
    got = classic.cascade_stage_survivors(small, treed, n_stages=4)
    assert got.survivors == expect.survivors and got.windows == expect.windows
    assert np.array_equal(got.final_boxes, expect.final_boxes)


def test_stage_evaluation_refuses_what_it_cannot_do(astronaut, face_model):
    with pytest.raises(BadInput, match="between 1 and 25"):
        classic.cascade_stage_survivors(astronaut, face_model, n_stages=26)
    with pytest.raises(BadInput, match="tilted"):
        classic.cascade_stage_survivors(astronaut, classic.load_cascade("upperbody"), n_stages=1)
    with pytest.raises(BadInput, match="CascadeModel"):
        classic.cascade_stage_survivors(astronaut, "frontalface_default")  # type: ignore[arg-type]


def test_a_photo_smaller_than_the_window_has_no_window():
    counts = classic.cascade_stage_survivors(np.zeros((12, 10, 3), np.uint8), classic.load_cascade("eye"), 3)
    assert counts.windows == 0 and counts.survivors == (0, 0, 0) and counts.final_boxes.shape == (0, 4)
