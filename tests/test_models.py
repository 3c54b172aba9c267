"""Model registry: device choice, duplicates, and the torchvision path with weights=None and a stubbed download."""

from __future__ import annotations

import io
import urllib.error

import pytest
import torch
import torchvision

from vision_core.models import _api as models
from vision_core.models import (
    ModelSpec,
    TorchvisionWeights,
    WeightsMissing,
    best_device,
    download_weights,
    get_model,
    get_spec,
    list_models,
    missing_requirements,
    register,
    torchvision_spec,
)


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(models, "_REGISTRY", dict(models._REGISTRY))
    return models._REGISTRY


@pytest.fixture
def hub(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    return tmp_path / "hub"


def test_device_override_and_fallback(monkeypatch):
    monkeypatch.setenv("DVL_DEVICE", "cpu")
    assert best_device() == torch.device("cpu")
    monkeypatch.delenv("DVL_DEVICE")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert best_device().type == "cuda"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert best_device().type == "mps"
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert best_device() == torch.device("cpu")


def _tiny(name: str = "tiny", task: str = "test") -> ModelSpec:
    return ModelSpec(name, task, "Tiny test net", lambda d: torch.nn.Sequential(torch.nn.Dropout(0.5), torch.nn.Linear(4, 2)).to(d))


def test_register_refuses_duplicates_and_unknown_assets(registry):
    register(_tiny())
    with pytest.raises(ValueError, match="already registered"):
        register(_tiny())
    with pytest.raises(ValueError, match="unknown assets"):
        register(ModelSpec("x", "t", "X", lambda d: None, assets=("no_such_asset",)))


def test_get_model_is_eval_and_frozen(registry):
    register(_tiny())
    model = get_model("tiny", "cpu")
    assert not model.training
    assert all(not p.requires_grad for p in model.parameters())
    x = torch.ones(1, 4)
    assert torch.equal(model(x), model(x)), "dropout is off in eval mode"
    assert [s.name for s in list_models("test")] == ["tiny"]


def test_unknown_model_lists_names(registry):
    with pytest.raises(KeyError, match="Unknown model"):
        get_spec("nope")


def test_missing_embedded_asset_is_reported(registry, tmp_path, monkeypatch):
    monkeypatch.setenv("DVL_CACHE", str(tmp_path))
    register(ModelSpec("needs_yolo", "t", "Needs YOLO", lambda d: None, assets=("yolov3_tiny_cfg",)))
    assert any("yolov3_tiny_cfg" in line for line in missing_requirements(get_spec("needs_yolo")))
    with pytest.raises(FileNotFoundError, match="python -m vision_core.assets fetch yolov3_tiny_cfg"):
        get_model("needs_yolo")


def _resnet18_spec() -> ModelSpec:
    return torchvision_spec("tv_resnet18", "classification", "ResNet-18", "resnet18", "ResNet18_Weights")


def test_torchvision_spec_metadata_offline(registry, hub):
    spec = register(_resnet18_spec())
    assert isinstance(spec.weights, TorchvisionWeights)
    assert spec.weights.filename == "resnet18-f37072fd.pth"
    assert spec.weights.size_mb == pytest.approx(44.661, abs=0.01)
    assert len(spec.classes) == 1000 and spec.classes[0] == "tench"
    lines = missing_requirements(spec)
    assert len(lines) == 1 and "45 MB" in lines[0] and "download.pytorch.org" in lines[0]
    with pytest.raises(WeightsMissing, match="ResNet18_Weights.DEFAULT"):
        get_model("tv_resnet18")


def test_offline_download_says_so_and_leaves_nothing(registry, hub):
    register(_resnet18_spec())

    def offline(url):
        raise urllib.error.URLError("Temporary failure in name resolution")

    with pytest.raises(WeightsMissing, match="offline"):
        download_weights("tv_resnet18", opener=offline)
    assert not list(hub.rglob("*.pth*"))


class _Response(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.headers = {"Content-Length": str(len(data))}


def _state_dict_bytes(model: torch.nn.Module) -> bytes:
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.getvalue()


def test_corrupt_download_is_refused(registry, hub):
    register(_resnet18_spec())
    data = _state_dict_bytes(torchvision.models.resnet18(weights=None))
    with pytest.raises(WeightsMissing, match="corrupt"):
        download_weights("tv_resnet18", opener=lambda url: _Response(data))
    assert not list(hub.rglob("*.pth*"))


def test_stubbed_download_then_torchvision_loads_it(registry, hub, monkeypatch):
    """weights=None network, saved as the download; the hash check is the one thing relaxed."""
    register(_resnet18_spec())
    torch.manual_seed(0)
    reference = torchvision.models.resnet18(weights=None).eval()
    data = _state_dict_bytes(reference)
    monkeypatch.setattr(models, "_HASH_IN_NAME", models.re.compile(r"^\b$"))
    seen: list[tuple[float, str]] = []
    path = download_weights("tv_resnet18", progress=lambda f, m: seen.append((f, m)), opener=lambda url: _Response(data))
    assert path.name == "resnet18-f37072fd.pth" and path.stat().st_size == len(data)
    assert seen and seen[-1][0] == pytest.approx(1.0)
    assert missing_requirements(get_spec("tv_resnet18")) == []
    model = get_model("tv_resnet18", "cpu")
    x = torch.randn(1, 3, 64, 64)
    torch.testing.assert_close(model(x), reference(x))
    assert not model.training
