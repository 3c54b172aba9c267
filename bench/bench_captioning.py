"""Image captioning: the page's default training run (wall and CPU time, held-out scores against the baseline),
the frozen encoder per scene, and greedy versus beam-search decoding of one scene."""

from __future__ import annotations

import time

import torch

from bench.core import Row, timed_row, value_row
from vision_core.captioning import (
    CaptionConfig,
    beam_search,
    captioner_from,
    encode_scenes,
    encoder_input,
    greedy,
    make_scenes,
    train_captioner,
)
from vision_core.models import get_model
from vision_core.models.device import limited_threads
from vision_core.models.efficientnet_lite import activations


def rows() -> list[Row]:
    out: list[Row] = []
    net = get_model("efficientnet_lite0", "cpu")
    config = CaptionConfig()
    wall, cpu = time.perf_counter(), time.process_time()
    last = None
    for last in train_captioner(config, net=net):
        pass
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert last is not None and last.scores is not None
    s, b = last.scores, last.baseline
    scores = (f"held-out exact {s.exact:.1%}, word accuracy {s.word_accuracy:.1%}, BLEU-1 {s.bleu1:.3f}; baseline "
              f"{b.exact:.1%} / {b.word_accuracy:.1%} / {b.bleu1:.3f}")
    out.append(value_row("captioning", f"default run ({config.train_scenes}+{config.held_out_scenes} scenes, "
                         f"{config.steps} steps), wall", wall, "s", target="≤ 120 s on 2 idle cores",
                         note=f"encoding {last.encode_seconds:.0f} s; {scores}"))
    out.append(value_row("captioning", "default run, CPU time of this process", cpu, "s",
                         note="what the run costs on one idle core, whatever else the machine runs"))
    images = make_scenes(100, "held-out", 0).images

    def bare() -> None:
        with torch.no_grad(), limited_threads(1):
            for i in range(0, 100, 50):
                activations(net, encoder_input(images[i : i + 50]), "_blocks.10")

    with limited_threads(1):
        out.append(timed_row("captioning", "encode 100 scenes (96×96 → 6×6×112)",
                             lambda: encode_scenes(images, net=net), bare, repeat=3, warmup=1,
                             note="baseline: the bare sliced forward"))
        cap = captioner_from(last)
        v = encode_scenes(images[:1], net=net).vectors[0]
        out.append(timed_row("captioning", "beam search, width 3, one scene", lambda: beam_search(cap.decoder, v, cap.vocab, 3),
                             lambda: greedy(cap.decoder, v, cap.vocab), repeat=15, note="baseline: greedy"))
    return out
