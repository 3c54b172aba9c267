"""The loss the lecture adds up, by hand; after a short fixed-seed run the held-out IoU and accuracy beat bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from tests.localisation.conftest import STEPS
from vision_core.errors import BadInput
from vision_core.localisation import LocalisationConfig, box_loss, paired_iou, train_localiser


def test_box_losses_by_hand():
    pred = torch.tensor([[0.5, 0.5, 0.2, 0.2]])
    target = torch.tensor([[0.4, 0.5, 0.2, 0.4]])
    assert float(box_loss(pred, target, "L2")) == pytest.approx(0.1**2 + 0.2**2)
    # smooth L1 (β = 0.05): |d| ≥ β costs |d| − β/2, so 0.075 + 0.175
    assert float(box_loss(pred, target, "smooth L1")) == pytest.approx(0.25)
    with pytest.raises(BadInput, match="L2, smooth L1"):
        box_loss(pred, target, "L1")


def test_paired_iou_by_hand():
    pred = np.array([[0, 0, 10, 10], [0, 0, 10, 10]], np.float32)
    true = np.array([[5, 0, 15, 10], [0, 0, 10, 10]], np.float32)
    assert paired_iou(pred, true).tolist() == pytest.approx([50 / 150, 1.0])


def test_records_and_the_total_loss(records):
    assert [r.step for r in records] == [0, 100, 200, 300, 400]
    assert math.isnan(records[0].class_loss)
    for r in records[1:]:
        assert r.total_loss == pytest.approx(r.class_loss + 10.0 * r.box_loss, rel=1e-5), "Loss = CE + λ · L2"
    assert records[-1].curve[-1].test_iou == records[-1].test_iou
    assert len(records[-1].curve) == 5 and records[-1].total_steps == STEPS


def test_short_training_localises_and_classifies(records):
    """Measured (seed 0, 400 steps, λ = 10): accuracy 87.0 %, mean IoU 0.786 on the 500 held-out canvases (28 s on
    this shared machine). Untrained: accuracy 9 %, IoU 0.31 (a box of about half the canvas in the middle)."""
    first, last = records[0], records[-1]
    assert last.test_iou > 0.65, last.test_iou
    assert last.test_iou > first.test_iou + 0.3
    assert last.test_accuracy > 0.60, last.test_accuracy
    assert last.class_loss < 0.7 * records[1].class_loss and last.box_loss < 0.5 * records[1].box_loss


def test_same_seed_same_run_and_stop():
    config = LocalisationConfig(steps=3, eval_every=1, batch_size=8, seed=2)
    a, b = list(train_localiser(config)), list(train_localiser(config))
    assert [(r.total_loss, r.test_iou) for r in a[1:]] == [(r.total_loss, r.test_iou) for r in b[1:]]
    calls = iter([True])
    assert [r.step for r in train_localiser(LocalisationConfig(steps=30, batch_size=8), lambda: next(calls))] == [0, 1]


@pytest.mark.parametrize("field, value, words", [
    ("steps", 0, "steps"), ("box_weight", -1.0, "λ"), ("box_loss", "L1", "L2, smooth L1"), ("lr", 0.0, "learning rate"),
])
def test_bad_settings_are_refused(field, value, words):
    with pytest.raises(BadInput, match=words):
        next(train_localiser(LocalisationConfig(**{field: value})))
