"""The inception 1×1 bottleneck calculator: the lecture's 28×28×192 example, counted by FlopCounterMode."""

from __future__ import annotations

import pytest

from vision_core import architectures as arch
from vision_core.errors import BadInput

def test_inception_bottleneck_is_the_lecture_example():
    r = arch.inception_bottleneck()
    assert r.direct_macs == 5 * 5 * 192 * 28 * 28 * 32 == 120_422_400
    assert r.reduce_macs == 1 * 1 * 192 * 28 * 28 * 16 == 2_408_448
    assert r.conv_macs == 5 * 5 * 16 * 28 * 28 * 32 == 10_035_200
    assert r.reduced_macs == 12_443_648
    assert round(r.direct_macs / 1e6) == 120 and round(r.reduced_macs / 1e5) / 10 == 12.4
    assert round(r.reduce_macs / 1e5) / 10 == 2.4 and round(r.conv_macs / 1e6) == 10
    assert r.saving == pytest.approx(9.68, abs=0.01)
    assert arch.inception_bottleneck(reduce_to=32).reduced_macs == 192 * 784 * 32 + 25 * 32 * 784 * 32
    with pytest.raises(BadInput, match="odd kernel"):
        arch.inception_bottleneck(kernel=4)
    with pytest.raises(BadInput, match="positive"):
        arch.inception_bottleneck(channels=0)
