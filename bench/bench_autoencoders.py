"""Autoencoders and Classification + localisation: the pages' default live trainings (wall time and what they
reach) and the cached computations each page runs once per trained model."""

from __future__ import annotations

import torch

from bench.core import Row, timed_row, value_row
from vision_core import autoencoders as ae
from vision_core import localisation as loc
from vision_core.models.device import limited_threads


def _last(records):
    last = None
    for last in records:
        pass
    assert last is not None
    return last


def rows() -> list[Row]:
    out: list[Row] = []
    run = _last(ae.train_autoencoders(ae.AutoencoderConfig()))
    out.append(value_row("autoencoders", "default run (400 steps: twin AE + denoiser), wall time", run.elapsed, "s",
                         target="≤ 60 s on 2 cores",
                         note=f"held-out MSE transposed {run.test['transposed']:.4f}, upsample {run.test['upsample']:.4f}, "
                              f"denoiser σ=0.4 {run.test['denoiser']:.4f}"))
    twin, den = ae.networks_from(run)
    digits = ae.held_out_digits()[0]
    x = ae.digits_to_tensor(digits)

    def bare() -> None:
        with torch.no_grad(), limited_threads(1):
            z = twin.encoder(x)
            for dec in twin.decoders.values():
                dec(z)

    with limited_threads(1):
        out.append(timed_row("autoencoders", "reconstructions of 1000 held-out digits (both decoders)",
                             lambda: ae.reconstructions(net=twin), bare, repeat=3, note="baseline: bare forward passes"))
        lm = ae.latent_map(net=twin)
        out.append(timed_row("autoencoders", "latent map: 5000 codes + 5-NN score", lambda: ae.latent_map(net=twin),
                             repeat=3, note=f"kNN accuracy {lm.knn_accuracy:.1%}"))
        out.append(timed_row("autoencoders", "denoise 1000 held-out digits at σ = 0.4",
                             lambda: ae.denoise(digits, 0.4, net=den), repeat=3))
        out.append(timed_row("autoencoders", "checkerboard report on 1000 codes", lambda: ae.checkerboard_report(
            lm.codes, digits, net=twin), repeat=3))
    fit = _last(loc.train_localiser(loc.LocalisationConfig()))
    out.append(value_row("localisation", "default run (400 steps of 64 fresh canvases), wall time", fit.elapsed, "s",
                         target="≤ 60 s on 2 cores",
                         note=f"held-out accuracy {fit.test_accuracy:.1%}, mean IoU {fit.test_iou:.2f}"))
    net = loc.localiser_from(fit)
    scenes = loc.held_out_scenes()
    with limited_threads(1):
        out.append(timed_row("localisation", "make 64 training canvases", lambda: loc.make_scenes(64, "train", 1), repeat=5))
        out.append(timed_row("localisation", "evaluate 500 held-out canvases (classes, boxes, IoU)",
                             lambda: loc.evaluate(scenes, net=net), repeat=3))
    return out
