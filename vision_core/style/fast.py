"""Feed-forward style networks in onnxruntime: fast style (26 styles in one network) and arbitrary style.

Fast style: ``multistyle26.onnx`` (Dumoulin et al.'s conditional instance norm, 26 styles in one
network; input ``image`` ``(1, 3, h, w)`` RGB in ``[0, 1]``, ``style_weights`` ``(26,)`` summing to
1; output sigmoid in ``[0, 1]``). Arbitrary style (Ghiasi et al.): ``arbitrary_predict.onnx`` maps a
``(1, 256, 256, 3)`` RGB ``[0, 1]`` style image to a 100-d style vector; ``arbitrary_transform.onnx``
applies it to a ``(1, 384, 384, 3)`` content image. The sessions are registered in
``vision_core.models.style`` (``InferenceSession.run`` is thread-safe, so one is shared by every
user) and every function here takes them as arguments. Images are ``(H, W, 3)`` uint8 RGB.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from vision_core.checks import check_image, check_range
from vision_core.errors import BadInput
from vision_core.io.images import resize_max_side
from vision_core.style.pixels import center_square, resize_to, unit_to_uint8

__all__ = [
    "ARBITRARY_SIZE",
    "NUM_STYLES",
    "STYLE_SIZE",
    "THUMBNAIL_SAMPLE",
    "FastResult",
    "arbitrary_stylize",
    "blend_weights",
    "fast_stylize",
    "style_thumbnails",
    "style_vector",
]

NUM_STYLES = 26
STYLE_SIZE = 256
"""The style predictor's input side."""
ARBITRARY_SIZE = 384
"""The arbitrary-style transformer's input side."""
THUMBNAIL_SAMPLE = "chelsea"
PAD_MULTIPLE = 4
"""The fast network downsamples by 4: inputs are padded to a multiple of it."""


@dataclass(frozen=True)
class FastResult:
    """A stylised ``(H, W, 3)`` uint8 RGB image, the network time in seconds and the provider used."""

    image: np.ndarray
    seconds: float
    provider: str


def blend_weights(weights: Mapping[int, float] | Sequence[float]) -> np.ndarray:
    """A ``(26,)`` float32 style mix summing to 1 from ``{style index: weight}`` or 26 weights.

    Raises ``BadInput`` for indices outside 0–25, negative weights or all zeros.
    """
    w = np.zeros(NUM_STYLES, dtype=np.float32)
    if isinstance(weights, Mapping):
        for idx, wt in weights.items():
            i = int(idx)
            if not 0 <= i < NUM_STYLES:
                raise BadInput(f"Style numbers go from 0 to {NUM_STYLES - 1}, got {i}.")
            w[i] += float(wt)
    else:
        arr = np.asarray(weights, dtype=np.float32)
        if arr.shape != (NUM_STYLES,):
            raise BadInput(f"A style mix needs {NUM_STYLES} weights, got {arr.shape[0] if arr.ndim else 0}.")
        w = arr.copy()
    if not np.all(np.isfinite(w)) or (w < 0).any():
        raise BadInput("Style weights must be zero or positive.")
    if w.sum() <= 0:
        raise BadInput("Give at least one style a weight above zero.")
    return (w / w.sum()).astype(np.float32)


def fast_stylize(
    image: np.ndarray,
    weights: Mapping[int, float] | Sequence[float] | int,
    *,
    session: Any,
    max_side: int | None = 1024,
) -> FastResult:
    """Paint ``(H, W, 3)`` uint8 RGB with a mix of the 26 styles; the output has the input's size.

    The long side is first capped at ``max_side``; the network downsamples by 4,
    so the photo is reflect-padded to a multiple of 4 and the result cropped back.
    ``session``: the ``style_multistyle26`` onnxruntime session.
    """
    image = check_image(image)
    if isinstance(weights, (int, np.integer)):
        weights = {int(weights): 1.0}
    mix = blend_weights(weights)
    if max_side is not None:
        image = resize_max_side(image, max_side)
    h, w = image.shape[:2]
    arr = image.astype(np.float32) / 255.0
    ph, pw = (-h) % PAD_MULTIPLE, (-w) % PAD_MULTIPLE
    if ph or pw:
        arr = np.pad(arr, ((0, ph), (0, pw), (0, 0)), mode="reflect")
    x = np.ascontiguousarray(arr.transpose(2, 0, 1)[None])
    t0 = time.perf_counter()
    out = session.run(None, {"image": x, "style_weights": mix})[0][0]
    seconds = time.perf_counter() - t0
    out = out.transpose(1, 2, 0)[:h, :w]
    return FastResult(unit_to_uint8(out), seconds, session.get_providers()[0])


def style_thumbnails(session: Any, side: int = 128, sample: np.ndarray | None = None) -> list[np.ndarray]:
    """The 26 styles painted on a fixed photo (scikit-image's chelsea, centre square), ``side``² each."""
    from vision_core.io.samples import load_sample

    src = check_image(sample if sample is not None else load_sample(THUMBNAIL_SAMPLE))
    square = center_square(src, side)
    return [fast_stylize(square, {i: 1.0}, session=session, max_side=None).image for i in range(NUM_STYLES)]


def style_vector(style: np.ndarray, *, session: Any) -> np.ndarray:
    """The predictor's ``(1, 1, 1, 100)`` float32 style vector of ``(H, W, 3)`` uint8 RGB (centre square, 256²);
    ``session``: ``style_arbitrary_predict``."""
    style = check_image(style, "The style image")
    x = (center_square(style, STYLE_SIZE).astype(np.float32) / 255.0)[None]
    return np.asarray(session.run(None, {session.get_inputs()[0].name: x})[0], dtype=np.float32)


def arbitrary_stylize(
    image: np.ndarray,
    style: np.ndarray,
    strength: float = 1.0,
    *,
    predictor: Any,
    transformer: Any,
    max_side: int | None = 1024,
) -> FastResult:
    """Paint ``image`` in the style of any ``style`` image; both ``(H, W, 3)`` uint8 RGB.

    ``strength`` in ``[0, 1]`` interpolates the style vector between the photo's own
    (0) and the style image's (1). The transformer works at 384 px on the long
    side (reflect-padded to 384²); the result is scaled back to the input's size
    (long side capped at ``max_side``). ``seconds`` covers both networks.
    ``predictor``/``transformer``: the ``style_arbitrary_predict``/``style_arbitrary_transform`` sessions.
    """
    image = check_image(image)
    style = check_image(style, "The style image")
    strength = check_range(strength, 0.0, 1.0, "The style strength")
    if max_side is not None:
        image = resize_max_side(image, max_side)
    h, w = image.shape[:2]
    scale = ARBITRARY_SIZE / max(h, w)
    sw, sh = max(1, round(w * scale)), max(1, round(h * scale))
    small = resize_to(image, (sw, sh)).astype(np.float32) / 255.0
    mode = "reflect" if min(sh, sw) > 1 and ARBITRARY_SIZE - min(sh, sw) < min(sh, sw) else "edge"
    small = np.pad(small, ((0, ARBITRARY_SIZE - sh), (0, ARBITRARY_SIZE - sw), (0, 0)), mode=mode)
    t0 = time.perf_counter()
    vec = style_vector(style, session=predictor)
    if strength < 1.0:
        vec = strength * vec + (1.0 - strength) * style_vector(image, session=predictor)
    names = [i.name for i in transformer.get_inputs()]
    out = transformer.run(None, {names[0]: small[None], names[1]: vec.astype(np.float32)})[0][0][:sh, :sw]
    seconds = time.perf_counter() - t0
    result = unit_to_uint8(out)
    if (sw, sh) != (w, h):
        result = resize_to(result, (w, h))
    return FastResult(result, seconds, transformer.get_providers()[0])
