"""Sample photos that ship inside scikit-image and scikit-learn (no download)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = ["Sample", "SAMPLES", "DEFAULT_SAMPLE", "load_sample", "sample_names"]


@dataclass(frozen=True)
class Sample:
    """A bundled photo: ``name`` is its stable id (used in shared links)."""

    name: str
    title: str
    source: str
    loader: Callable[[], np.ndarray]


def _skimage(fn: str) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        from skimage import data

        return getattr(data, fn)()

    return load


def _motorcycle_left() -> np.ndarray:
    from skimage import data

    return data.stereo_motorcycle()[0]


def _sklearn(filename: str) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        from sklearn.datasets import load_sample_image

        return load_sample_image(filename)

    return load


_SKI = "scikit-image skimage.data"
SAMPLES: dict[str, Sample] = {
    s.name: s
    for s in (
        Sample("astronaut", "Astronaut (Eileen Collins)", f"{_SKI}.astronaut — NASA, public domain", _skimage("astronaut")),
        Sample("chelsea", "Chelsea the cat", f"{_SKI}.chelsea — Stéfan van der Walt, CC0", _skimage("chelsea")),
        Sample("coffee", "Coffee cup", f"{_SKI}.coffee — Rachel Michetti, CC0", _skimage("coffee")),
        Sample("camera", "Cameraman (grey)", f"{_SKI}.camera — public domain", _skimage("camera")),
        Sample("rocket", "Rocket launch", f"{_SKI}.rocket — SpaceX, CC0", _skimage("rocket")),
        Sample("motorcycle", "Motorcycle (stereo left)", f"{_SKI}.stereo_motorcycle — Middlebury, CC0", _motorcycle_left),
        Sample("china", "Summer palace, China", "scikit-learn load_sample_image('china.jpg') — CC BY 2.0", _sklearn("china.jpg")),
        Sample("flower", "Flower", "scikit-learn load_sample_image('flower.jpg') — CC BY 2.0", _sklearn("flower.jpg")),
        Sample("coins", "Greek coins (grey)", f"{_SKI}.coins — Walters Art Museum, public domain", _skimage("coins")),
        Sample("immunohistochemistry", "Immunohistochemistry", f"{_SKI}.immunohistochemistry — public domain", _skimage("immunohistochemistry")),
        Sample("hubble_deep_field", "Hubble deep field", f"{_SKI}.hubble_deep_field — NASA, public domain", _skimage("hubble_deep_field")),
        Sample("brick", "Brick wall texture (grey)", f"{_SKI}.brick — CC0", _skimage("brick")),
        Sample("grass", "Grass texture (grey)", f"{_SKI}.grass — CC0", _skimage("grass")),
        Sample("gravel", "Gravel texture (grey)", f"{_SKI}.gravel — CC0", _skimage("gravel")),
        Sample("page", "Printed page (grey)", f"{_SKI}.page — public domain", _skimage("page")),
        Sample("colorwheel", "Colour wheel", f"{_SKI}.colorwheel — CC0", _skimage("colorwheel")),
    )
}

DEFAULT_SAMPLE = "chelsea"


def sample_names() -> list[str]:
    """Sample ids in gallery order."""
    return list(SAMPLES)


@lru_cache(maxsize=32)
def _load_cached(name: str) -> np.ndarray:
    from vision_core.io.images import _to_rgb

    raw = SAMPLES[name].loader()
    if raw.ndim == 2 or raw.shape[2] != 3:
        from PIL import Image

        raw = np.asarray(_to_rgb(Image.fromarray(raw)))
    arr = np.ascontiguousarray(raw.astype(np.uint8, copy=False))
    arr.setflags(write=False)
    return arr


def load_sample(name: str) -> np.ndarray:
    """The sample photo ``name`` as a read-only ``(H, W, 3)`` uint8 RGB array.

    Raises ``KeyError`` with the list of known names for an unknown ``name``.
    """
    if name not in SAMPLES:
        raise KeyError(f"Unknown sample {name!r}. Known samples: {', '.join(SAMPLES)}.")
    return _load_cached(name)
