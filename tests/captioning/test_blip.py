"""The real captioner offline: BLIP's spec says what is missing (the package, 990.8 MB of files) and nothing is faked.

No test here downloads anything: the hub folder is an empty temporary one (``hub``), downloads go through
stub openers, and ``transformers`` is treated as absent whether or not this machine has it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys

import numpy as np
import pytest
import torch

from tests.conftest import StubResponse
from vision_core.captioning import caption_photo
from vision_core.errors import ImageError, WeightsMissing
from vision_core.models import Task, download_weights, get_model, get_spec, list_models, missing_requirements
from vision_core.models.captioning import BLIP_FILES, BlipInput, HubFiles, load_blip


@pytest.fixture
def no_transformers(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "transformers" else real(name, *a))
    monkeypatch.setitem(sys.modules, "transformers", None)  # import transformers → ImportError


def test_blip_is_the_captioning_model():
    assert [s.name for s in list_models(Task.CAPTIONING)] == ["blip_base"]
    spec = get_spec("blip_base")
    assert spec.packages == ("transformers",) and not spec.embedded
    assert sum(size for _, size, _ in BLIP_FILES) == 990_769_234
    assert spec.weights.size_mb == pytest.approx(990.769234)
    assert spec.preprocessing_text.startswith("RGB stretched to 384×384 (bicubic)")


def test_missing_package_and_files_are_named(hub, no_transformers):
    lines = missing_requirements(get_spec("blip_base"))
    assert len(lines) == 2, lines
    assert "991 MB" in lines[0] and "huggingface.co/Salesforce/blip-image-captioning-base" in lines[0]
    assert "'transformers'" in lines[1] and "requirements-extras.txt" in lines[1]
    with pytest.raises(WeightsMissing, match="991 MB"):
        get_model("blip_base", "cpu")
    with pytest.raises(WeightsMissing, match="transformers"):
        load_blip(torch.device("cpu"))


def test_offline_download_fails_plainly_and_leaves_nothing(hub):
    def offline(url):
        raise OSError("Name or service not known")

    with pytest.raises(WeightsMissing, match="may be offline"):
        download_weights("blip_base", opener=offline)
    folder = get_spec("blip_base").weights.folder
    assert not folder.exists() or not any(folder.iterdir())


def _files(contents: dict[str, bytes]) -> tuple[tuple[str, int, str], ...]:
    return tuple((n, len(b), hashlib.sha256(b).hexdigest()) for n, b in contents.items())


def test_hub_files_download_checked_with_progress(hub):
    contents = {"config.json": b'{"a": 1}', "pytorch_model.bin": bytes(range(256)) * 40}
    files = HubFiles("someone/tiny", "abc123", _files(contents))
    assert files.missing() == ["config.json", "pytorch_model.bin"]
    asked, seen = [], []

    def opener(url):
        asked.append(url)
        return StubResponse(contents[url.rsplit("/", 1)[1]])

    folder = files.fetch("Tiny", lambda f, m: seen.append(f), opener)
    assert files.is_cached() and folder == hub / "huggingface" / "someone--tiny"
    assert (folder / "pytorch_model.bin").read_bytes() == contents["pytorch_model.bin"]
    assert asked == [f"https://huggingface.co/someone/tiny/resolve/abc123/{n}" for n in contents]
    assert seen[-1] == 1.0 and seen == sorted(seen)
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "pytorch_model.bin"]


def test_a_corrupt_file_is_discarded(hub):
    good = b"weights" * 100
    files = HubFiles("someone/tiny", "abc123", _files({"pytorch_model.bin": good}))
    with pytest.raises(WeightsMissing, match="corrupt"):
        files.fetch("Tiny", None, lambda url: StubResponse(b"tampered" * 100))
    assert not files.folder.exists() or not any(files.folder.iterdir())


def test_blip_input_is_its_processor_recipe():
    image = np.zeros((10, 20, 3), np.uint8)
    image[..., 0] = 255
    x = BlipInput()(image)
    assert x.shape == (1, 3, 384, 384)
    assert float(x[0, 0, 5, 5]) == pytest.approx((1 - 0.48145466) / 0.26862954, abs=1e-5)
    assert float(x[0, 2, 5, 5]) == pytest.approx((0 - 0.40821073) / 0.27577711, abs=1e-5)


def test_caption_photo_checks_the_photo_first():
    with pytest.raises(ImageError):
        caption_photo(np.zeros((4, 4), np.uint8), net=None)
