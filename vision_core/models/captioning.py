"""Captioning models: BLIP base (Salesforce, fine-tuned on COCO captions) through ``transformers``, an optional extra.

Registers ``blip_base`` (task ``CAPTIONING``). It needs two things this app does not ship:

- the Python package ``transformers`` (``pip install -r requirements-extras.txt``; not in requirements.txt);
- the model files from the Hugging Face hub (``HubFiles``: 8 files, 990.8 MB, ``pytorch_model.bin`` of
  989.8 MB), pinned to one revision and checked file by file against their sha256, stored under
  torch.hub's folder (``<hub>/huggingface/Salesforce--blip-image-captioning-base``).

``missing_requirements`` names whichever is missing; ``download_weights("blip_base", progress)`` fetches
the files with a progress callback (``HubFiles.fetch``), or raises ``WeightsMissing`` offline, leaving
nothing behind. The loaded model is a ``BlipCaptioner``: ``caption(image, beams, max_tokens)`` → text,
with the image prepared by ``BlipInput`` (bicubic 384×384, the CLIP mean and std, as BLIP's processor).
"""

from __future__ import annotations

import os
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from vision_core.checks import check_image
from vision_core.errors import WeightsMissing
from vision_core.models._api import ModelSpec, Task, register
from vision_core.models.weights import Opener, download_file
from vision_core.types import ProgressFn

__all__ = ["BLIP", "BLIP_FILES", "BlipCaptioner", "BlipInput", "HubFiles", "load_blip"]

BLIP = "blip_base"
CLIP_MEAN: tuple[float, float, float] = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD: tuple[float, float, float] = (0.26862954, 0.26130258, 0.27577711)

BLIP_FILES: tuple[tuple[str, int, str], ...] = (
    ("config.json", 4563, "f7846f82f4e2c4a2ccbab9ae8b0e44873540a271a76a1288effd078180c13a82"),
    ("preprocessor_config.json", 287, "065c10ec97edc5081fbd9655b3d9d25e2647ea6d5dab873325e88eed12d80a7d"),
    ("special_tokens_map.json", 125, "b6d346be366a7d1d48332dbc9fdf3bf8960b5d879522b7799ddba59e76237ee3"),
    ("tokenizer.json", 711396, "d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66"),
    ("tokenizer_config.json", 506, "5c7f96096284c55e539eff95f4451c19efc34258ddb975a4400d052b77301e5e"),
    ("vocab.txt", 231508, "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"),
    ("pytorch_model.bin", 989820849, "d6638651a5526cc2ede56f2b5104d6851b0755816d220e5e046870430180c767"),
)
"""The files of ``Salesforce/blip-image-captioning-base`` at revision 82a37760: (name, bytes, sha256)."""


@dataclass(frozen=True)
class HubFiles:
    """Files of one Hugging Face hub repository at a pinned ``revision``, each ``(name, bytes, sha256)``.

    Duck-types the registry's weights (``is_cached``, ``describe``, ``size_mb``) and brings its own ``fetch``."""

    repo: str
    revision: str
    files: tuple[tuple[str, int, str], ...]

    @property
    def folder(self) -> Path:
        return Path(torch.hub.get_dir()) / "huggingface" / self.repo.replace("/", "--")

    @property
    def size_mb(self) -> float:
        return sum(size for _, size, _ in self.files) / 1e6

    @property
    def url(self) -> str:
        return f"https://huggingface.co/{self.repo}"

    def file_url(self, name: str) -> str:
        return f"{self.url}/resolve/{self.revision}/{name}"

    def missing(self) -> list[str]:
        """Names of the files not in ``folder`` (or of the wrong size)."""
        return [n for n, size, _ in self.files if not ((self.folder / n).is_file() and (self.folder / n).stat().st_size == size)]

    def is_cached(self) -> bool:
        return not self.missing()

    def describe(self) -> str:
        return f"{self.repo} model files ({self.size_mb:.0f} MB) from {self.url}"

    def fetch(self, title: str, progress: ProgressFn | None = None, opener: Opener = urllib.request.urlopen) -> Path:
        """Download the missing files into ``folder`` (each checked against its sha256, written atomically);
        ``WeightsMissing`` with a plain sentence when the hub cannot be reached or a file is corrupt."""
        missing = set(self.missing())
        todo = [(n, size, sha) for n, size, sha in self.files if n in missing]
        total = sum(size for _, size, _ in todo) or 1
        done = 0
        for name, size, sha in todo:
            stem, dot, ext = name.rpartition(".")
            checked = self.folder / f"{stem}-{sha[:16]}{dot}{ext}"  # the hash in the name: download_file checks it

            def step(frac: float, msg: str, _name: str = name, _size: int = size, _done: int = done) -> None:
                if progress is not None:
                    progress(min((_done + frac * _size) / total, 1.0), f"{_name}: {msg} (all files: {total / 1e6:.0f} MB)")

            try:
                download_file(self.file_url(name), checked, step, opener)
            except OSError as exc:
                raise WeightsMissing(
                    f"Could not download {title}: {self.describe()}: {exc}. This machine may be offline; "
                    "the embedded models keep working."
                ) from exc
            os.replace(checked, self.folder / name)
            done += size
        if progress is not None:
            progress(1.0, f"{title}: all {len(self.files)} files are here")
        return self.folder


@dataclass(frozen=True)
class BlipInput:
    """BLIP's input: RGB resized to ``size`` × ``size`` (bicubic, aspect ignored), /255, minus CLIP's mean, over its std."""

    size: int = 384
    mean: tuple[float, float, float] = CLIP_MEAN
    std: tuple[float, float, float] = CLIP_STD

    @property
    def text(self) -> str:
        mean = ", ".join(f"{m:.3f}" for m in self.mean)
        std = ", ".join(f"{s:.3f}" for s in self.std)
        return f"RGB stretched to {self.size}×{self.size} (bicubic), (x/255 − ({mean})) / ({std})"

    def __call__(self, image: np.ndarray) -> torch.Tensor:
        """``(H, W, 3)`` uint8 → ``(1, 3, size, size)`` float32."""
        image = check_image(image)
        small = np.asarray(Image.fromarray(image).resize((self.size, self.size), Image.Resampling.BICUBIC), np.float32)
        x = (small / 255.0 - np.array(self.mean, np.float32)) / np.array(self.std, np.float32)
        return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))[None]


class BlipCaptioner(torch.nn.Module):
    """BLIP's ``BlipForConditionalGeneration`` with its tokenizer: ``caption(image)`` says what the photo shows."""

    def __init__(self, model: torch.nn.Module, tokenizer: Any, recipe: BlipInput) -> None:
        super().__init__()
        self.model = model
        self.tokenizer = tokenizer
        self.recipe = recipe

    def caption(self, image: np.ndarray, beams: int = 3, max_tokens: int = 30) -> str:
        """Beam search over ``beams`` captions of at most ``max_tokens`` new tokens; the best one as text."""
        device = next(self.model.parameters()).device
        pixels = self.recipe(image).to(device)
        with torch.inference_mode():
            ids = self.model.generate(pixel_values=pixels, num_beams=beams, max_new_tokens=max_tokens)
        return str(self.tokenizer.decode(ids[0], skip_special_tokens=True)).strip()


BLIP_WEIGHTS = HubFiles("Salesforce/blip-image-captioning-base", "82a37760796d32b1411fe092ab5d4e227313294b", BLIP_FILES)


def load_blip(device: torch.device, files: HubFiles = BLIP_WEIGHTS) -> BlipCaptioner:
    """BLIP base from the downloaded files (no network), on ``device``; ``WeightsMissing`` without ``transformers``."""
    try:
        from transformers import AutoTokenizer, BlipForConditionalGeneration
    except ImportError as exc:
        raise WeightsMissing(
            "BLIP needs the Python package 'transformers', an optional extra: pip install -r requirements-extras.txt."
        ) from exc
    model = BlipForConditionalGeneration.from_pretrained(str(files.folder), local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained(str(files.folder), local_files_only=True)
    return BlipCaptioner(model.to(device).eval(), tokenizer, BlipInput())


register(
    ModelSpec(
        name=BLIP,
        task=Task.CAPTIONING,
        title="BLIP base captioner (Salesforce, COCO captions)",
        loader=load_blip,
        weights=BLIP_WEIGHTS,  # type: ignore[arg-type]
        packages=("transformers",),
        preprocessing=BlipInput(),
        licence="BSD-3-Clause (Salesforce BLIP)",
        citation="Li, Li, Xiong & Hoi, BLIP: Bootstrapping Language-Image Pre-training, ICML 2022",
        thread_safe=False,
    )
)
