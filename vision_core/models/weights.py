"""Hub weights through torchvision's Weights API: what a download is, whether it is cached, and the download.

``TorchvisionWeights`` names a ``WeightsEnum`` member by strings (no import of the model until needed);
``download_weights`` streams the file into torch.hub's cache with a progress callback, checks the
sha256 prefix torchvision puts in the file name, and writes atomically. Offline it raises
``WeightsMissing`` with a plain sentence; nothing is left behind.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from vision_core.errors import WeightsMissing
from vision_core.types import ProgressFn

__all__ = ["Opener", "TorchvisionWeights", "download_file"]

_HASH_IN_NAME = re.compile(r"-([a-f0-9]{8,})\.")

Opener = Callable[[str], Any]


@functools.lru_cache(maxsize=None)
def _weight(enum: str, member: str) -> Any:
    """torchvision's ``get_weight`` (which walks every builder module's members on each call: ~0.4 ms), once per name."""
    from torchvision.models import get_weight

    return get_weight(f"{enum}.{member}")


@dataclass(frozen=True)
class TorchvisionWeights:
    """A torchvision Weights enum member named by strings, e.g.
    ``TorchvisionWeights("FasterRCNN_ResNet50_FPN_V2_Weights", "DEFAULT")``."""

    enum: str
    member: str = "DEFAULT"

    def resolve(self) -> Any:
        """The torchvision ``WeightsEnum`` member (no download); looked up once per name."""
        return _weight(self.enum, self.member)

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


def download_file(url: str, dest: Path, progress: ProgressFn | None = None,
                  opener: Opener = urllib.request.urlopen) -> Path:
    """Stream ``url`` into ``dest`` atomically, checking the sha256 prefix in the file name (``-<hex>.``).

    ``progress(fraction, message)`` is called per MiB. Raises ``OSError`` when the download fails or
    is corrupt; the partial file is always removed."""
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


def fetch_weights(weights: TorchvisionWeights, title: str, progress: ProgressFn | None = None,
                  opener: Opener = urllib.request.urlopen) -> Path:
    """Download ``weights`` into torch.hub's cache (a no-op when cached); ``WeightsMissing`` when offline."""
    if weights.is_cached():
        return weights.cache_path
    try:
        return download_file(weights.url, weights.cache_path, progress, opener)
    except OSError as exc:
        raise WeightsMissing(
            f"Could not download {title}: {weights.describe()}: {exc}. "
            "This machine may be offline; the embedded models keep working."
        ) from exc
