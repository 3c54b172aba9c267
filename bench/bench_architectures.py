"""Architecture explorer rows: summarising ResNet-152 and VGG-19, the block structure of DenseNet-201 (what the
block diagram draws, read from a summary), a what-if edit of AlexNet, and RSS while browsing every network twice. Baseline: building the torchvision model on the meta device and one forward
under a bare ``FlopCounterMode`` (what ``summarize`` adds is the per-layer bookkeeping)."""

from __future__ import annotations

import gc
import time
from dataclasses import replace

import psutil
import torch
from torch.utils.flop_counter import FlopCounterMode

from bench.core import Row, timed_row, value_row
from vision_core import architectures as arch


def _bare(name: str, size: tuple[int, int, int] = (3, 224, 224)) -> int:
    from torchvision.models import get_model

    with torch.device("meta"):
        model = get_model(name, weights=None).eval()
        x = torch.zeros(1, *size)
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(x)
    return counter.get_total_flops()


def _bare_sequential(layers: list[arch.EditLayer], size: tuple[int, int, int]) -> int:
    with torch.device("meta"):
        model = arch.build(layers, size)
        x = torch.zeros(1, *size)
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(x)
    return counter.get_total_flops()


def _rss_rows() -> list[Row]:
    proc = psutil.Process()
    names = arch.available()
    rss = []
    for _ in range(3):
        for name in names:
            arch.summarize(name)
        gc.collect()
        rss.append(proc.memory_info().rss / 2**20)
    return [
        value_row("architectures", f"RSS after browsing all {len(names)} networks once", rss[0], "MiB",
                  note="the two detection models run on the CPU and raise the first pass"),
        value_row("architectures", "RSS after browsing them all a third time", rss[2], "MiB",
                  target="flat", note=f"growth {rss[2] - rss[1]:+.1f} MiB from pass 2 to 3, {rss[2] - rss[0]:+.1f} from pass 1"),
    ]


def _cpu_row() -> Row:
    start = time.process_time()
    for _ in range(3):
        arch.summarize("resnet152")
    return value_row("architectures", "summarize('resnet152'): CPU time per call", (time.process_time() - start) / 3, "s",
                     target="< 1 s", note="process CPU time, independent of other load on the machine")


def rows() -> list[Row]:
    size, alexnet = arch.preset("alexnet")
    edited = list(alexnet)
    edited[3] = replace(edited[3], out=256, kernel=3, padding=1)
    dense201 = arch.summarize("densenet201")
    out = [
        timed_row("architectures", "summarize('resnet152'), 224×224, meta device", lambda: arch.summarize("resnet152"),
                  lambda: _bare("resnet152"), repeat=5, target="< 1 s", note="baseline: build on meta + bare FlopCounterMode"),
        timed_row("architectures", "summarize('vgg19'), 224×224, meta device", lambda: arch.summarize("vgg19"),
                  lambda: _bare("vgg19"), repeat=5, note="baseline: build on meta + bare FlopCounterMode"),
        timed_row("architectures", "summarize('densenet121'), 224×224", lambda: arch.summarize("densenet121"),
                  lambda: _bare("densenet121"), repeat=5),
        timed_row("architectures", "block_structure(densenet201 summary): the diagram's blocks",
                  lambda: arch.block_structure(dense201), repeat=7, target="< 50 ms",
                  note="reads the summary's rows; runs nothing"),
        timed_row("architectures", "what-if edit: AlexNet conv2 → 256 3×3, re-summarised", lambda: arch.evaluate(edited, size),
                  lambda: _bare_sequential(edited, size), repeat=7, target="< 300 ms",
                  note="baseline: build nn.Sequential on meta + bare FlopCounterMode"),
        timed_row("architectures", "inception bottleneck calculator (lecture preset)", arch.inception_bottleneck, repeat=7),
    ]
    out.append(_cpu_row())
    out.extend(_rss_rows())
    return out
