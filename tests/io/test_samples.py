"""Bundled sample photos load offline as (H, W, 3) uint8 RGB."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.io.samples import SAMPLES, load_sample, sample_names


@pytest.mark.parametrize("name", sample_names())
def test_every_sample_loads(name):
    img = load_sample(name)
    assert img.ndim == 3 and img.shape[2] == 3 and img.dtype == np.uint8
    assert min(img.shape[:2]) >= 64
    assert not img.flags.writeable
    assert SAMPLES[name].title and SAMPLES[name].source


def test_known_sizes():
    assert load_sample("astronaut").shape == (512, 512, 3)
    assert load_sample("chelsea").shape == (300, 451, 3)
    assert load_sample("china").shape == (427, 640, 3)


def test_unknown_sample_lists_names():
    with pytest.raises(KeyError, match="chelsea"):
        load_sample("no-such-photo")
