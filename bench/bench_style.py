"""Style transfer rows: Gatys against a plain torch loop, fast and arbitrary style against bare onnxruntime calls."""

from __future__ import annotations

import os

import numpy as np
import torch
from PIL import Image

from bench.core import Row, timed_row, value_row
from vision_core.models import get_model
from vision_core.io.samples import load_sample
from vision_core.style import arbitrary_stylize, fast_stylize, gatys
from vision_core.models.vgg16 import layer_index

STEPS = int(os.environ.get("DVL_BENCH_GATYS_STEPS", "100"))
THREADS = os.environ.get("DVL_BENCH_THREADS")
SIZE = 256
_CONTENT_IDX = layer_index("block4_conv2") + 1
_STYLE_IDX = tuple(layer_index(f"block{b}_conv1") + 1 for b in range(1, 6))


def _reference_loop(model: torch.nn.Module, content: np.ndarray, style: np.ndarray, steps: int) -> float:
    """A plain Gatys loop (no generator, no snapshots), the same losses and Adam settings; returns the last loss."""
    mean = torch.tensor([103.939, 116.779, 123.68]).view(1, 3, 1, 1)

    def tensor(img: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(img.transpose(2, 0, 1).copy()).float()[None] / 255.0

    def feats(x: torch.Tensor) -> list[torch.Tensor]:
        x = x.flip(1) * 255.0 - mean
        out = []
        for i, m in enumerate(model):
            x = torch.relu(x) if isinstance(m, torch.nn.ReLU) else m(x)
            if i in _STYLE_IDX or i == _CONTENT_IDX:
                out.append(x)
            if i == max(_CONTENT_IDX, *_STYLE_IDX):
                break
        return out

    def gram(f: torch.Tensor) -> torch.Tensor:
        c = f.shape[1]
        flat = f.reshape(c, -1)
        return flat @ flat.t() / flat.shape[1]

    c_t, s_t = tensor(content), tensor(style)
    with torch.no_grad():
        target_c = feats(c_t)[4]
        targets_s = [gram(f) for i, f in enumerate(feats(s_t)) if i != 4]
    x = torch.rand(c_t.shape, generator=torch.Generator().manual_seed(0)).requires_grad_(True)
    opt = torch.optim.Adam([x], lr=0.02)
    loss = torch.zeros(())
    for _ in range(steps):
        opt.zero_grad()
        fs = feats(x)
        j_c = 0.25 * ((fs[4] - target_c) ** 2).mean()
        j_s = sum(0.2 * 0.25 * ((gram(f) - t) ** 2).mean() for f, t in zip(fs[:4] + fs[5:], targets_s))
        loss = j_c + 1e-5 * j_s
        loss.backward()
        opt.step()
        with torch.no_grad():
            x.clamp_(0, 1)
    return float(loss.detach())


def _fit(image: np.ndarray, side: int) -> np.ndarray:
    """Resize ``(H, W, 3)`` uint8 so the long side is ``side``."""
    h, w = image.shape[:2]
    s = side / max(h, w)
    return np.asarray(Image.fromarray(image).resize((round(w * s), round(h * s)), Image.Resampling.LANCZOS))


def rows() -> list[Row]:
    """Gatys (ours vs the plain loop), fast style and arbitrary style (ours vs bare onnxruntime)."""
    if THREADS:
        torch.set_num_threads(int(THREADS))
    model = get_model("vgg16_features", "cpu")
    content, style = _fit(load_sample("chelsea"), SIZE), _fit(load_sample("hubble_deep_field"), SIZE)

    def ours() -> None:
        for _ in gatys(content, style, steps=STEPS, size=SIZE, every=STEPS, net=model):
            pass

    def reference() -> None:
        _reference_loop(model, content, style, STEPS)

    _reference_loop(model, content[:64, :64], style[:64, :64], 2)
    g = timed_row("style", f"Gatys {SIZE} px × {STEPS} Adam iterations (VGG-16, {torch.get_num_threads()} threads)",
                  ours, reference,
                  repeat=1, warmup=0, target="< 60 s for 100; ratio ≤ 1.2",
                  note="baseline: plain torch loop in bench_style.py")
    out = [
        g,
        value_row("style", "Gatys iterations/s (ours)", STEPS / g.median, "it/s"),
        value_row("style", "Gatys iterations/s (plain reference loop)", STEPS / (g.baseline or float("nan")), "it/s"),
    ]

    sess = get_model("style_multistyle26", "cpu")
    photo = _fit(load_sample("chelsea"), 512)
    x = np.ascontiguousarray((photo.astype(np.float32) / 255.0).transpose(2, 0, 1)[None])
    w = np.zeros(26, np.float32)
    w[3] = 1.0
    out.append(timed_row("style", f"fast style 26, {photo.shape[1]}×{photo.shape[0]} photo",
                         lambda: fast_stylize(photo, 3, session=sess),
                         lambda: sess.run(None, {"image": x, "style_weights": w}),
                         repeat=5, target="< 400 ms", note="baseline: bare InferenceSession.run"))

    pred = get_model("style_arbitrary_predict", "cpu")
    trans = get_model("style_arbitrary_transform", "cpu")
    s_in = np.zeros((1, 256, 256, 3), np.float32) + 0.5
    c_in = np.zeros((1, 384, 384, 3), np.float32) + 0.5
    p_name, t_names = pred.get_inputs()[0].name, [i.name for i in trans.get_inputs()]

    def bare_arbitrary() -> None:
        vec = pred.run(None, {p_name: s_in})[0]
        trans.run(None, {t_names[0]: c_in, t_names[1]: vec})

    out.append(timed_row("style", f"arbitrary style, {photo.shape[1]}×{photo.shape[0]} photo",
                         lambda: arbitrary_stylize(photo, load_sample("hubble_deep_field"), 1.0,
                                                   predictor=pred, transformer=trans),
                         bare_arbitrary, repeat=5, target="< 600 ms",
                         note="baseline: bare predictor + transformer runs"))
    return out
