"""The one model registry: ``ModelSpec`` (what a model is and needs), ``register``, ``list_models``, ``get_model``.

A ``ModelSpec`` says what a model is for (a ``Task``), what it needs (embedded assets from
``vision_core.assets`` or torchvision weights from the hub), how its input is prepared (an
executable ``preprocessing`` from ``vision_core.models.transforms``) and how to load it.
``get_model`` builds it on the best device, in eval mode, with gradients off; the UI layer caches
the result once per process (``ui.models``), vision_core never does. Callers never mutate a
returned model.

Models are registered by the family modules listed in ``PROVIDERS``, imported on first use and only
for the tasks asked for (a page about detection imports no segmenter). A model registered with
``thread_safe=False`` comes back wrapped in ``Serialized``: every call into it holds the registry's
lock for that model, so pages never take locks themselves.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import threading
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any

import torch

from vision_core.assets import MANIFEST, asset_path, is_present
from vision_core.errors import BadInput, UnknownModel, WeightsMissing
from vision_core.models.device import best_device
from vision_core.models.weights import Opener, TorchvisionWeights, fetch_weights
from vision_core.types import ProgressFn

__all__ = [
    "ModelSpec",
    "PROVIDERS",
    "Serialized",
    "Task",
    "TorchvisionWeights",
    "WeightsMissing",
    "UnknownModel",
    "best_device",
    "download_weights",
    "get_model",
    "get_spec",
    "list_models",
    "missing_requirements",
    "register",
    "torchvision_spec",
]


class Task(str, Enum):
    """What a model is for. ``Task("detection")`` accepts the value; an unknown one raises ``BadInput``."""

    CLASSIFICATION = "classification"
    FEATURES = "features"
    DETECTION = "detection"
    SEGMENTATION = "segmentation"
    INSTANCE_SEGMENTATION = "instance_segmentation"
    POSE = "pose"
    FACE_DETECTION = "face_detection"
    FACE_LANDMARKS = "face_landmarks"
    HAND_LANDMARKS = "hand_landmarks"
    GENERATION = "generation"
    STYLE = "style"
    CAPTIONING = "captioning"

    @classmethod
    def of(cls, value: Task | str) -> Task:
        """``value`` as a ``Task``; ``BadInput`` listing the valid tasks for anything else."""
        if isinstance(value, cls):
            return value
        try:
            return cls(value)
        except ValueError:
            raise BadInput(f"Unknown task {value!r}. Tasks: {', '.join(t.value for t in cls)}.") from None


PROVIDERS: dict[Task, tuple[str, ...]] = {
    Task.CLASSIFICATION: ("vision_core.models.classification",),
    Task.FEATURES: ("vision_core.models.vgg16", "vision_core.models.style"),
    Task.DETECTION: ("vision_core.models.detection",),
    Task.SEGMENTATION: ("vision_core.models.segmentation",),
    Task.INSTANCE_SEGMENTATION: ("vision_core.models.segmentation",),
    Task.POSE: ("vision_core.models.pose",),
    Task.FACE_DETECTION: ("vision_core.models.pose",),
    Task.FACE_LANDMARKS: ("vision_core.models.pose",),
    Task.HAND_LANDMARKS: ("vision_core.models.pose",),
    Task.GENERATION: ("vision_core.models.generation",),
    Task.STYLE: ("vision_core.models.style",),
    Task.CAPTIONING: ("vision_core.models.captioning",),
}
"""The family modules that register each task's models (imported on first use of that task)."""


@dataclass(frozen=True)
class ModelSpec:
    """What a model is and how to build it.

    ``loader(device)`` returns the ready model on ``device`` (an ``nn.Module``, or another runtime
    such as an onnxruntime session). ``assets`` are embedded asset names; ``weights`` optional
    torchvision hub weights. ``preprocessing`` is executable (``vision_core.models.transforms``);
    its ``text`` is what pages show. ``shares`` names another registered model whose loaded
    object ``adapt`` turns into this one (the same weights at another input size: loaded once).
    An empty ``licence``/``citation`` is taken from the first asset's manifest entry at registration.
    """

    name: str
    task: Task
    title: str
    loader: Callable[[torch.device], Any] | None
    assets: tuple[str, ...] = ()
    weights: TorchvisionWeights | None = None
    preprocessing: Any = None
    classes: tuple[str, ...] = field(default=(), repr=False)
    licence: str = ""
    citation: str = ""
    thread_safe: bool = True
    shares: str | None = None
    adapt: Callable[[Any], Any] | None = None
    packages: tuple[str, ...] = ()
    """Optional Python packages (not in requirements.txt) the loader imports; missing ones are listed."""

    @property
    def embedded(self) -> bool:
        return self.weights is None

    @property
    def preprocessing_text(self) -> str:
        """The preprocessing in words, derived from the executable recipe."""
        return self.preprocessing.text if self.preprocessing is not None else "none"


class Serialized:
    """A thread-unsafe runtime behind the registry's lock: calling it, or any method or callable part of it
    (``net.detector(x)``), holds ``lock``. Attribute reads pass through; ``isinstance`` sees the wrapped type."""

    __slots__ = ("_target", "_lock")

    def __init__(self, target: Any, lock: threading.RLock) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_lock", lock)

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # noqa: D105
        return type(object.__getattribute__(self, "_target"))

    def __getattr__(self, name: str) -> Any:
        value = getattr(object.__getattribute__(self, "_target"), name)
        if name.startswith("__") or not callable(value) or isinstance(value, type):
            return value
        lock = object.__getattribute__(self, "_lock")
        if inspect.ismethod(value) or inspect.isfunction(value) or inspect.isbuiltin(value) or inspect.ismethoddescriptor(value):
            def locked(*args: Any, **kwargs: Any) -> Any:
                with lock:
                    return value(*args, **kwargs)

            return locked
        return Serialized(value, lock)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with object.__getattribute__(self, "_lock"):
            return object.__getattribute__(self, "_target")(*args, **kwargs)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Shared models are read-only.")

    def __repr__(self) -> str:
        return f"Serialized({object.__getattribute__(self, '_target')!r})"


_REGISTRY: dict[str, ModelSpec] = {}
_LOCK = threading.Lock()
_MODEL_LOCKS: dict[str, threading.RLock] = {}
_loaded: set[str] = set()


def register(spec: ModelSpec) -> ModelSpec:
    """Add ``spec`` to the registry; refuses a taken name, an unknown task or unknown assets."""
    task = Task.of(spec.task)
    if task is not spec.task:  # (a copy only when needed: copying reads a hub spec's deferred fields)
        spec = replace(spec, task=task)
    unknown = [a for a in spec.assets if a not in MANIFEST]
    if unknown:
        raise BadInput(f"Model {spec.name!r} needs unknown assets: {', '.join(unknown)}.")
    if spec.loader is None and (spec.shares is None or spec.adapt is None):
        raise BadInput(f"Model {spec.name!r} needs a loader, or shares= with adapt=.")
    if spec.assets:
        first = MANIFEST[spec.assets[0]]
        spec = replace(spec, licence=spec.licence or first.licence, citation=spec.citation or first.citation)
    with _LOCK:
        if spec.name in _REGISTRY:
            raise BadInput(f"A model named {spec.name!r} is already registered.")
        _REGISTRY[spec.name] = spec
        _MODEL_LOCKS.setdefault(spec.name, threading.RLock())
    return spec


def _load(modules: Iterable[str]) -> None:
    """Import provider modules once; an import failure is an error (never a silently missing model)."""
    for module in modules:
        if module in _loaded:
            continue
        importlib.import_module(module)
        _loaded.add(module)


def _all_providers() -> list[str]:
    return list(dict.fromkeys(m for mods in PROVIDERS.values() for m in mods))


def list_models(task: Task | str | None = None) -> list[ModelSpec]:
    """Registered models, optionally only those of ``task`` (a ``Task`` or its value); ``BadInput`` for an unknown task."""
    if task is None:
        _load(_all_providers())
        return list(_REGISTRY.values())
    t = Task.of(task)
    _load(PROVIDERS.get(t, ()))
    return [s for s in _REGISTRY.values() if s.task is t]


def get_spec(name: str) -> ModelSpec:
    """The spec registered as ``name``; ``UnknownModel`` lists the known names."""
    if name in _REGISTRY:
        return _REGISTRY[name]
    for module in _all_providers():
        _load((module,))
        if name in _REGISTRY:
            return _REGISTRY[name]
    raise UnknownModel(f"Unknown model {name!r}. Known models: {', '.join(sorted(_REGISTRY))}.")


def missing_requirements(spec: ModelSpec) -> list[str]:
    """Human-readable lines for everything ``spec`` needs that is not on this machine."""
    if spec.shares is not None:
        return missing_requirements(get_spec(spec.shares))
    lines = [
        f"embedded asset '{a}' ({MANIFEST[a].size_mb:.1f} MB): python -m vision_core.assets fetch {a}"
        for a in spec.assets
        if not is_present(a)
    ]
    if spec.weights is not None and not spec.weights.is_cached():
        kind = "torchvision weights" if isinstance(spec.weights, TorchvisionWeights) else "weights"
        lines.append(f"{kind} {spec.weights.describe()}")
    lines += [
        f"the Python package '{p}', an optional extra: pip install -r requirements-extras.txt"
        for p in spec.packages
        if importlib.util.find_spec(p) is None
    ]
    return lines


def model_lock(name: str) -> threading.RLock:
    """The registry's lock for model ``name`` (held by ``Serialized`` around every call)."""
    get_spec(name)
    return _MODEL_LOCKS[name]


def _finish(spec: ModelSpec, model: Any) -> Any:
    if isinstance(model, torch.nn.Module):
        model.eval()
        for p in model.parameters():
            p.requires_grad_(False)
    if not spec.thread_safe and not isinstance(model, Serialized):
        model = Serialized(model, _MODEL_LOCKS[spec.name])
    return model


def get_model(name: str, device: torch.device | str | None = None, *, base: Any = None) -> Any:
    """Build model ``name`` on ``device`` (default ``best_device()``), in eval mode with gradients off.

    Raises ``UnknownModel``, or ``AssetMissing`` / ``WeightsMissing`` (what is missing, where from and how
    big) instead of downloading anything. For a spec that ``shares`` another model's weights, ``base`` may be
    the already loaded shared model (the UI passes its cached copy); otherwise it is loaded here.
    """
    spec = get_spec(name)
    dev = torch.device(device) if device is not None else best_device()
    if spec.shares is not None:
        assert spec.adapt is not None
        shared = base if base is not None else get_model(spec.shares, dev)
        return _finish(spec, spec.adapt(shared))
    for asset in spec.assets:
        asset_path(asset)
    if spec.weights is not None and not spec.weights.is_cached():
        raise WeightsMissing(
            f"{spec.title} needs {spec.weights.describe()}. "
            "It is downloaded on demand and this machine has no copy; with internet access use the download button."
        )
    assert spec.loader is not None
    return _finish(spec, spec.loader(dev))


def torchvision_spec(
    name: str,
    task: Task | str,
    title: str,
    builder: str,
    weights_enum: str,
    member: str = "DEFAULT",
    *,
    preprocessing: Any = None,
    **builder_kwargs: Any,
) -> ModelSpec:
    """A spec for a torchvision model whose weights come from the hub through the Weights API.

    ``builder`` is a ``torchvision.models`` builder name (``"fasterrcnn_resnet50_fpn_v2"``); the loader
    calls it with the resolved weights, which torchvision reads from torch.hub's cache once
    ``download_weights`` has put them there. ``preprocessing`` defaults to the weights' own
    ``transforms()`` recipe as a ``ResizeCropNormalize`` for classifiers.
    """
    weights = TorchvisionWeights(weights_enum, member)

    def load(device: torch.device) -> torch.nn.Module:
        from torchvision.models import get_model_builder

        return get_model_builder(builder)(weights=weights.resolve(), **builder_kwargs).to(device)

    def metadata() -> dict[str, Any]:
        resolved = weights.resolve()
        found: dict[str, Any] = {"classes": tuple(resolved.meta.get("categories") or ()),
                                 "citation": str(resolved.meta.get("recipe", ""))}
        if preprocessing is None:
            from vision_core.models.transforms import ResizeCropNormalize

            t = resolved.transforms()
            crop = getattr(t, "crop_size", [224])[0]
            resize = getattr(t, "resize_size", [256])[0]
            found["preprocessing"] = ResizeCropNormalize.imagenet(int(resize), int(crop))
        return found

    return _HubSpec(
        name=name,
        task=Task.of(task),
        title=title,
        loader=load,
        weights=weights,
        preprocessing=preprocessing if preprocessing is not None else _DEFERRED,
        classes=_DEFERRED,  # type: ignore[arg-type]
        licence="BSD-3-Clause (torchvision); see the weights' recipe for data terms",
        citation=_DEFERRED,  # type: ignore[arg-type]
        metadata=metadata,
    )


_DEFERRED: Any = type("_Deferred", (), {"__repr__": lambda self: "<deferred>"})()
_HUB_FIELDS = frozenset({"preprocessing", "classes", "citation"})


@dataclass(frozen=True)
class _HubSpec(ModelSpec):
    """A ``torchvision_spec``: the fields torchvision's Weights enum provides (``classes``, ``citation`` and, unless
    given, ``preprocessing``) are read from it on first access, so registering and listing the model import no
    torchvision (whose package import loads every submodule and its compiled extension). Reads see the same values
    an eager spec would hold."""

    metadata: Callable[[], dict[str, Any]] | None = field(default=None, repr=False, compare=False)

    def __getattribute__(self, name: str) -> Any:
        if name in _HUB_FIELDS:
            values = object.__getattribute__(self, "__dict__")
            if values.get(name) is _DEFERRED:
                for key, value in object.__getattribute__(self, "metadata")().items():
                    if values.get(key) is _DEFERRED:
                        object.__setattr__(self, key, value)
        return object.__getattribute__(self, name)


def download_weights(
    name: str,
    progress: ProgressFn | None = None,
    opener: Opener = urllib.request.urlopen,
) -> Path:
    """Download the torchvision weights of model ``name`` into torch.hub's cache.

    ``progress(fraction, message)`` is called per MiB. Raises ``WeightsMissing`` with a plain sentence
    when the network cannot be reached; a failed or corrupt download never leaves a file behind.
    """
    spec = get_spec(name)
    if spec.shares is not None:
        return download_weights(spec.shares, progress, opener)
    if spec.weights is None:
        raise BadInput(f"{spec.title} uses embedded assets only; nothing to download from the hub.")
    own_fetch = getattr(spec.weights, "fetch", None)  # weights from elsewhere (hub files) bring their own
    if callable(own_fetch):
        return own_fetch(spec.title, progress, opener)
    return fetch_weights(spec.weights, spec.title, progress, opener)
