"""Generative models: faces that do not exist from the embedded DCGAN, and GANs trained live.

Modules:

- ``faces``: the 64×64 DCGAN face generator's latents (seeded, prefix-stable), sampling with
  truncation, slerp/linear walks, latent arithmetic, principal directions (GANSpace), kept faces
  for links, upscaling and GIFs.
- ``training``: a small DCGAN on MNIST-5k and an MLP GAN on 2-D toy distributions, each a
  generator of ``GanStep`` records; ``GAN_PRESETS``, the diversity measure of mode collapse.

Functions take the loaded generator (``generator=``); the app's one model cache is ``ui.models``.
"""

from vision_core.generative import faces, training
from vision_core.generative.faces import (
    LatentDirections,
    arithmetic_face,
    generate,
    interpolate,
    kept_faces,
    latent_directions,
    latents,
    sample_faces,
    steer,
    upscale,
    walk,
)
from vision_core.generative.training import (
    COLLAPSE_THRESHOLD,
    GAN_PRESETS,
    TOY_DATASETS,
    GanConfig,
    GanStep,
    digit_grid,
    train_mnist_gan,
    train_toy_gan,
)

__all__ = [
    "COLLAPSE_THRESHOLD",
    "GAN_PRESETS",
    "TOY_DATASETS",
    "GanConfig",
    "GanStep",
    "LatentDirections",
    "arithmetic_face",
    "digit_grid",
    "faces",
    "generate",
    "interpolate",
    "kept_faces",
    "latent_directions",
    "latents",
    "sample_faces",
    "steer",
    "train_mnist_gan",
    "train_toy_gan",
    "training",
    "upscale",
    "walk",
]
