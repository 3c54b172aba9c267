"""The recommended hub downloads, and which registered model is strongest for each task.

``RECOMMENDED`` names the torchvision weights that ``make models`` (``python -m vision_core.models
fetch-recommended``) downloads when the host can reach the hub: Faster R-CNN ResNet-50 FPN v2, DeepLabV3
MobileNetV3-Large, Mask R-CNN and Keypoint R-CNN (about 605 MB in all). ``fetch_recommended`` downloads
the missing ones through ``download_weights`` (progress, sha256 check, atomic write) and stops at the first
network failure: offline, nothing is left behind and the embedded models are used.

``STRONGEST`` ranks each task's registered models, strongest first, by the numbers their authors publish
(torchvision's ``meta["_metrics"]``: COCO box mAP, mIoU on COCO val with VOC labels, ImageNet top-1; see
``published_metrics``), an embedded model last. ``strongest_available(task)`` is the first whose files are on
this machine: the model a page selects when its link names none.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from vision_core.errors import BadInput, WeightsMissing
from vision_core.models._api import Task, download_weights, get_spec, missing_requirements
from vision_core.models.weights import Opener
from vision_core.types import ProgressFn

__all__ = [
    "RECOMMENDED",
    "STRONGEST",
    "TIMEOUT_S",
    "FetchReport",
    "Fetched",
    "fetch_recommended",
    "published_metrics",
    "strongest_available",
]

RECOMMENDED: tuple[str, ...] = ("fasterrcnn_v2", "deeplabv3", "maskrcnn", "keypointrcnn")
"""Hub models fetched by ``make models``, one per page that has a weak embedded default."""

STRONGEST: dict[Task, tuple[str, ...]] = {
    # COCO val2017 box mAP: 46.7, 41.5, 39.2, 21.3; YOLOv3-tiny publishes 33.1 mAP at IoU 0.5 only (Redmon &
    # Farhadi 2018), which is about half that averaged over IoU 0.5:0.95, below SSDlite.
    Task.DETECTION: ("fasterrcnn_v2", "retinanet_v2", "fcos", "ssdlite", "yolov3_tiny"),
    # mIoU on COCO val2017 with the 21 VOC labels: 60.5, 60.3, 57.9; the selfie model only tells person from
    # background.
    Task.SEGMENTATION: ("fcn_resnet50", "deeplabv3", "lraspp", "selfie"),
    Task.INSTANCE_SEGMENTATION: ("maskrcnn",),
    # COCO keypoint AP 65.0 (several people); BlazePose finds one person and is not scored on COCO.
    Task.POSE: ("keypointrcnn", "blazepose"),
    # ImageNet top-1: 80.9, 75.3; EfficientNet-Lite0 75.1 (Tan & Le's TensorFlow release); VGG-16 71.6.
    Task.CLASSIFICATION: ("resnet50", "mobilenet_v3_large", "efficientnet_lite0", "vgg16"),
}
"""Per task, registered model names strongest first; the last one of each is embedded where one exists."""

TIMEOUT_S = 30.0
"""Seconds a hub connection or read may stall before the host counts as offline."""


def _urlopen(url: str) -> Any:
    return urllib.request.urlopen(url, timeout=TIMEOUT_S)


def strongest_available(task: Task | str) -> str:
    """The strongest model of ``task`` whose requirements are all on this machine (``missing_requirements``);
    the ranking's last (embedded) model when none is. ``BadInput`` for a task that has no ranking."""
    t = Task.of(task)
    if t not in STRONGEST:
        raise BadInput(f"No model ranking for task {t.value!r}. Ranked tasks: {', '.join(k.value for k in STRONGEST)}.")
    names = STRONGEST[t]
    for name in names:
        if not missing_requirements(get_spec(name)):
            return name
    return names[-1]


def published_metrics(name: str) -> dict[str, float]:
    """The accuracy torchvision publishes with model ``name``'s weights, e.g. ``{"COCO-val2017 box_map": 46.7}``;
    empty for an embedded model."""
    spec = get_spec(name)
    if spec.shares is not None:
        return published_metrics(spec.shares)
    if spec.weights is None or not hasattr(spec.weights, "resolve"):
        return {}
    metrics = spec.weights.resolve().meta.get("_metrics") or {}
    return {f"{dataset} {key}": float(value) for dataset, values in metrics.items() for key, value in values.items()}


@dataclass(frozen=True)
class Fetched:
    """One model's outcome: ``state`` is ``present`` (already cached), ``downloaded``, ``failed`` (``detail``
    says why) or ``skipped`` (the hub could not be reached)."""

    name: str
    title: str
    state: str
    size_mb: float | None = None
    seconds: float = 0.0
    detail: str = ""


@dataclass(frozen=True)
class FetchReport:
    """Every model's outcome, and whether the hub was unreachable (then the rest were skipped)."""

    rows: tuple[Fetched, ...]
    offline: bool

    @property
    def skipped(self) -> int:
        return sum(r.state == "skipped" for r in self.rows)

    @property
    def failed(self) -> int:
        return sum(r.state == "failed" for r in self.rows)


def _unreachable(exc: BaseException | None) -> bool:
    """Whether a download failed because the hub cannot be reached (no DNS, no route, refused, timed out), as
    opposed to an answer that was wrong (an HTTP error, a corrupt file)."""
    if isinstance(exc, urllib.error.HTTPError):
        return False
    return isinstance(exc, (urllib.error.URLError, ConnectionError, TimeoutError, socket.gaierror))


def fetch_recommended(
    names: Sequence[str] = RECOMMENDED,
    *,
    progress: Callable[[str], ProgressFn | None] | None = None,
    opener: Opener = _urlopen,
) -> FetchReport:
    """Download the hub weights of ``names`` that this machine lacks, one after the other.

    ``progress(name)`` returns the ``ProgressFn`` for that model's download (or ``None``). At the first
    failure to reach the hub the remaining downloads are skipped (``offline``); an HTTP error or a corrupt
    file fails that model only. Nothing partial is ever left in torch.hub's cache. ``BadInput`` for a name
    that is not a hub model."""
    specs = [get_spec(n) for n in names]
    embedded = [s.name for s in specs if s.weights is None and s.shares is None]
    if embedded:
        raise BadInput(f"Only hub models can be fetched; embedded: {', '.join(embedded)}.")
    rows: list[Fetched] = []
    offline = False
    for spec in specs:
        weights = get_spec(spec.shares).weights if spec.shares else spec.weights
        size = weights.size_mb if weights is not None and hasattr(weights, "size_mb") else None
        if weights is not None and weights.is_cached():
            rows.append(Fetched(spec.name, spec.title, "present", size))
            continue
        if offline:
            rows.append(Fetched(spec.name, spec.title, "skipped", size))
            continue
        t0 = time.perf_counter()
        try:
            download_weights(spec.name, progress(spec.name) if progress else None, opener)
        except WeightsMissing as exc:
            if _unreachable(exc.__cause__):
                offline = True
                rows.append(Fetched(spec.name, spec.title, "skipped", size, detail=str(exc.__cause__)))
            else:
                rows.append(Fetched(spec.name, spec.title, "failed", size, time.perf_counter() - t0, str(exc)))
            continue
        rows.append(Fetched(spec.name, spec.title, "downloaded", size, time.perf_counter() - t0))
    return FetchReport(tuple(rows), offline)
