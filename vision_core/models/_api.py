"""One model registry for the whole app.

A ``ModelSpec`` says what a model is for, what it needs (embedded assets from
``vision_core.assets`` or torchvision weights from the hub) and how to load it.
``get_model`` builds it on the best device, in eval mode. The UI layer caches
the result once per process (``st.cache_resource``), so every session shares a
single copy; callers never mutate a returned model.

Feature modules register their models at import; the modules listed in
``PROVIDERS`` are imported on first use of the registry.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import tempfile
import threading
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import torch

from vision_core.assets import MANIFEST, asset_path, is_present

__all__ = [
    "ModelSpec",
    "TorchvisionWeights",
    "WeightsMissing",
    "best_device",
    "download_weights",
    "get_model",
    "get_spec",
    "list_models",
    "missing_requirements",
    "register",
    "torchvision_spec",
]

PROVIDERS: tuple[str, ...] = (
    "vision_core.models.vgg16",
    "vision_core.classify",
    "vision_core.see",
    "vision_core.detection",
    "vision_core.segmentation",
    "vision_core.pose",
    "vision_core.generative.faces",
    "vision_core.style",
)

ProgressFn = Callable[[float, str], None]


class WeightsMissing(FileNotFoundError):
    """Hub weights are not in the local cache; the message says what, from where and how big."""


def best_device() -> torch.device:
    """CUDA if available, then MPS, then CPU. ``DVL_DEVICE`` (e.g. ``cpu``, ``cuda:1``) overrides."""
    env = os.environ.get("DVL_DEVICE", "").strip()
    if env:
        return torch.device(env)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


_HASH_IN_NAME = re.compile(r"-([a-f0-9]{8,})\.")


@dataclass(frozen=True)
class TorchvisionWeights:
    """A torchvision Weights enum member named by strings, e.g.
    ``TorchvisionWeights("FasterRCNN_ResNet50_FPN_V2_Weights", "DEFAULT")``."""

    enum: str
    member: str = "DEFAULT"

    def resolve(self) -> Any:
        """The torchvision ``WeightsEnum`` member (no download)."""
        from torchvision.models import get_weight

        return get_weight(f"{self.enum}.{self.member}")

    @property
    def url(self) -> str:
        return str(self.resolve().url)

    @property
    def filename(self) -> str:
        return self.url.rsplit("/", 1)[-1]

    @property
    def size_mb(self) -> float | None:
        """Download size in MB from torchvision's metadata, when it publishes one."""
        size = self.resolve().meta.get("_file_size")
        return float(size) if size is not None else None

    @property
    def cache_path(self) -> Path:
        return Path(torch.hub.get_dir()) / "checkpoints" / self.filename

    def is_cached(self) -> bool:
        return self.cache_path.is_file()

    def describe(self) -> str:
        size = f"{self.size_mb:.0f} MB" if self.size_mb else "size unknown"
        return f"{self.enum}.{self.member} ({size}) from {self.url}"


@dataclass(frozen=True)
class ModelSpec:
    """What a model is and how to build it.

    ``loader(device)`` returns the ready model on ``device`` (an ``nn.Module``,
    or another runtime object such as an onnxruntime session). ``assets`` are
    embedded asset names; ``weights`` optional torchvision hub weights.
    ``thread_safe=False`` asks the UI layer to serialise calls with a lock. An empty ``licence``/``citation``
    is taken from the first asset's manifest entry when the spec is registered.
    """

    name: str
    task: str
    title: str
    loader: Callable[[torch.device], Any]
    assets: tuple[str, ...] = ()
    weights: TorchvisionWeights | None = None
    preprocessing: str = ""
    classes: tuple[str, ...] = field(default=(), repr=False)
    licence: str = ""
    citation: str = ""
    thread_safe: bool = True

    @property
    def embedded(self) -> bool:
        return self.weights is None


_REGISTRY: dict[str, ModelSpec] = {}
_LOCK = threading.Lock()
_providers_loaded = False


def register(spec: ModelSpec) -> ModelSpec:
    """Add ``spec`` to the registry; refuses a name that is already taken or unknown assets."""
    unknown = [a for a in spec.assets if a not in MANIFEST]
    if unknown:
        raise ValueError(f"Model {spec.name!r} needs unknown assets: {', '.join(unknown)}.")
    if spec.assets:
        first = MANIFEST[spec.assets[0]]
        spec = replace(spec, licence=spec.licence or first.licence, citation=spec.citation or first.citation)
    with _LOCK:
        if spec.name in _REGISTRY:
            raise ValueError(f"A model named {spec.name!r} is already registered.")
        _REGISTRY[spec.name] = spec
    return spec


def _load_providers() -> None:
    global _providers_loaded
    if _providers_loaded:
        return
    _providers_loaded = True
    for module in PROVIDERS:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def list_models(task: str | None = None) -> list[ModelSpec]:
    """Registered models, optionally only those of ``task`` (e.g. ``"classification"``)."""
    _load_providers()
    return [s for s in _REGISTRY.values() if task is None or s.task == task]


def get_spec(name: str) -> ModelSpec:
    """The spec registered as ``name``; ``KeyError`` lists the known names."""
    _load_providers()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"Unknown model {name!r}. Known models: {', '.join(sorted(_REGISTRY))}.") from None


def missing_requirements(spec: ModelSpec) -> list[str]:
    """Human-readable lines for everything ``spec`` needs that is not on this machine."""
    lines = [
        f"embedded asset '{a}' ({MANIFEST[a].size_mb:.1f} MB): python -m vision_core.assets fetch {a}"
        for a in spec.assets
        if not is_present(a)
    ]
    if spec.weights is not None and not spec.weights.is_cached():
        lines.append(f"torchvision weights {spec.weights.describe()}")
    return lines


def get_model(name: str, device: torch.device | str | None = None) -> Any:
    """Build model ``name`` on ``device`` (default ``best_device()``), in eval mode.

    Raises ``AssetMissing`` or ``WeightsMissing`` (with what is missing, where
    from and how big) instead of downloading anything.
    """
    spec = get_spec(name)
    for asset in spec.assets:
        asset_path(asset)
    if spec.weights is not None and not spec.weights.is_cached():
        raise WeightsMissing(
            f"{spec.title} needs {spec.weights.describe()}. "
            "It is downloaded on demand and this machine has no copy; with internet access use the download button."
        )
    dev = torch.device(device) if device is not None else best_device()
    model = spec.loader(dev)
    if isinstance(model, torch.nn.Module):
        model.eval()
        for p in model.parameters():
            p.requires_grad_(False)
    return model


def torchvision_spec(
    name: str,
    task: str,
    title: str,
    builder: str,
    weights_enum: str,
    member: str = "DEFAULT",
    *,
    preprocessing: str = "",
    **builder_kwargs: Any,
) -> ModelSpec:
    """A spec for a torchvision model whose weights come from the hub through the Weights API.

    ``builder`` is a ``torchvision.models`` builder name (``"fasterrcnn_resnet50_fpn_v2"``);
    the loader calls it with the resolved weights, which torchvision reads from
    torch.hub's cache once ``download_weights`` has put them there.
    """
    weights = TorchvisionWeights(weights_enum, member)

    def load(device: torch.device) -> torch.nn.Module:
        from torchvision.models import get_model_builder

        return get_model_builder(builder)(weights=weights.resolve(), **builder_kwargs).to(device)

    resolved = weights.resolve()
    return ModelSpec(
        name=name,
        task=task,
        title=title,
        loader=load,
        weights=weights,
        preprocessing=preprocessing or "torchvision weights.transforms()",
        classes=tuple(resolved.meta.get("categories") or ()),
        licence="BSD-3-Clause (torchvision); see the weights' recipe for data terms",
        citation=str(resolved.meta.get("recipe", "")),
    )


Opener = Callable[[str], Any]


def _download(url: str, dest: Path, progress: ProgressFn | None, opener: Opener) -> Path:
    """Stream ``url`` into ``dest`` atomically, checking the sha256 prefix in the file name."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    match = _HASH_IN_NAME.search(dest.name)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, opener(url) as response:
            total = int(response.headers.get("Content-Length") or 0) if hasattr(response, "headers") else 0
            done = 0
            while block := response.read(1 << 20):
                out.write(block)
                digest.update(block)
                done += len(block)
                if progress:
                    frac = done / total if total else 0.0
                    progress(min(frac, 1.0), f"{done / 1e6:.1f} MB" + (f" of {total / 1e6:.1f} MB" if total else ""))
        if match and not digest.hexdigest().startswith(match.group(1)):
            raise OSError(f"The download of {dest.name} is corrupt (sha256 does not match); it was discarded.")
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def download_weights(
    name: str,
    progress: ProgressFn | None = None,
    opener: Opener = urllib.request.urlopen,
) -> Path:
    """Download the torchvision weights of model ``name`` into torch.hub's cache.

    ``progress(fraction, message)`` is called per MiB. Raises ``WeightsMissing``
    with a plain sentence when the network cannot be reached; a failed or corrupt
    download never leaves a file behind.
    """
    spec = get_spec(name)
    if spec.weights is None:
        raise ValueError(f"{spec.title} uses embedded assets only; nothing to download from the hub.")
    if spec.weights.is_cached():
        return spec.weights.cache_path
    try:
        return _download(spec.weights.url, spec.weights.cache_path, progress, opener)
    except OSError as exc:
        raise WeightsMissing(
            f"Could not download {spec.weights.describe()}: {exc}. "
            "This machine may be offline; the embedded models keep working."
        ) from exc
