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


@pytest.fixture(scope="module")
def one_thread():
    """Two shared cores: one torch thread avoids OpenMP oversubscription; restored afterwards.

    Use with ``pytestmark = pytest.mark.usefixtures("one_thread")`` in modules that run models."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def hub(tmp_path, monkeypatch) -> Path:
    """An empty torch.hub cache for this test: every torchvision download is missing until a test writes it."""
    import torch

    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    return tmp_path / "hub"


@pytest.fixture
def relaxed_hash(monkeypatch) -> None:
    """Stubbed downloads: ``weights=None`` networks saved as the download cannot match torchvision's sha256
    prefix, so the one check relaxed is the hash in the file name."""
    import re

    from vision_core.models import weights

    monkeypatch.setattr(weights, "_HASH_IN_NAME", re.compile(r"^\b$"))


class StubResponse(io.BytesIO):
    """What ``urllib.request.urlopen`` returns, for a stubbed download of ``data``."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.headers = {"Content-Length": str(len(data))}


def state_dict_bytes(model) -> bytes:
    """``model``'s state_dict as the bytes of a ``.pth`` file."""
    import torch

    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.getvalue()


def recorded_run(train, rebuild):  # noqa: ANN001, ANN201 - callables of the package under test
    """Session fixtures for a package whose tests share one fixed-seed training, to assign in its conftest as
    ``records, trained = recorded_run(...)``: ``records``, every progress record of ``train()`` (a generator),
    and ``trained``, ``rebuild(records[-1])``: the networks after the run."""

    @pytest.fixture(scope="session")
    def records():
        return list(train())

    @pytest.fixture(scope="session")
    def trained(records):
        return rebuild(records[-1])

    return records, trained
