"""vision_core.ops.draw: boxes land where they should, colours per class are stable, viridis and heatmap overlays."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.errors import BadInput
from vision_core.ops.draw import PALETTE, colour_for, colourise, draw_boxes, overlay_heatmap


def test_draw_boxes_paints_only_the_outline():
    image = np.zeros((100, 100, 3), np.uint8)
    out = draw_boxes(image, [[10, 20, 60, 80]], colours=(255, 0, 0), width=2)
    assert image.max() == 0, "the input is not modified"
    assert out[20, 30].tolist() == [255, 0, 0] and out[50, 10].tolist() == [255, 0, 0]
    assert out[50, 35].tolist() == [0, 0, 0], "inside stays untouched"
    assert out[5, 5].tolist() == [0, 0, 0], "outside stays untouched"
    labelled = draw_boxes(image, [[10, 20, 60, 80]], labels=["cat 0.93"])
    plain = draw_boxes(image, [[10, 20, 60, 80]], colours=colour_for("cat 0.93"))
    tag = (labelled != plain).any(axis=2)
    assert tag[20:40, 10:60].sum() > 100 and not tag[45:, :].any(), "a filled label tag at the top of the box"
    with pytest.raises(ValueError, match="1 boxes but 2 labels"):
        draw_boxes(image, [[10, 20, 60, 80]], labels=["a", "b"])
    np.testing.assert_array_equal(draw_boxes(image, np.zeros((0, 4))), image)


def test_colours_per_class_are_stable():
    assert colour_for("person") == colour_for("person") and colour_for("person") in PALETTE
    assert len({colour_for(c) for c in ("person", "cat", "dog", "car", "bus", "tie")}) >= 4


def test_viridis_and_heatmap_overlay():
    ramp = colourise(np.array([[0.0, 1.0]]))
    assert ramp[0, 0].tolist() == [68, 1, 84] and ramp[0, 1].tolist() == [253, 231, 37]  # viridis ends
    assert colourise(np.full((2, 2), 3.0)).tolist() == [[[68, 1, 84]] * 2] * 2, "a flat map is the low colour"
    crop = np.full((224, 224, 3), 100, np.uint8)
    heat = np.zeros((7, 7), np.float32)
    heat[3, 3] = 1.0
    np.testing.assert_array_equal(overlay_heatmap(crop, heat, 0.0), crop)
    full = overlay_heatmap(crop, heat, 1.0)
    assert full[112, 112].tolist() == [253, 231, 37], "viridis yellow at the maximum"
    half = overlay_heatmap(crop, heat, 0.5)
    assert half[112, 112].tolist() == [round((100 + 253) / 2), round((100 + 231) / 2), round((100 + 37) / 2)]
    with pytest.raises(BadInput, match="Opacity must be between 0 and 1"):
        overlay_heatmap(crop, heat, 1.5)
