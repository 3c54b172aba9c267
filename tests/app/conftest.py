"""AppTest fixtures: every page test starts with an empty torch.hub cache of its own (``hub``), so a machine that
ran ``make models`` (Faster R-CNN, DeepLabV3, Mask R-CNN, Keypoint R-CNN downloaded) opens the pages with the same
embedded defaults as CI; a test that wants hub weights writes stubbed ones into that cache."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _empty_hub(hub):
    return hub
