"""Shared fixtures: sample photos and encoded image bytes."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def encode(img: Image.Image, fmt: str, **kwargs) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kwargs)
    return buf.getvalue()


@pytest.fixture(scope="session")
def astronaut() -> np.ndarray:
    from vision_core.io.samples import load_sample

    return load_sample("astronaut")


@pytest.fixture(scope="session")
def chelsea() -> np.ndarray:
    from vision_core.io.samples import load_sample

    return load_sample("chelsea")


@pytest.fixture(scope="session")
def coffee() -> np.ndarray:
    from vision_core.io.samples import load_sample

    return load_sample("coffee")
