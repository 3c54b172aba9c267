"""Model registry: device choice, tasks, duplicates, locks, shared weights, and the torchvision path with
weights=None and a stubbed download."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.error

import pytest
import torch
import torchvision

from tests.conftest import ROOT, StubResponse, state_dict_bytes
from vision_core.errors import AssetMissing, BadInput, UnknownModel, VisionCoreError
from vision_core.models import _api as models
from vision_core.models import (
    ModelSpec,
    Serialized,
    Task,
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
    list_models()  # every provider registered first, so the copy holds them
    monkeypatch.setattr(models, "_REGISTRY", dict(models._REGISTRY))
    monkeypatch.setattr(models, "_MODEL_LOCKS", dict(models._MODEL_LOCKS))
    return models._REGISTRY


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


def _tiny(name: str = "tiny", task: Task | str = Task.CLASSIFICATION) -> ModelSpec:
    return ModelSpec(name, task, "Tiny test net", lambda d: torch.nn.Sequential(torch.nn.Dropout(0.5), torch.nn.Linear(4, 2)).to(d))


def test_register_refuses_duplicates_and_unknown_assets(registry):
    register(_tiny())
    with pytest.raises(ValueError, match="already registered"):
        register(_tiny())
    with pytest.raises(BadInput, match="unknown assets"):
        register(ModelSpec("x", Task.DETECTION, "X", lambda d: None, assets=("no_such_asset",)))
    with pytest.raises(BadInput, match="Unknown task 'detetion'. Tasks: classification, features, detection"):
        register(ModelSpec("y", "detetion", "Y", lambda d: None))


def test_get_model_is_eval_and_frozen(registry):
    register(_tiny())
    model = get_model("tiny", "cpu")
    assert not model.training
    assert all(not p.requires_grad for p in model.parameters())
    x = torch.ones(1, 4)
    assert torch.equal(model(x), model(x)), "dropout is off in eval mode"
    assert "tiny" in [s.name for s in list_models("classification")]
    assert get_spec("tiny").task is Task.CLASSIFICATION


def test_unknown_task_and_model_raise_from_the_one_family(registry):
    with pytest.raises(BadInput, match="Unknown task 'detetion'"):
        list_models("detetion")
    with pytest.raises(UnknownModel, match="Unknown model 'nope'. Known models: .*yolov3_tiny"):
        get_spec("nope")
    assert issubclass(UnknownModel, VisionCoreError) and issubclass(VisionCoreError, ValueError)


def test_a_provider_that_fails_to_import_is_an_error(monkeypatch):
    monkeypatch.setitem(models.PROVIDERS, Task.CAPTIONING, ("vision_core.models.no_such_family",))
    with pytest.raises(ModuleNotFoundError, match="no_such_family"):
        list_models(Task.CAPTIONING)


def test_a_task_imports_only_its_own_family():
    """Listing the detectors registers no segmenter or pose model (each page imports only what it uses)."""
    code = ("import sys; from vision_core.models import list_models; "
            "print(sorted({s.task.value for s in list_models('detection')})); "
            "print('vision_core.models.segmentation' in sys.modules, 'vision_core.models.pose' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "['detection']" and out[1] == "False False"


class _Counter:
    """A runtime that is not thread-safe: it notices two calls inside it at once."""

    def __init__(self) -> None:
        self.inside = 0
        self.overlaps = 0
        self.part = self

    def __call__(self, x: int) -> int:
        self.inside += 1
        if self.inside > 1:
            self.overlaps += 1
        time.sleep(0.002)
        self.inside -= 1
        return x + 1

    def method(self, x: int) -> int:
        return self(x)


def test_thread_unsafe_models_are_serialised_by_the_registry(registry):
    raw = _Counter()
    register(ModelSpec("unsafe", Task.CLASSIFICATION, "Unsafe", lambda d: raw, thread_safe=False))
    net = get_model("unsafe", "cpu")
    assert isinstance(net, Serialized) and isinstance(net, _Counter)
    results: list[int] = []

    def work():
        for i in range(20):
            results.append(net(i) + net.method(i) + net.part(i))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert raw.overlaps == 0 and len(results) == 80
    assert sorted(results)[:4] == [3, 3, 3, 3]
    with pytest.raises(AttributeError, match="read-only"):
        net.inside = 5


def test_a_shared_spec_reuses_the_base_model(registry):
    register(_tiny("base"))
    register(ModelSpec("wrapped", Task.CLASSIFICATION, "Wrapped", None, shares="base",
                       adapt=lambda m: torch.nn.Sequential(m, torch.nn.Softmax(dim=1))))
    base = get_model("base", "cpu")
    wrapped = get_model("wrapped", "cpu", base=base)
    assert wrapped[0] is base
    x = torch.ones(1, 4)
    torch.testing.assert_close(wrapped(x), torch.softmax(base(x), dim=1))
    assert missing_requirements(get_spec("wrapped")) == missing_requirements(get_spec("base"))
    with pytest.raises(BadInput, match="needs a loader"):
        register(ModelSpec("broken", Task.CLASSIFICATION, "Broken", None))


def test_every_registered_model_has_an_executable_preprocessing():
    for spec in list_models():
        assert spec.preprocessing is not None, spec.name
        assert spec.preprocessing_text == spec.preprocessing.text and len(spec.preprocessing_text) > 10


def test_missing_embedded_asset_is_reported(registry, tmp_path, monkeypatch):
    monkeypatch.setenv("DVL_CACHE", str(tmp_path))
    register(ModelSpec("needs_yolo", Task.DETECTION, "Needs YOLO", lambda d: None, assets=("yolov3_tiny_cfg",)))
    assert any("yolov3_tiny_cfg" in line for line in missing_requirements(get_spec("needs_yolo")))
    with pytest.raises(AssetMissing, match="python -m vision_core.assets fetch yolov3_tiny_cfg"):
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


def test_corrupt_download_is_refused(registry, hub):
    register(_resnet18_spec())
    data = state_dict_bytes(torchvision.models.resnet18(weights=None))
    with pytest.raises(WeightsMissing, match="corrupt"):
        download_weights("tv_resnet18", opener=lambda url: StubResponse(data))
    assert not list(hub.rglob("*.pth*"))


def test_stubbed_download_then_torchvision_loads_it(registry, hub, relaxed_hash):
    """weights=None network, saved as the download; the hash check is the one thing relaxed."""
    register(_resnet18_spec())
    torch.manual_seed(0)
    reference = torchvision.models.resnet18(weights=None).eval()
    data = state_dict_bytes(reference)
    seen: list[tuple[float, str]] = []
    path = download_weights("tv_resnet18", progress=lambda f, m: seen.append((f, m)), opener=lambda url: StubResponse(data))
    assert path.name == "resnet18-f37072fd.pth" and path.stat().st_size == len(data)
    assert seen and seen[-1][0] == pytest.approx(1.0)
    assert missing_requirements(get_spec("tv_resnet18")) == []
    model = get_model("tv_resnet18", "cpu")
    x = torch.randn(1, 3, 64, 64)
    torch.testing.assert_close(model(x), reference(x))
    assert not model.training
