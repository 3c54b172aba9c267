"""Pixels as numbers: channels, grey, histograms, spatial sampling, quantization, region matrices."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from vision_core.ops.pixels import channel, channel_images, histogram, quantize, region, sample_spatially


def test_channels_and_grey_match_opencv(chelsea):
    np.testing.assert_array_equal(channel(chelsea, "red"), chelsea[..., 0])
    grey = channel(chelsea, "grey")
    assert np.abs(grey.astype(int) - cv2.cvtColor(chelsea, cv2.COLOR_RGB2GRAY).astype(int)).max() <= 1
    tinted = channel_images(chelsea)["green"]
    assert tinted[..., 0].max() == 0 and np.array_equal(tinted[..., 1], chelsea[..., 1])
    with pytest.raises(ValueError, match="Channel"):
        channel(chelsea, "alpha")


def test_histogram_matches_calchist(coffee):
    h = histogram(coffee)
    for i, name in enumerate(("red", "green", "blue")):
        ref = cv2.calcHist([coffee], [i], None, [256], [0, 256]).ravel()
        np.testing.assert_array_equal(h.counts[name], ref)
    assert h.counts["grey"].sum() == 400 * 600 == h.pixels
    assert h.mean("red") == pytest.approx(coffee[..., 0].mean())


def test_quantization_levels():
    ramp = np.arange(256, dtype=np.uint8)
    assert np.array_equal(quantize(ramp, 8), ramp)
    assert sorted(set(quantize(ramp, 1).tolist())) == [0, 255]
    for b in range(1, 9):
        q = quantize(ramp, b)
        assert len(np.unique(q)) == 2**b and q[0] == 0 and q[-1] == 255
    assert quantize(ramp, 2).tolist()[::64] == [0, 85, 170, 255]
    with pytest.raises(ValueError, match="1 to 8"):
        quantize(ramp, 0)


def test_spatial_sampling(astronaut):
    small, blocky = sample_spatially(astronaut, 32)
    assert small.shape == (32, 32, 3) and blocky.shape == astronaut.shape
    np.testing.assert_array_equal(blocky[:16, :16], np.broadcast_to(small[0, 0], (16, 16, 3)))
    np.testing.assert_allclose(small[0, 0], astronaut[:16, :16].reshape(-1, 3).mean(axis=0), atol=1)
    with pytest.raises(ValueError, match="whole number"):
        sample_spatially(astronaut, 0)


def test_region_values(chelsea):
    r = region(chelsea, 10, 10, 4, "red")
    np.testing.assert_array_equal(r.values, chelsea[10:14, 10:14, 0])
    edge = region(chelsea, 299, 450, 12, "grey")
    assert edge.values.shape == (12, 12) and edge.top == 300 - 12 and edge.left == 451 - 12
    with pytest.raises(ValueError, match="outside"):
        region(chelsea, 300, 0)
