"""vision_core.models.device: thread limits are applied and restored."""

from __future__ import annotations

import torch

from vision_core.models.device import limited_threads


def test_limited_threads_restores():
    before = torch.get_num_threads()
    with limited_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    with limited_threads(None):
        assert torch.get_num_threads() == before
