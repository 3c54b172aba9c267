"""vision_core.style.images: the offline style images (textures as they are, the coffee sample painted)."""

from __future__ import annotations

import pytest

from vision_core.errors import BadInput
from vision_core.style import STYLE_CHOICES, style_image


def test_offline_style_images(sess26):
    assert style_image("brick").shape == (512, 512, 3)
    painted = style_image("painted_3", session=sess26, side=96)
    assert painted.shape == (64, 96, 3), "coffee is 600×400: long side 96 → 96×64"
    assert "hubble_deep_field" in STYLE_CHOICES and "painted_3" in STYLE_CHOICES
    with pytest.raises(BadInput, match="Unknown style image"):
        style_image("painted_99")
    with pytest.raises(BadInput, match="needs its session"):
        style_image("painted_3")
