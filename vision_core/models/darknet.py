"""A small Darknet port: YOLOv3-tiny's ``.cfg`` parsed into torch ``nn.Module`` layers.

Supported sections are the ones YOLOv3-tiny uses: ``[convolutional]`` (with or
without batch norm, ``leaky``/``linear``), ``[maxpool]`` (Darknet pads stride-1
pools on the right/bottom so the size is kept), ``[upsample]`` (nearest),
``[route]`` (concatenation along channels) and ``[yolo]`` (a decoding head).
The ``.weights`` file is read in Darknet's order: a header (major, minor,
revision, images seen), then per conv layer ``[beta, gamma, mean, var]`` or
``bias``, then the kernel.

Conventions: the network takes ``(N, 3, S, S)`` float32 RGB in [0, 1]
(``vision_core.models.transforms.Letterboxed`` makes it: aspect kept, grey 0.5 borders, S = 416)
and returns one raw map per ``[yolo]`` head, ``(N, A·(5 + C), G, G)``.
``decode`` turns them into rows ``(cx, cy, w, h, objectness, p_class…)`` with
coordinates as fractions of the network input, like OpenCV's Darknet importer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


__all__ = [
    "BN_EPS",
    "Darknet",
    "MaxPoolSame",
    "Route",
    "YoloHead",
    "YoloSpec",
    "decode",
    "load_darknet",
    "parse_cfg",
]

BN_EPS = 1e-6
"""Darknet normalises with (x − mean) / (sqrt(var) + 1e-6); OpenCV's importer uses eps = 1e-6 too."""


def parse_cfg(text: str) -> list[dict[str, str]]:
    """Sections of a Darknet ``.cfg`` in order, each a dict with ``"type"`` (``"net"``, ``"convolutional"`` …)."""
    sections: list[dict[str, str]] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            sections.append({"type": line[1:-1].strip()})
        elif "=" in line:
            if not sections:
                raise ValueError("A Darknet cfg must start with a [section] header.")
            key, value = line.split("=", 1)
            sections[-1][key.strip()] = value.strip()
        else:
            raise ValueError(f"Cannot read this Darknet cfg line: {raw!r}.")
    if not sections or sections[0]["type"] != "net":
        raise ValueError("A Darknet cfg must start with a [net] section.")
    return sections


class MaxPoolSame(nn.Module):
    """Darknet's max-pool: stride-1 pools pad right/bottom by ``size − 1`` so H, W stay the same."""

    def __init__(self, size: int, stride: int) -> None:
        super().__init__()
        self.size, self.stride = size, stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.stride == 1:
            x = F.pad(x, (0, self.size - 1, 0, self.size - 1), mode="replicate")
        return F.max_pool2d(x, self.size, self.stride)


class Route(nn.Module):
    """Concatenate earlier outputs (``layers`` are absolute indices) along channels."""

    def __init__(self, layers: list[int]) -> None:
        super().__init__()
        self.layers = layers

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # pragma: no cover - handled by Darknet.forward
        return x


@dataclass(frozen=True)
class YoloSpec:
    """One ``[yolo]`` head: its anchors in input pixels ``(w, h)`` and the class count."""

    anchors: tuple[tuple[float, float], ...]
    classes: int


class YoloHead(nn.Module):
    """Marks a ``[yolo]`` output; decoding happens in ``decode`` so the raw map stays inspectable."""

    def __init__(self, spec: YoloSpec) -> None:
        super().__init__()
        self.spec = spec

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


def _conv_block(section: dict[str, str], in_ch: int) -> tuple[nn.Sequential, int]:
    filters = int(section["filters"])
    size = int(section["size"])
    stride = int(section.get("stride", "1"))
    pad = size // 2 if int(section.get("pad", "0")) else int(section.get("padding", "0"))
    bn = int(section.get("batch_normalize", "0"))
    block = nn.Sequential()
    block.add_module("conv", nn.Conv2d(in_ch, filters, size, stride, pad, bias=not bn))
    if bn:
        block.add_module("bn", nn.BatchNorm2d(filters, eps=BN_EPS))
    activation = section.get("activation", "linear")
    if activation == "leaky":
        block.add_module("act", nn.LeakyReLU(0.1))
    elif activation != "linear":
        raise ValueError(f"Darknet activation {activation!r} is not supported by this small port.")
    return block, filters


class Darknet(nn.Module):
    """A Darknet network built from parsed cfg sections; ``forward`` returns the raw ``[yolo]`` maps."""

    def __init__(self, sections: list[dict[str, str]]) -> None:
        super().__init__()
        net = sections[0]
        self.width = int(net.get("width", "416"))
        self.height = int(net.get("height", "416"))
        channels = [int(net.get("channels", "3"))]
        self.layers = nn.ModuleList()
        self.kinds: list[str] = []
        out_channels: list[int] = []
        for i, sec in enumerate(sections[1:]):
            kind = sec["type"]
            in_ch = channels[-1] if not out_channels else out_channels[-1]
            if kind == "convolutional":
                layer, ch = _conv_block(sec, in_ch)
            elif kind == "maxpool":
                layer, ch = MaxPoolSame(int(sec["size"]), int(sec["stride"])), in_ch
            elif kind == "upsample":
                layer, ch = nn.Upsample(scale_factor=int(sec["stride"]), mode="nearest"), in_ch
            elif kind == "route":
                idx = [int(v) for v in sec["layers"].split(",")]
                idx = [v if v >= 0 else i + v for v in idx]
                layer, ch = Route(idx), sum(out_channels[v] for v in idx)
            elif kind == "yolo":
                anchors = [float(v) for v in sec["anchors"].split(",")]
                pairs = [(anchors[2 * k], anchors[2 * k + 1]) for k in range(len(anchors) // 2)]
                mask = [int(v) for v in sec["mask"].split(",")]
                layer, ch = YoloHead(YoloSpec(tuple(pairs[m] for m in mask), int(sec["classes"]))), in_ch
            else:
                raise ValueError(f"Darknet section [{kind}] is not supported by this small port.")
            self.layers.append(layer)
            self.kinds.append(kind)
            out_channels.append(ch)
        self.out_channels = out_channels

    @property
    def heads(self) -> list[YoloSpec]:
        return [m.spec for m in self.layers if isinstance(m, YoloHead)]

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        """``(N, 3, H, W)`` in [0, 1] → list of raw head maps ``(N, A·(5 + C), G, G)``."""
        outputs: list[torch.Tensor] = []
        heads: list[torch.Tensor] = []
        for layer in self.layers:
            if isinstance(layer, Route):
                x = torch.cat([outputs[i] for i in layer.layers], dim=1) if len(layer.layers) > 1 else outputs[layer.layers[0]]
            else:
                x = layer(x)
            if isinstance(layer, YoloHead):
                heads.append(x)
            outputs.append(x)
        return heads

    def load_weights(self, path: str | Path) -> None:
        """Read a Darknet ``.weights`` file into the conv/BN layers; checks the size matches exactly."""
        data = Path(path).read_bytes()
        major, minor, _ = np.frombuffer(data, dtype=np.int32, count=3)
        offset = 12 + (8 if major * 10 + minor >= 2 else 4)
        values = np.frombuffer(data, dtype=np.float32, offset=offset)
        pos = 0

        def take(n: int, like: torch.Tensor) -> torch.Tensor:
            nonlocal pos
            if pos + n > values.size:
                raise ValueError("The Darknet weights file is shorter than the cfg needs (wrong cfg for these weights?).")
            out = torch.from_numpy(values[pos : pos + n].copy()).view_as(like)
            pos += n
            return out

        with torch.no_grad():
            for layer in self.layers:
                if not isinstance(layer, nn.Sequential):
                    continue
                conv: nn.Conv2d = layer.conv
                if "bn" in layer._modules:
                    bn: nn.BatchNorm2d = layer.bn
                    for t in (bn.bias, bn.weight, bn.running_mean, bn.running_var):
                        t.copy_(take(t.numel(), t))
                else:
                    conv.bias.copy_(take(conv.bias.numel(), conv.bias))
                conv.weight.copy_(take(conv.weight.numel(), conv.weight))
        if pos != values.size:
            raise ValueError(f"The Darknet weights file has {values.size - pos} values the cfg does not use.")


    def fuse(self) -> Darknet:
        """Fold every batch norm into its conv (eval-mode arithmetic, same outputs, fewer passes); returns self."""
        from torch.nn.utils.fusion import fuse_conv_bn_eval

        self.eval()
        for layer in self.layers:
            if isinstance(layer, nn.Sequential) and "bn" in layer._modules:
                layer.conv = fuse_conv_bn_eval(layer.conv, layer.bn)
                del layer._modules["bn"]
        return self


def load_darknet(cfg: str | Path, weights: str | Path, device: torch.device | str = "cpu", fuse: bool = True) -> Darknet:
    """Parse ``cfg``, load ``weights`` (batch norms folded into the convs when ``fuse``), move to ``device``; eval mode."""
    net = Darknet(parse_cfg(Path(cfg).read_text()))
    net.load_weights(weights)
    if fuse:
        net.fuse()
    return net.to(device).eval()


def decode(raw: list[torch.Tensor], heads: list[YoloSpec], input_size: int) -> torch.Tensor:
    """Raw head maps → ``(N_boxes, 5 + C)`` rows ``(cx, cy, w, h, objectness, p_class…)`` for batch item 0.

    ``cx = (col + σ(tx)) / G``, ``w = anchor_w · exp(tw) / input_size`` (all fractions of the input);
    objectness and class probabilities are sigmoids. Rows go head by head, then cell (row-major), then anchor.
    """
    rows: list[torch.Tensor] = []
    for out, spec in zip(raw, heads):
        a = len(spec.anchors)
        g_h, g_w = out.shape[-2:]
        p = out[0].view(a, 5 + spec.classes, g_h, g_w).permute(2, 3, 0, 1)
        ys, xs = torch.meshgrid(torch.arange(g_h, device=out.device), torch.arange(g_w, device=out.device), indexing="ij")
        anchors = torch.tensor(spec.anchors, dtype=out.dtype, device=out.device)
        cx = (xs[..., None] + torch.sigmoid(p[..., 0])) / g_w
        cy = (ys[..., None] + torch.sigmoid(p[..., 1])) / g_h
        bw = torch.exp(p[..., 2]) * anchors[:, 0] / input_size
        bh = torch.exp(p[..., 3]) * anchors[:, 1] / input_size
        rest = torch.sigmoid(p[..., 4:])
        rows.append(torch.cat([torch.stack([cx, cy, bw, bh], -1), rest], -1).reshape(-1, 5 + spec.classes))
    return torch.cat(rows)
