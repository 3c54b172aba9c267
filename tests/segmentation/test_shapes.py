"""The lecture's shapes: a per-pixel sliding window's cost, FCN-32s and U-Net feature maps."""

from __future__ import annotations

import pytest

from vision_core import segmentation as S


def test_sliding_window_count_is_the_lecture_point():
    cost = S.sliding_window_cost(512, 512, patch=64)
    assert cost.windows == 262_144 and cost.redundancy == 4096 and cost.pixel_reads == 262_144 * 4096
    with pytest.raises(ValueError, match="patch"):
        S.sliding_window_cost(512, 512, patch=0)


def test_fcn_and_unet_shapes():
    fcn = S.fcn_shapes(224, 224)
    pool5 = fcn[5]
    assert (pool5.channels, pool5.height, pool5.width) == (512, 7, 7), "the lecture's 7×7×512"
    assert fcn[6].channels == 4096 and (fcn[-1].channels, fcn[-1].height, fcn[-1].width) == (21, 224, 224)
    unet = S.unet_shapes(572, 572)
    assert (unet[-1].height, unet[-1].width) == (388, 388), "Ronneberger et al.: 572 in, 388 out"
    bottleneck = next(r for r in unet if r.stage.startswith("bottleneck"))
    assert (bottleneck.channels, bottleneck.height) == (1024, 28)
    assert sum(1 for r in unet if r.skip) == 4
    same = S.unet_shapes(256, 256, padding="same")
    assert same[-1].height == 256
    with pytest.raises(ValueError, match="odd size"):
        S.unet_shapes(570, 570)
    with pytest.raises(ValueError, match="at least 32×32"):
        S.fcn_shapes(16, 64)
