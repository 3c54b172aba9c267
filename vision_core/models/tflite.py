"""A small runner for MediaPipe's raw TFLite files (ai-edge-litert), plus MediaPipe's SSD anchors.

MediaPipe ships graphs that pre- and post-process around each ``.tflite``; here
those steps are written out in numpy (``vision_core.segmentation``,
``vision_core.pose``). A ``TfliteModel`` is *not* thread-safe: register it with
``thread_safe=False`` and serialise calls (``ui.models.model_lock``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vision_core.assets import asset_path

__all__ = ["TfliteModel", "AnchorOptions", "ssd_anchors", "load_tflite"]


class TfliteModel:
    """One TFLite interpreter with a float32 NHWC input.

    ``input_hw`` is the ``(height, width)`` the network expects; ``__call__``
    takes a ``(1, H, W, 3)`` float32 array and returns every output tensor
    (copies), in the order of ``output_details``. By default one thread on
    machines with ≤ 2 cores (these nets take milliseconds; a thread pool on a
    busy 2-core machine costs more than it gains), else half the cores, at most 4.
    """

    def __init__(self, path: str | Path, num_threads: int | None = None) -> None:
        from ai_edge_litert.interpreter import Interpreter

        cores = os.cpu_count() or 1
        threads = num_threads if num_threads is not None else (1 if cores <= 2 else min(4, cores // 2))
        self.path = Path(path)
        self.interpreter = Interpreter(model_path=str(path), num_threads=threads)
        self.interpreter.allocate_tensors()
        detail = self.interpreter.get_input_details()[0]
        self._input_index = int(detail["index"])
        self.input_shape: tuple[int, ...] = tuple(int(s) for s in detail["shape"])
        self._outputs = [int(d["index"]) for d in self.interpreter.get_output_details()]
        self.output_shapes: list[tuple[int, ...]] = [
            tuple(int(s) for s in d["shape"]) for d in self.interpreter.get_output_details()
        ]

    @property
    def input_hw(self) -> tuple[int, int]:
        return self.input_shape[1], self.input_shape[2]

    def __call__(self, tensor: np.ndarray) -> list[np.ndarray]:
        """Run once: ``tensor`` is ``(1, H, W, 3)`` float32 matching ``input_shape``."""
        if tuple(tensor.shape) != self.input_shape:
            raise ValueError(f"{self.path.name} expects an input of shape {self.input_shape}, got {tuple(tensor.shape)}.")
        self.interpreter.set_tensor(self._input_index, np.ascontiguousarray(tensor, dtype=np.float32))
        self.interpreter.invoke()
        return [self.interpreter.get_tensor(i) for i in self._outputs]


def load_tflite(asset: str) -> TfliteModel:
    """The embedded TFLite asset ``asset`` as a ready ``TfliteModel``."""
    return TfliteModel(asset_path(asset))


@dataclass(frozen=True)
class AnchorOptions:
    """MediaPipe's ``SsdAnchorsCalculatorOptions`` (the fields these models use)."""

    input_height: int
    input_width: int
    num_layers: int
    min_scale: float
    max_scale: float
    strides: tuple[int, ...]
    offset_x: float = 0.5
    offset_y: float = 0.5
    aspect_ratios: tuple[float, ...] = (1.0,)
    interpolated_scale_aspect_ratio: float = 1.0
    fixed_anchor_size: bool = True


def _scale(min_scale: float, max_scale: float, index: int, count: int) -> float:
    if count == 1:
        return (min_scale + max_scale) * 0.5
    return min_scale + (max_scale - min_scale) * index / (count - 1.0)


def ssd_anchors(opts: AnchorOptions) -> np.ndarray:
    """Anchors as ``(N, 4)`` float32 rows ``(x_center, y_center, w, h)``, normalised to [0, 1].

    A port of MediaPipe's ``SsdAnchorsCalculator``: consecutive layers with the
    same stride share one feature map; each location gets one anchor per aspect
    ratio plus one at the interpolated scale. With ``fixed_anchor_size`` every
    anchor has ``w = h = 1`` (the network regresses sizes in input pixels).
    """
    anchors: list[tuple[float, float, float, float]] = []
    layer = 0
    n = opts.num_layers
    while layer < n:
        sizes: list[tuple[float, float]] = []
        last = layer
        while last < n and opts.strides[last] == opts.strides[layer]:
            scale = _scale(opts.min_scale, opts.max_scale, last, n)
            for ratio in opts.aspect_ratios:
                r = float(np.sqrt(ratio))
                sizes.append((scale / r, scale * r))
            if opts.interpolated_scale_aspect_ratio > 0.0:
                nxt = 1.0 if last == n - 1 else _scale(opts.min_scale, opts.max_scale, last + 1, n)
                s = float(np.sqrt(scale * nxt))
                r = float(np.sqrt(opts.interpolated_scale_aspect_ratio))
                sizes.append((s / r, s * r))
            last += 1
        stride = opts.strides[layer]
        fh = int(np.ceil(opts.input_height / stride))
        fw = int(np.ceil(opts.input_width / stride))
        for y in range(fh):
            for x in range(fw):
                cx = (x + opts.offset_x) / fw
                cy = (y + opts.offset_y) / fh
                for h, w in sizes:
                    anchors.append((cx, cy, 1.0, 1.0) if opts.fixed_anchor_size else (cx, cy, w, h))
        layer = last
    return np.asarray(anchors, dtype=np.float32)
