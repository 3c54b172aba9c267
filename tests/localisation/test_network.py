"""The two heads' shapes and the box coordinates (x, y, w, h) ↔ xyxy, by hand."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from vision_core.errors import BadInput
from vision_core.localisation import Localiser, cxcywh_to_xyxy, xyxy_to_cxcywh


def test_two_heads():
    with torch.no_grad():
        logits, box = Localiser().eval()(torch.rand(5, 1, 64, 64))
    assert logits.shape == (5, 10) and box.shape == (5, 4)
    assert float(box.min()) > 0 and float(box.max()) < 1, "the box head ends in a sigmoid"


def test_box_coordinates_by_hand():
    xyxy = np.array([[8, 16, 24, 48]], np.float32)
    assert xyxy_to_cxcywh(xyxy, 64).tolist() == [[0.25, 0.5, 0.25, 0.5]]
    assert cxcywh_to_xyxy(np.array([[0.25, 0.5, 0.25, 0.5]]), 64).tolist() == [[8, 16, 24, 48]]
    assert cxcywh_to_xyxy(np.array([[0.95, 0.5, 0.2, 0.2]]), 64)[0].tolist() == pytest.approx([54.4, 25.6, 64, 38.4]), \
        "clipped to the canvas"
    with pytest.raises(BadInput):
        xyxy_to_cxcywh(np.zeros(4), 64)
