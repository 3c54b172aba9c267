"""The page's three small networks: one encoder with two decoders (transposed convolution versus
upsample + convolution) sharing a 2-D latent space, and a convolutional denoising autoencoder.

Shapes: digits enter as ``(N, 1, 28, 28)`` float32 in 0–1 (white ink on black, like MNIST) and leave
the same way (in eval mode the outputs are clipped to 0–1; training sees them unclipped). The encoder is conv 3×3 stride 2 → 14×14 → conv 3×3 stride 2 →
7×7 → two fully connected layers → a code ``(N, 2)``. Each decoder mirrors it: fully connected back
to 7×7, then two 2× upsampling steps 7 → 14 → 28, either

- ``transposed``: the lecture's "3 x 3 transpose convolution, stride 2 pad 1" (with PyTorch's
  ``output_padding=1``, the one extra row and column that makes the output exactly 2× the input), or
- ``upsample``: nearest-neighbour upsampling 2× followed by an ordinary 3×3 convolution, pad 1.

A 3×3 kernel moving 2 pixels in the output overlaps itself unevenly (even output positions get one
tap per axis, odd ones two), which is where the checkerboard artefact comes from; upsample +
convolution treats every output pixel alike. The denoiser keeps a spatial bottleneck
(7×7×8 = 392 numbers, half of the 784 pixels) so it can put back the strokes it sees.
"""

from __future__ import annotations

import torch
from torch import nn

from vision_core.checks import check_choice

__all__ = ["DECODERS", "DECODER_TITLES", "Decoder", "Denoiser", "Encoder", "TwinAutoencoder", "LATENT", "upsampling_stack"]

DECODERS: tuple[str, ...] = ("transposed", "upsample")
DECODER_TITLES: dict[str, str] = {
    "transposed": "transposed convolution 3×3, stride 2, pad 1",
    "upsample": "nearest upsampling 2× + convolution 3×3, pad 1",
}
LATENT = 2
"""The size of the autoencoder's code: 2, so the latent space can be drawn as a plane."""

WIDE, NARROW = 16, 8
"""Channels of the 7×7 and 14×14 feature maps (small on purpose: the net trains live on a CPU core)."""


class Encoder(nn.Module):
    """``(N, 1, 28, 28)`` → ``(N, latent)``: conv 1→8 s2 → 14×14, conv 8→16 s2 → 7×7, FC 784 → 64 → latent."""

    def __init__(self, latent: int = LATENT) -> None:
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, NARROW, 3, 2, 1), nn.ReLU(),
            nn.Conv2d(NARROW, WIDE, 3, 2, 1), nn.ReLU(),
        )
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(WIDE * 49, 64), nn.ReLU(), nn.Linear(64, latent))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.conv(x))


def upsampling_stack(kind: str, c_in: int = WIDE, c_mid: int = NARROW, c_out: int = 1) -> nn.Sequential:
    """Two 2× upsampling steps (7 → 14 → 28) of the named ``kind`` with a ReLU between them, no final
    activation: ``transposed`` or ``upsample`` (see the module docstring)."""
    check_choice(kind, DECODERS, "decoder")
    if kind == "transposed":
        return nn.Sequential(
            nn.ConvTranspose2d(c_in, c_mid, 3, 2, 1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(c_mid, c_out, 3, 2, 1, output_padding=1),
        )
    return nn.Sequential(
        nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c_in, c_mid, 3, 1, 1), nn.ReLU(),
        nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c_mid, c_out, 3, 1, 1),
    )


class Decoder(nn.Module):
    """``(N, latent)`` → ``(N, 1, 28, 28)``: FC latent → 64 → 16×7×7, then ``up`` (the upsampling stack); the
    output is linear while training and clipped to 0–1 in eval mode (see ``Denoiser`` for why no sigmoid)."""

    def __init__(self, kind: str, latent: int = LATENT) -> None:
        super().__init__()
        self.kind = kind
        self.fc = nn.Sequential(nn.Linear(latent, 64), nn.ReLU(), nn.Linear(64, WIDE * 49), nn.ReLU())
        self.up = upsampling_stack(kind)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        y = self.up(self.fc(z).view(-1, WIDE, 7, 7))
        return y if self.training else y.clamp(0, 1)


class TwinAutoencoder(nn.Module):
    """One encoder, two decoders (``decoders["transposed"]``, ``decoders["upsample"]``) trained together on
    the sum of their reconstruction losses, so both decode the same 2-D codes."""

    def __init__(self, latent: int = LATENT) -> None:
        super().__init__()
        self.encoder = Encoder(latent)
        self.decoders = nn.ModuleDict({kind: Decoder(kind, latent) for kind in DECODERS})

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        z = self.encoder(x)
        return {kind: dec(z) for kind, dec in self.decoders.items()}


class Denoiser(nn.Module):
    """A convolutional denoising autoencoder: conv 1→16 s2 → 14×14, conv 16→8 s2 → 7×7×8 (the bottleneck, no
    activation), then upsample + conv back to 28×28. Trained on noisy digits with the clean digit as target.

    Its output is linear while training and clipped to 0–1 in eval mode: with a sigmoid at the end this small
    net settled on an all-black answer (held-out MSE stuck at 0.115 for 300 steps, against 0.013 without it),
    and the 2-D autoencoder learned slower (0.052 against 0.048 after 400 steps)."""

    def __init__(self) -> None:
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(),
            nn.Conv2d(16, 8, 3, 2, 1),
        )
        self.decoder = upsampling_stack("upsample", 8, 16, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.decoder(self.encoder(x))
        return y if self.training else y.clamp(0, 1)
