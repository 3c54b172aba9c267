"""The DCGAN face generator (the PyTorch DCGAN tutorial's ``netG``) and its embedded weights.

nz = 100, ngf = 64, nc = 3: a ConvTranspose2d stack 1×1 → 4 → 8 → 16 → 32 → 64 with batch norm and
ReLU, tanh output in [−1, 1]. Weights: the asset ``dcgan_faces`` (gan-face-generate 1.1.1, trained on
DigiFace-1M, non-commercial research licence).
"""

from __future__ import annotations

import torch
from torch import nn

from vision_core.assets import asset_path

__all__ = ["NZ", "DCGANGenerator", "load_dcgan"]

NZ = 100
"""Length of the latent vector z."""


class DCGANGenerator(nn.Module):
    """The PyTorch DCGAN tutorial generator: ``(N, nz, 1, 1)`` → ``(N, 3, 64, 64)`` in [−1, 1]."""

    def __init__(self, nz: int = NZ, ngf: int = 64, nc: int = 3) -> None:
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 8),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 4),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.main(z)


def load_dcgan(device: torch.device) -> DCGANGenerator:
    state = torch.load(asset_path("dcgan_faces"), map_location="cpu", weights_only=True)["netG_state_dict"]
    model = DCGANGenerator()
    model.load_state_dict(state)
    return model.to(device).eval()
