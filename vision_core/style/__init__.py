"""Neural style transfer: Gatys et al.'s optimisation, and feed-forward (fast and arbitrary) style networks.

Gatys (lecture "Transferência de estilo"): the generated image G minimises

    J(G) = α·J_content(C, G) + β·J_style(S, G)

- ``J_content = ¼·mean((a[l](C) − a[l](G))²)`` over one layer ``l``'s activations
  (the ``1/(4·n_H·n_W·n_C)`` normalisation of the course);
- ``J_style = Σ_l λ[l]·¼·mean((M[l](S) − M[l](G))²)`` where ``M[l] = F·Fᵀ / (n_H·n_W)``
  is the Gram ("style") matrix of layer ``l``'s ``(n_C, n_H·n_W)`` activations
  (equal to the course's ``1/(2·n_H·n_W·n_C)²`` weighting of the raw Gram matrix).

Layers are named Keras-style (``block4_conv2``); a ``convN`` name means the
activation after its ReLU, as in Keras where the activation is part of the
conv layer. The feature network is VGG-16's convolutional layers from the asset
store (``vgg16_features``, Caffe input: BGR, 0–255, mean-subtracted) or, for
users with internet, torchvision's VGG-19 (``vgg19_features``, RGB, ImageNet
mean/std). G is optimised in RGB ``[0, 1]`` space and clamped after every step;
the network's preprocessing is a differentiable transform of it.

Fast style: ``multistyle26.onnx`` (Dumoulin et al.'s conditional instance norm,
26 styles in one network; input ``image`` ``(1, 3, h, w)`` RGB in ``[0, 1]``,
``style_weights`` ``(26,)`` summing to 1; output sigmoid in ``[0, 1]``).
Arbitrary style (Ghiasi et al.): ``arbitrary_predict.onnx`` maps a
``(1, 256, 256, 3)`` RGB ``[0, 1]`` style image to a 100-d style vector;
``arbitrary_transform.onnx`` applies it to a ``(1, 384, 384, 3)`` content image.
All three run in onnxruntime (CUDA provider when torch's device is CUDA and the
provider is installed, else CPU). ``InferenceSession.run`` is thread-safe, so the
sessions are registered with ``thread_safe=True`` and shared by every session.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from vision_core.checks import check_image

from vision_core.io.images import resize_max_side
from vision_core.models import get_model, get_spec
from vision_core.models.onnx import ort_providers
from vision_core.models.vgg16 import layer_names_for

__all__ = [
    "ARBITRARY_SIZE",
    "DEFAULT_CONTENT_LAYER",
    "DEFAULT_STYLE_LAYERS",
    "FastResult",
    "GatysLosses",
    "GatysStep",
    "LayerView",
    "NETWORKS",
    "NUM_STYLES",
    "STYLE_CHOICES",
    "STYLE_SIZE",
    "arbitrary_stylize",
    "blend_weights",
    "content_loss",
    "explain_layer",
    "fast_stylize",
    "gatys",
    "gram_matrix",
    "layer_names",
    "ort_providers",
    "style_loss",
    "style_image",
    "style_thumbnails",
    "style_vector",
    "to_network_input",
]

NUM_STYLES = 26
STYLE_SIZE = 256
ARBITRARY_SIZE = 384
THUMBNAIL_SAMPLE = "chelsea"
DEFAULT_CONTENT_LAYER = "block4_conv2"
DEFAULT_STYLE_LAYERS: dict[str, float] = {f"block{b}_conv1": 0.2 for b in range(1, 6)}
DEFAULT_ALPHA = 1.0
DEFAULT_BETA = 1e-5
DEFAULT_LR = {"adam": 0.02, "lbfgs": 1.0}
INITS = ("noise", "content", "style")
OPTIMIZERS = ("adam", "lbfgs")
MAX_STEPS = 5000
MIN_SIZE, MAX_SIZE = 32, 1024

_VGG_CONFIGS: dict[str, tuple[int | str, ...]] = {
    "vgg16": (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"),
    "vgg19": (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"),
}


NETWORKS: dict[str, str] = {"vgg16": "vgg16_features", "vgg19": "vgg19_features"}
"""Feature network name → registered model name."""

_LAYERS: dict[str, tuple[str, ...]] = {k: layer_names_for(v) for k, v in _VGG_CONFIGS.items()}


def layer_names(network: str = "vgg16", convs_only: bool = True) -> tuple[str, ...]:
    """Keras-style layer names of ``network`` (``"vgg16"``/``"vgg19"``); only ``blockB_convN`` when ``convs_only``."""
    _check_network(network)
    names = _LAYERS[network]
    return tuple(n for n in names if "_conv" in n) if convs_only else names


def _check_network(network: str) -> None:
    """Raise ``ValueError`` for a feature network name that is not in ``NETWORKS``."""
    if network not in NETWORKS:
        raise ValueError(f"Unknown feature network {network!r}; choose one of {', '.join(NETWORKS)}.")


def _output_index(network: str, layer: str) -> int:
    """Index in the ``nn.Sequential`` whose output is ``layer``'s activation (after ReLU for ``convN``)."""
    names = _LAYERS[network]
    if layer not in names:
        convs = ", ".join(layer_names(network))
        raise ValueError(f"{network.upper()} has no layer {layer!r}. Its conv layers: {convs}.")
    i = names.index(layer)
    return i + 1 if "_conv" in layer else i


# --------------------------------------------------------------------------- feature networks


def to_network_input(rgb01: torch.Tensor, network: str = "vgg16") -> torch.Tensor:
    """Differentiable preprocessing: ``(N, 3, H, W)`` RGB in ``[0, 1]`` → the network's input.

    ``vgg16``: Caffe/Keras (BGR, 0–255, minus ``BGR_MEAN``), equal to ``vision_core.models.vgg16.preprocess``
    on uint8 images. ``vgg19``: torchvision (RGB, ImageNet mean/std).
    """
    _check_network(network)
    return get_spec(NETWORKS[network]).preprocessing.from_unit(rgb01)


def _activations(model: nn.Sequential, x: torch.Tensor, indices: Sequence[int]) -> dict[int, torch.Tensor]:
    """Run the frozen ``model`` module by module up to the deepest index; outputs at ``indices``.

    ReLUs are applied functionally (never in place), so a shared model with
    ``ReLU(inplace=True)`` (torchvision) is used without being changed.
    """
    wanted = set(indices)
    last = max(wanted)
    out: dict[int, torch.Tensor] = {}
    for i, module in enumerate(model):
        x = F.relu(x) if isinstance(module, nn.ReLU) else module(x)
        if i in wanted:
            out[i] = x
        if i >= last:
            break
    return out


def gram_matrix(features: torch.Tensor) -> torch.Tensor:
    """Style matrix of activations ``(C, H, W)`` or ``(1, C, H, W)``: ``F·Fᵀ / (H·W)``, shape ``(C, C)``.

    Entry ``(i, j)`` is the average over positions of channel ``i`` times channel ``j``:
    how strongly the two features fire together.
    """
    if features.dim() == 4:
        if features.shape[0] != 1:
            raise ValueError(f"gram_matrix takes one image's activations, got a batch of {features.shape[0]}.")
        features = features[0]
    if features.dim() != 3:
        raise ValueError(f"Activations must be (C, H, W) or (1, C, H, W), got shape {tuple(features.shape)}.")
    c, h, w = features.shape
    flat = features.reshape(c, h * w)
    return flat @ flat.t() / (h * w)


def content_loss(a_c: torch.Tensor, a_g: torch.Tensor) -> torch.Tensor:
    """``J_content = ¼·mean((a(C) − a(G))²)``: the course's ``‖a(C) − a(G)‖² / (4·n_H·n_W·n_C)``."""
    return 0.25 * torch.mean((a_c - a_g) ** 2)


def style_loss(gram_s: torch.Tensor, gram_g: torch.Tensor) -> torch.Tensor:
    """One layer's ``J_style = ¼·mean((M(S) − M(G))²)`` with ``M`` from ``gram_matrix``."""
    return 0.25 * torch.mean((gram_s - gram_g) ** 2)


# --------------------------------------------------------------------------- Gatys


@dataclass(frozen=True)
class GatysLosses:
    """Loss terms of one evaluation: ``total = alpha·content + beta·style``; ``per_layer`` λ-free ``J_style[l]``."""

    content: float
    style: float
    total: float
    per_layer: tuple[tuple[str, float], ...] = ()


class GatysStep(NamedTuple):
    """One yield of ``gatys``: ``step`` updates applied so far, ``image`` ``(H, W, 3)`` uint8 RGB or ``None``."""

    step: int
    image: np.ndarray | None
    losses: GatysLosses


def _resize_to(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``(H, W, 3)`` uint8 → ``(size[1], size[0], 3)`` with an antialiased filter; ``size`` is ``(W, H)``."""
    if (image.shape[1], image.shape[0]) == size:
        return np.ascontiguousarray(image)
    return np.asarray(Image.fromarray(np.ascontiguousarray(image)).resize(size, Image.Resampling.LANCZOS))


def _fit_side(image: np.ndarray, side: int) -> np.ndarray:
    """Scale ``(H, W, 3)`` so its long side is ``side`` (up or down), keeping the aspect ratio."""
    h, w = image.shape[:2]
    scale = side / max(h, w)
    return _resize_to(image, (max(8, round(w * scale)), max(8, round(h * scale))))


def _to_tensor(image: np.ndarray, device: torch.device) -> torch.Tensor:
    """``(H, W, 3)`` uint8 → ``(1, 3, H, W)`` float32 in ``[0, 1]``."""
    return torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1))).float().div(255.0)[None].to(device)


def _to_image(x: torch.Tensor) -> np.ndarray:
    """``(1, 3, H, W)`` in ``[0, 1]`` → ``(H, W, 3)`` uint8."""
    arr = x.detach()[0].clamp(0, 1).mul(255.0).round().to(torch.uint8).permute(1, 2, 0).cpu().numpy()
    return np.ascontiguousarray(arr)


def _style_weights(style_layers: Mapping[str, float] | Sequence[str] | None) -> dict[str, float]:
    """``{layer: λ}`` from a mapping, a list of names (equal λ summing to 1) or ``None`` (Gatys' five layers)."""
    if style_layers is None:
        return dict(DEFAULT_STYLE_LAYERS)
    if isinstance(style_layers, Mapping):
        layers = {str(k): float(v) for k, v in style_layers.items()}
    else:
        names = list(style_layers)
        layers = {n: 1.0 / len(names) for n in names} if names else {}
    if not layers:
        raise ValueError("Choose at least one style layer.")
    if any(not np.isfinite(v) or v < 0 for v in layers.values()):
        raise ValueError("Style layer weights λ must be zero or positive.")
    if sum(layers.values()) <= 0:
        raise ValueError("At least one style layer needs a weight λ above zero.")
    return layers


def _resolve_model(
    network: str, model: nn.Module | None, device: torch.device | str | None
) -> tuple[nn.Module, torch.device]:
    """The given frozen feature network (or the registered one) and the device it lives on."""
    if model is None:
        model = get_model(NETWORKS[network], device)
    dev = next(model.parameters()).device
    return model, dev


def gatys(
    content: np.ndarray,
    style: np.ndarray,
    *,
    steps: int = 100,
    size: int = 256,
    alpha: float = DEFAULT_ALPHA,
    beta: float = DEFAULT_BETA,
    content_layer: str = DEFAULT_CONTENT_LAYER,
    style_layers: Mapping[str, float] | Sequence[str] | None = None,
    init: str = "noise",
    optimizer: str = "adam",
    lr: float | None = None,
    seed: int = 0,
    every: int = 1,
    network: str = "vgg16",
    model: nn.Module | None = None,
    device: torch.device | str | None = None,
    threads: int | None = None,
) -> Iterator[GatysStep]:
    """Gatys et al.'s style transfer as a generator of ``GatysStep(step, image, losses)``.

    ``content``/``style`` are ``(H, W, 3)`` uint8 RGB. G has the content's aspect
    ratio with long side ``size``; the style image is scaled to the same long side
    (Gram matrices are normalised by the number of positions, so sizes may differ).
    Yields ``steps + 1`` items: step 0 is the initial G, step ``k`` is G after ``k``
    optimiser updates, with the losses evaluated on that G. ``image`` is filled on
    step 0, every ``every`` steps and on the last step (``None`` otherwise, to keep
    histories small). ``init``: ``noise`` (uniform in ``[0, 1]``, seeded),
    ``content`` or ``style``. ``optimizer``: ``adam`` (``lr`` default 0.02, in
    ``[0, 1]`` pixel units) or ``lbfgs`` (one L-BFGS iteration with a strong-Wolfe line search per step, ``lr`` 1;
    the losses reported are those at the start of the step).
    ``model`` is the frozen shared feature network (default: ``get_model``); it is
    only read. Raises ``ValueError`` for bad settings at the call, before any computation
    (the returned generator does the work lazily). ``threads``: torch CPU threads for the
    thread that iterates the generator while it runs (OpenMP's setting is per thread, so a
    background job with ``threads=1`` leaves the rest of the process alone; on a busy
    2-core machine one thread per job avoids OpenMP's spin-waiting and is many times faster).
    """
    content = check_image(content, "The content image")
    style = check_image(style, "The style image")
    _check_network(network)
    if not 1 <= int(steps) <= MAX_STEPS:
        raise ValueError(f"Iterations must be between 1 and {MAX_STEPS}, got {steps}.")
    if not MIN_SIZE <= int(size) <= MAX_SIZE:
        raise ValueError(f"The output size must be between {MIN_SIZE} and {MAX_SIZE} pixels, got {size}.")
    if not (np.isfinite(alpha) and np.isfinite(beta)) or alpha < 0 or beta < 0 or alpha + beta <= 0:
        raise ValueError("α and β must be zero or positive, and not both zero.")
    if init not in INITS:
        raise ValueError(f"Initialisation must be one of {', '.join(INITS)}, got {init!r}.")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"Optimiser must be one of {', '.join(OPTIMIZERS)}, got {optimizer!r}.")
    rate = DEFAULT_LR[optimizer] if lr is None else float(lr)
    if not np.isfinite(rate) or rate <= 0:
        raise ValueError(f"The learning rate must be positive, got {lr}.")
    if every < 1:
        raise ValueError(f"'every' must be at least 1, got {every}.")
    if threads is not None and threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}.")
    layers = _style_weights(style_layers)
    c_idx = _output_index(network, content_layer)
    s_idx = {name: _output_index(network, name) for name in layers}
    net, dev = _resolve_model(network, model, device)
    run = _gatys_run(content, style, int(steps), int(size), float(alpha), float(beta), c_idx, s_idx, layers,
                     init, optimizer, rate, int(seed), int(every), network, net, dev)
    return run if threads is None else _with_threads(run, int(threads))


def _with_threads(run: Iterator[GatysStep], threads: int) -> Iterator[GatysStep]:
    """Iterate ``run`` with ``threads`` torch CPU threads in the iterating thread; restored when it ends."""
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield from run
    finally:
        torch.set_num_threads(previous)


def _gatys_run(
    content: np.ndarray,
    style: np.ndarray,
    steps: int,
    size: int,
    alpha: float,
    beta: float,
    c_idx: int,
    s_idx: dict[str, int],
    layers: dict[str, float],
    init: str,
    optimizer: str,
    rate: float,
    seed: int,
    every: int,
    network: str,
    net: nn.Module,
    dev: torch.device,
) -> Iterator[GatysStep]:
    """The optimisation loop behind ``gatys`` (arguments already validated)."""
    c_img = _fit_side(content, size)
    h, w = c_img.shape[:2]
    s_img = _fit_side(style, size)
    c_t, s_t = _to_tensor(c_img, dev), _to_tensor(s_img, dev)
    indices = sorted({c_idx, *s_idx.values()})
    with torch.no_grad():
        target_content = _activations(net, to_network_input(c_t, network), [c_idx])[c_idx]
        s_acts = _activations(net, to_network_input(s_t, network), list(s_idx.values()))
        target_grams = {name: gram_matrix(s_acts[i]) for name, i in s_idx.items()}

    gen = torch.Generator().manual_seed(int(seed))
    if init == "noise":
        start = torch.rand((1, 3, h, w), generator=gen).to(dev)
    elif init == "content":
        start = c_t.clone()
    else:
        start = _to_tensor(_resize_to(s_img, (w, h)), dev)
    x = start.clone().requires_grad_(True)
    opt: torch.optim.Optimizer
    if optimizer == "adam":
        opt = torch.optim.Adam([x], lr=rate)
    else:
        opt = torch.optim.LBFGS([x], lr=rate, max_iter=1, history_size=20, line_search_fn="strong_wolfe")

    record: dict[str, Any] = {}

    def evaluate(backward: bool) -> torch.Tensor:
        acts = _activations(net, to_network_input(x, network), indices)
        j_content = content_loss(target_content, acts[c_idx])
        per_layer = {name: style_loss(target_grams[name], gram_matrix(acts[i])) for name, i in s_idx.items()}
        j_style = sum(layers[n] * v for n, v in per_layer.items())
        total = alpha * j_content + beta * j_style
        if "losses" not in record:
            detached = {n: v.detach() for n, v in per_layer.items()}
            record["losses"] = (j_content.detach(), j_style.detach(), total.detach(), detached)
        if backward:
            opt.zero_grad(set_to_none=True)
            total.backward()
        return total

    def losses() -> GatysLosses:
        j_content, j_style, total, per_layer = record["losses"]
        return GatysLosses(
            float(j_content), float(j_style), float(total), tuple((n, float(v)) for n, v in per_layer.items())
        )

    for k in range(steps):
        snapshot = _to_image(x) if k % every == 0 else None
        record.clear()
        opt.step(lambda: evaluate(True))
        item = GatysStep(k, snapshot, losses())
        with torch.no_grad():
            x.clamp_(0.0, 1.0)
        yield item
    record.clear()
    with torch.no_grad():
        evaluate(False)
    yield GatysStep(steps, _to_image(x), losses())


# --------------------------------------------------------------------------- teaching view


@dataclass(frozen=True)
class LayerView:
    """What the losses compare at one layer, for the first ``channels`` channels.

    ``gram_style``/``gram_generated``: ``(k, k)`` float32 Gram matrices of S and G.
    ``maps_content``/``maps_generated``: ``(n, h, w)`` float32 activations of C and G
    for the ``channels_shown`` channels (the most active ones on C), each scaled
    to ``[0, 1]`` by the content map's maximum so both rows are comparable.
    """

    layer: str
    shape: tuple[int, int, int]
    gram_style: np.ndarray
    gram_generated: np.ndarray
    maps_content: np.ndarray
    maps_generated: np.ndarray
    channels_shown: tuple[int, ...]
    style_distance: float
    content_distance: float


def explain_layer(
    content: np.ndarray,
    style: np.ndarray,
    generated: np.ndarray,
    layer: str = "block1_conv1",
    *,
    size: int = 256,
    channels: int = 32,
    maps: int = 6,
    network: str = "vgg16",
    model: nn.Module | None = None,
    device: torch.device | str | None = None,
) -> LayerView:
    """Gram matrices of S and G and a few feature maps of C and G at ``layer``.

    Images are ``(H, W, 3)`` uint8 RGB; C and G are brought to the long side ``size``
    and the same shape (G's), S to the long side ``size``.
    """
    content = check_image(content, "The content image")
    style = check_image(style, "The style image")
    generated = check_image(generated, "The generated image")
    _check_network(network)
    idx = _output_index(network, layer)
    if channels < 1 or maps < 1:
        raise ValueError("Show at least one channel and one feature map.")
    net, dev = _resolve_model(network, model, device)
    g_img = _fit_side(generated, size)
    h, w = g_img.shape[:2]
    c_img = _resize_to(content, (w, h))
    s_img = _fit_side(style, size)
    with torch.no_grad():
        acts = [
            _activations(net, to_network_input(_to_tensor(im, dev), network), [idx])[idx][0]
            for im in (c_img, s_img, g_img)
        ]
    a_c, a_s, a_g = acts
    k = min(channels, a_c.shape[0])
    gram_s, gram_g = gram_matrix(a_s), gram_matrix(a_g)
    order = torch.argsort(a_c.mean(dim=(1, 2)), descending=True)[: min(maps, a_c.shape[0])]
    chosen = tuple(int(i) for i in order)
    scale = a_c[list(chosen)].amax(dim=(1, 2), keepdim=True).clamp_min(1e-6)
    mc = (a_c[list(chosen)] / scale).clamp(0, 1)
    mg = (a_g[list(chosen)] / scale).clamp(0, 1)
    return LayerView(
        layer=layer,
        shape=tuple(int(s) for s in a_c.shape),  # type: ignore[arg-type]
        gram_style=gram_s[:k, :k].cpu().numpy().astype(np.float32),
        gram_generated=gram_g[:k, :k].cpu().numpy().astype(np.float32),
        maps_content=mc.cpu().numpy().astype(np.float32),
        maps_generated=mg.cpu().numpy().astype(np.float32),
        channels_shown=chosen,
        style_distance=float(style_loss(gram_s, gram_g)),
        content_distance=float(content_loss(a_c, a_g)),
    )


# --------------------------------------------------------------------------- ONNX style networks


@dataclass(frozen=True)
class FastResult:
    """A stylised ``(H, W, 3)`` uint8 RGB image, the network time in seconds and the provider used."""

    image: np.ndarray
    seconds: float
    provider: str


def blend_weights(weights: Mapping[int, float] | Sequence[float]) -> np.ndarray:
    """A ``(26,)`` float32 style mix summing to 1 from ``{style index: weight}`` or 26 weights.

    Raises ``ValueError`` for indices outside 0–25, negative weights or all zeros.
    """
    w = np.zeros(NUM_STYLES, dtype=np.float32)
    if isinstance(weights, Mapping):
        for idx, wt in weights.items():
            i = int(idx)
            if not 0 <= i < NUM_STYLES:
                raise ValueError(f"Style numbers go from 0 to {NUM_STYLES - 1}, got {i}.")
            w[i] += float(wt)
    else:
        arr = np.asarray(weights, dtype=np.float32)
        if arr.shape != (NUM_STYLES,):
            raise ValueError(f"A style mix needs {NUM_STYLES} weights, got {arr.shape[0] if arr.ndim else 0}.")
        w = arr.copy()
    if not np.all(np.isfinite(w)) or (w < 0).any():
        raise ValueError("Style weights must be zero or positive.")
    if w.sum() <= 0:
        raise ValueError("Give at least one style a weight above zero.")
    return (w / w.sum()).astype(np.float32)


def _session(session: Any | None, name: str) -> Any:
    """``session`` itself, or the registered onnxruntime session ``name`` loaded on the CPU."""
    return session if session is not None else get_model(name, "cpu")


def fast_stylize(
    image: np.ndarray,
    weights: Mapping[int, float] | Sequence[float] | int,
    *,
    session: Any | None = None,
    max_side: int | None = 1024,
) -> FastResult:
    """Paint ``(H, W, 3)`` uint8 RGB with a mix of the 26 styles; the output has the input's size.

    The long side is first capped at ``max_side``; the network downsamples by 4,
    so the photo is reflect-padded to a multiple of 4 and the result cropped back.
    ``session``: the ``style_multistyle26`` onnxruntime session (default: loaded on CPU).
    """
    image = check_image(image)
    if isinstance(weights, (int, np.integer)):
        weights = {int(weights): 1.0}
    mix = blend_weights(weights)
    if max_side is not None:
        image = resize_max_side(image, max_side)
    sess = _session(session, "style_multistyle26")
    h, w = image.shape[:2]
    arr = image.astype(np.float32) / 255.0
    ph, pw = (-h) % 4, (-w) % 4
    if ph or pw:
        arr = np.pad(arr, ((0, ph), (0, pw), (0, 0)), mode="reflect")
    x = np.ascontiguousarray(arr.transpose(2, 0, 1)[None])
    t0 = time.perf_counter()
    out = sess.run(None, {"image": x, "style_weights": mix})[0][0]
    seconds = time.perf_counter() - t0
    out = out.transpose(1, 2, 0)[:h, :w]
    return FastResult(_to_uint8(out), seconds, sess.get_providers()[0])


def _to_uint8(arr: np.ndarray) -> np.ndarray:
    """``(H, W, 3)`` float in ``[0, 1]`` → uint8, rounded."""
    return np.ascontiguousarray((np.clip(arr, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8))


def style_thumbnails(session: Any | None = None, side: int = 128, sample: np.ndarray | None = None) -> list[np.ndarray]:
    """The 26 styles painted on a fixed photo (scikit-image's chelsea, centre square), ``side``² each."""
    from vision_core.io.samples import load_sample

    src = check_image(sample if sample is not None else load_sample(THUMBNAIL_SAMPLE))
    square = _center_square(src, side)
    sess = _session(session, "style_multistyle26")
    return [fast_stylize(square, {i: 1.0}, session=sess, max_side=None).image for i in range(NUM_STYLES)]


def _center_square(image: np.ndarray, side: int) -> np.ndarray:
    """The centre square of ``(H, W, 3)`` uint8, resized to ``side`` × ``side``."""
    h, w = image.shape[:2]
    s = min(h, w)
    top, left = (h - s) // 2, (w - s) // 2
    return _resize_to(image[top : top + s, left : left + s], (side, side))


def style_vector(style: np.ndarray, *, session: Any | None = None) -> np.ndarray:
    """The predictor's ``(1, 1, 1, 100)`` float32 style vector of ``(H, W, 3)`` uint8 RGB (centre square, 256²)."""
    style = check_image(style, "The style image")
    x = (_center_square(style, STYLE_SIZE).astype(np.float32) / 255.0)[None]
    sess = _session(session, "style_arbitrary_predict")
    return np.asarray(sess.run(None, {sess.get_inputs()[0].name: x})[0], dtype=np.float32)


def arbitrary_stylize(
    image: np.ndarray,
    style: np.ndarray,
    strength: float = 1.0,
    *,
    predictor: Any | None = None,
    transformer: Any | None = None,
    max_side: int | None = 1024,
) -> FastResult:
    """Paint ``image`` in the style of any ``style`` image; both ``(H, W, 3)`` uint8 RGB.

    ``strength`` in ``[0, 1]`` interpolates the style vector between the photo's own
    (0) and the style image's (1). The transformer works at 384 px on the long
    side (reflect-padded to 384²); the result is scaled back to the input's size
    (long side capped at ``max_side``). ``seconds`` covers both networks.
    """
    image = check_image(image)
    style = check_image(style, "The style image")
    if not np.isfinite(strength) or not 0.0 <= strength <= 1.0:
        raise ValueError(f"The style strength must be between 0 and 1, got {strength}.")
    if max_side is not None:
        image = resize_max_side(image, max_side)
    pred = _session(predictor, "style_arbitrary_predict")
    trans = _session(transformer, "style_arbitrary_transform")
    h, w = image.shape[:2]
    scale = ARBITRARY_SIZE / max(h, w)
    sw, sh = max(1, round(w * scale)), max(1, round(h * scale))
    small = _resize_to(image, (sw, sh)).astype(np.float32) / 255.0
    mode = "reflect" if min(sh, sw) > 1 and ARBITRARY_SIZE - min(sh, sw) < min(sh, sw) else "edge"
    small = np.pad(small, ((0, ARBITRARY_SIZE - sh), (0, ARBITRARY_SIZE - sw), (0, 0)), mode=mode)
    t0 = time.perf_counter()
    vec = style_vector(style, session=pred)
    if strength < 1.0:
        vec = strength * vec + (1.0 - strength) * style_vector(image, session=pred)
    names = [i.name for i in trans.get_inputs()]
    out = trans.run(None, {names[0]: small[None], names[1]: vec.astype(np.float32)})[0][0][:sh, :sw]
    seconds = time.perf_counter() - t0
    result = _to_uint8(out)
    if (sw, sh) != (w, h):
        result = _resize_to(result, (w, h))
    return FastResult(result, seconds, trans.get_providers()[0])


# --------------------------------------------------------------------------- style images that ship offline

STYLE_TEXTURES: tuple[str, ...] = (
    "hubble_deep_field", "brick", "gravel", "grass", "colorwheel", "immunohistochemistry",
)
PAINTED_STYLES: tuple[int, ...] = (3, 6, 10, 20)
PAINTED_SAMPLE = "coffee"
STYLE_CHOICES: tuple[str, ...] = STYLE_TEXTURES + tuple(f"painted_{i}" for i in PAINTED_STYLES)
"""Offline style images: scikit-image textures and ``painted_N`` (the coffee sample painted by fast style N)."""


def style_image(name: str, *, session: Any | None = None, side: int = 384) -> np.ndarray:
    """The offline style image ``name`` (one of ``STYLE_CHOICES``) as ``(H, W, 3)`` uint8 RGB.

    Textures come from scikit-image as they are; ``painted_N`` is ``PAINTED_SAMPLE``
    (long side ``side``) painted with fast style ``N`` (``session``: ``style_multistyle26``).
    """
    from vision_core.io.samples import load_sample

    if name in STYLE_TEXTURES:
        return load_sample(name)
    if name.startswith("painted_") and name.removeprefix("painted_").isdigit():
        idx = int(name.removeprefix("painted_"))
        if 0 <= idx < NUM_STYLES:
            photo = _fit_side(load_sample(PAINTED_SAMPLE), side)
            return fast_stylize(photo, idx, session=session, max_side=None).image
    raise ValueError(f"Unknown style image {name!r}. Choose one of {', '.join(STYLE_CHOICES)}, or upload one.")
